#include "trial/report_signature.hpp"

#include "output/html_report.hpp"
#include "output/json.hpp"
#include "trial/error.hpp"
#include "trial/signed_lines.hpp"
#include "trial/text.hpp"
#include "trial/time.hpp"

#include <date/date.h>
#include <fmt/format.h>

#include <array>
#include <string_view>

namespace trialcal::trial {

namespace {

constexpr std::size_t max_meaning = 200;

constexpr std::array<FieldSpec, 7> statement_fields{{{"content-sha256"},
                                                     {"head"},
                                                     {"signer"},
                                                     {"key"},
                                                     {"meaning"},
                                                     {"signed-at-utc"},
                                                     {"signed-at-site", true}}};

SignatureView view_of(const SignedStatement& st) {
    const SignedLines& l = st.lines;
    return {l.form,           l.get("content-sha256"), l.get("head"),          l.get("signer"),
            l.get("key"),     l.get("meaning"),        l.get("signed-at-utc"), l.get("signed-at-site"),
            st.signature,     st.text()};
}

// What the audit row of a signature holds besides its meaning and content hash.
std::string row_value(const SignatureView& v) {
    return fmt::format("signer={} key={} content-sha256={} head={} signature={}", v.signer, v.key, v.content_sha256,
                       v.head, v.signature);
}

const char* format_name(SignedFormat f) {
    switch (f) {
    case SignedFormat::html: return "html";
    case SignedFormat::json: return "json";
    case SignedFormat::table: return "table";
    }
    return "";
}

// A report file taken apart: the insertion, where it was, and the statement it holds.
struct Found {
    SignedFormat format = SignedFormat::table;
    std::size_t at = 0;   // where the insertion starts
    std::string insertion;
    std::optional<SignedStatement> statement;
    std::string why;  // when there is no statement
};

SignedFormat format_of(std::string_view text) {
    if (text.starts_with("<!DOCTYPE html")) return SignedFormat::html;
    if (text.starts_with("{")) return SignedFormat::json;
    return SignedFormat::table;
}

// The JSON signature object's members, one a line, back into the statement.
std::optional<SignedStatement> json_statement(std::string_view insertion, std::string& why) {
    std::string_view body = insertion.substr(json_signature_begin.size());
    if (!body.ends_with("  }")) {
        why = "its \"signature\" object does not end as trialcal writes it";
        return std::nullopt;
    }
    body.remove_suffix(3);
    std::vector<std::pair<std::string, std::string>> members;
    while (!body.empty()) {
        const std::size_t end = body.find('\n');
        if (end == std::string_view::npos) break;
        std::string_view line = body.substr(0, end);
        body.remove_prefix(end + 1);
        if (line.ends_with(",")) line.remove_suffix(1);
        const std::size_t colon = line.find("\": ");
        if (!line.starts_with("    \"") || colon == std::string_view::npos) {
            why = fmt::format("a line of its \"signature\" object is not a member: {}", line);
            return std::nullopt;
        }
        const auto value = json_unescape(line.substr(colon + 3));
        if (!value) {
            why = fmt::format("a member of its \"signature\" object is not a string: {}", line);
            return std::nullopt;
        }
        members.emplace_back(std::string(line.substr(5, colon - 5)), *value);
    }
    std::size_t i = 0;
    const auto take = [&](std::string_view name, bool optional = false) -> std::optional<std::string> {
        if (i < members.size() && members[i].first == name) return members[i++].second;
        if (!optional) why = fmt::format("its \"signature\" object has no \"{}\" where expected", name);
        return std::nullopt;
    };
    SignedStatement st;
    const auto form = take("form");
    if (!form) return std::nullopt;
    st.lines.form = *form;
    for (const FieldSpec& f : statement_fields) {
        std::string name = f.name;
        for (char& c : name)
            if (c == '-') c = '_';
        const auto v = take(name, f.optional);
        if (!v) {
            if (f.optional) continue;
            return std::nullopt;
        }
        st.lines.fields.emplace_back(f.name, *v);
    }
    const auto sig = take("signature");
    if (!sig) return std::nullopt;
    st.signature = *sig;
    if (i != members.size()) {
        why = fmt::format("its \"signature\" object has a member \"{}\" after the signature", members[i].first);
        return std::nullopt;
    }
    if (st.lines.form != report_signature_form) {
        why = fmt::format("its form is '{}', not '{}'", st.lines.form, report_signature_form);
        return std::nullopt;
    }
    return st;
}

std::optional<Found> find_signature(std::string_view text) {
    Found f;
    f.format = format_of(text);
    std::string_view begin, end;
    switch (f.format) {
    case SignedFormat::html:
        begin = html_signature_begin;
        end = html_signature_end;
        break;
    case SignedFormat::json:
        begin = json_signature_begin;
        end = "\n  }";
        break;
    case SignedFormat::table:
        begin = table_signature_begin;
        end = table_signature_end;
        break;
    }
    f.at = text.rfind(begin);
    if (f.at == std::string_view::npos) return std::nullopt;
    const std::size_t stop = text.find(end, f.at + begin.size());
    if (stop == std::string_view::npos) return std::nullopt;
    f.insertion = std::string(text.substr(f.at, stop + end.size() - f.at));
    const std::string_view ins = f.insertion;
    std::string statement;
    switch (f.format) {
    case SignedFormat::html: {
        const std::size_t open = ins.find(html_signature_data_open);
        const std::size_t close = open == std::string_view::npos ? open : ins.find(html_signature_data_close, open);
        if (close == std::string_view::npos) {
            f.why = "its signature section holds no signed statement";
            return f;
        }
        const auto unescaped = html_unescape(ins.substr(open + html_signature_data_open.size(),
                                                        close - open - html_signature_data_open.size()));
        if (!unescaped) {
            f.why = "its signed statement holds an entity trialcal does not write";
            return f;
        }
        statement = *unescaped;
        break;
    }
    case SignedFormat::table: {
        // The manifestation line, then the statement.
        const std::size_t first = ins.find('\n', begin.size());
        statement = std::string(ins.substr(first + 1, ins.size() - first - 1 - end.size()));
        break;
    }
    case SignedFormat::json: f.statement = json_statement(ins, f.why); return f;
    }
    f.statement = parse_statement(statement, report_signature_form, statement_fields, f.why);
    return f;
}

}  // namespace

SignedFormat signed_format(const std::string& format) {
    if (format == "html") return SignedFormat::html;
    if (format == "json") return SignedFormat::json;
    if (format == "table") return SignedFormat::table;
    throw Error(Kind::missing_input,
                fmt::format("--sign: a {} report cannot carry a signature; sign --format html, table or json", format));
}

void check_meaning(const std::string& meaning) {
    if (meaning.empty() || meaning.find_first_not_of(' ') == std::string::npos)
        throw Error(Kind::missing_input,
                    "--sign needs --meaning TEXT: what the signature means (reviewed, approved, …), printed with it");
    check_line("--meaning", meaning);
    if (meaning.size() > max_meaning)
        throw Error(Kind::bad_data, fmt::format("--meaning: at most {} bytes", max_meaning));
}

void SigningSink::operator()(const std::string& piece) {
    hash_.update(piece);
    held_ += piece;
    const std::size_t keep = signature_tail(format_).size();
    if (held_.size() > keep) {
        out_(held_.substr(0, held_.size() - keep));
        held_.erase(0, held_.size() - keep);
    }
}

std::string SigningSink::content_sha256() {
    if (held_ != signature_tail(format_))
        throw Error(Kind::internal, fmt::format("the {} report does not end as its signature expects", format_name(format_)));
    return hash_.hex();
}

void SigningSink::finish(const SignatureView& v) {
    out_(signature_insertion(format_, v) + held_);
    held_.clear();
}

SignatureView sign_report(const Env& env, store::Store& s, const Actor& by, const Signer& signer,
                          const store::Head& head, const std::string& content_sha256, const std::string& meaning,
                          const std::optional<SiteClock>& site, const std::string& patient) {
    const std::string who = by();
    SignatureView view;
    s.write([&] {
        // The report was computed from the trail at `head`: a write since
        // (another user's dose) would make the signature vouch for a state
        // the report does not show.
        if (const store::Head now = s.audit_head(); now != head)
            throw Error(Kind::busy, fmt::format("the audit trail moved from {} to {} while the report was made; nothing "
                                                "was signed: sign again",
                                                head.text(), now.text()));
        const date::sys_seconds now = date::floor<std::chrono::seconds>(env.clock.now());
        SignedStatement st;
        st.lines.form = report_signature_form;
        st.lines.fields = {{"content-sha256", content_sha256}, {"head", head.text()},
                           {"signer", signer.name()},           {"key", signer.fingerprint()},
                           {"meaning", meaning},                {"signed-at-utc", utc_text(now)}};
        if (site) {
            const date::local_seconds local = env.zones.to_local(site->zone, now);
            st.lines.fields.emplace_back("signed-at-site",
                                         fmt::format("{}{} {}, site {}", date::format("%FT%T", local),
                                                     offset_text(local, now), site->zone, site->site));
        }
        st.signature = signer.sign(st.lines.message());
        view = view_of(st);
        s.append_audit({who, sign_action, patient, "compliance report", "", row_value(view), "", meaning, content_sha256},
                       utc_text(now));
    });
    return view;
}

std::string verify_signed_report(const Env& env, const SignedReportFile& file) {
    const auto found = find_signature(file.text);
    if (!found)
        throw Error(Kind::bad_data, fmt::format("{}: no trialcal signature found: not a signed report, or its "
                                                "signature was cut off",
                                                file.origin));
    if (!found->statement)
        throw Error(Kind::bad_data, fmt::format("{}: the signature block is damaged: {}", file.origin, found->why));
    const SignedStatement& st = *found->statement;
    const SignatureView v = view_of(st);
    std::vector<std::string> problems;
    if (signature_insertion(found->format, v) != found->insertion)
        problems.push_back("signature block altered: the manifestation is not what trialcal prints for the signed "
                           "values it holds");

    std::string content = file.text.substr(0, found->at);
    content.append(file.text, found->at + found->insertion.size());
    const std::string sha = crypto::sha256_hex(content);
    if (sha != v.content_sha256)
        problems.push_back(fmt::format("content changed: the report's content hashes to {}, the signature is over {}",
                                       sha, v.content_sha256));

    const auto head = store::parse_head(v.head);
    std::string trail_now;
    with_store([&] {
        auto store = env.storage.open(store::Mode::read);
        store::Store& s = *store;
        const auto key = installed_signing_key(s, v.key);
        if (!key) {
            problems.push_back(fmt::format("key not installed: signing key {} ({}) is not installed in {}", v.key,
                                           v.signer, env.storage.name()));
        } else {
            if (!crypto::verify_signature(st.lines.message(), st.signature, *key))
                problems.push_back(fmt::format("signature invalid: it does not match the signed lines under key {}",
                                               v.key));
            if (key->name != v.signer)
                problems.push_back(fmt::format("signer: key {} is installed as {}, the signature names {}", v.key,
                                               key->name, v.signer));
        }
        if (!head || head->seq == 0) {
            problems.push_back(fmt::format("head: '{}' is not SEQ:HASH", v.head));
            return;
        }
        const store::ChainCheck check = s.verify_audit();
        trail_now = check.head.text();
        if (!check.intact())
            problems.push_back(fmt::format("audit trail: it does not verify ({} break{}; `trialcal audit verify` lists "
                                           "them), first: {}",
                                           check.breaks.size(), check.breaks.size() == 1 ? "" : "s",
                                           check.breaks.front().what));
        const auto at_head = s.audit_row(head->seq);
        if (auto problem = store::head_problem(check, *head, at_head ? std::optional(at_head->hash) : std::nullopt))
            problems.push_back(fmt::format("audit trail: no longer extends the signed head {}: {}", head->text(), *problem));
        const auto row = s.audit_row(head->seq + 1);
        if (!row) {
            problems.push_back(fmt::format("audit trail: row {}, where this signature was recorded, is gone (rolled "
                                           "back or truncated)",
                                           head->seq + 1));
        } else if (row->entry.action != sign_action) {
            problems.push_back(fmt::format("audit trail: row {} is '{}' by {} at {}, not this signature's record: the "
                                           "trail was rolled back or rewritten since it was signed",
                                           row->seq, row->entry.action, row->entry.by, row->at));
        } else if (row->entry.source != v.content_sha256 || row->entry.new_value != row_value(v) ||
                   row->entry.reason != v.meaning) {
            // A signature recorded there, but not the one in the file: the
            // file's signed lines were edited (or the row was).
            problems.push_back(fmt::format("audit trail: row {} records another signature (meaning '{}', content "
                                           "sha256 {}), not the one in this file",
                                           row->seq, row->entry.reason, row->entry.source));
        }
    });
    if (!problems.empty()) {
        std::string text = fmt::format("{}: the signed report does not verify ({} failure{}):", file.origin,
                                       problems.size(), problems.size() == 1 ? "" : "s");
        for (const auto& p : problems) text += "\n  " + p;
        throw Error(Kind::bad_data, text);
    }
    std::string out = fmt::format("{}: signed {} report verified\n", file.origin, format_name(found->format));
    out += fmt::format("signer: {} (key {})\nmeaning: {}\nsigned at: {}{}\n", v.signer, v.key, v.meaning,
                       v.signed_at_utc, v.signed_at_site.empty() ? "" : "; " + v.signed_at_site);
    out += fmt::format("content: sha256 {}, unchanged\n", v.content_sha256);
    out += fmt::format("audit trail: intact, extends the signed head {}; signature recorded in row {}; head now {}\n",
                       v.head, head->seq + 1, trail_now);
    return out;
}

}  // namespace trialcal::trial
