// Screening (course.md, Eligibility): one write per screening with its audit
// row; the verdict comes from the core's evaluator and is stored with the
// values, against the protocol text screened for.
#include "trial/screening.hpp"

#include "output/formatters.hpp"
#include "output/screening_view.hpp"
#include "trial/error.hpp"
#include "trial/patient.hpp"
#include "trial/recording.hpp"
#include "trial/sites.hpp"
#include "trial/time.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

namespace trialcal::trial {

namespace {

std::string known_criteria(const Protocol& p) {
    std::string out;
    for (const auto& c : p.eligibility) out += (out.empty() ? "" : ", ") + c.id;
    return out.empty() ? std::string("none") : out;
}

std::vector<std::string> failure_lines(const Verdict& v) {
    std::vector<std::string> out;
    for (const auto& f : v.failures) out.push_back(failure_text(f));
    return out;
}

ScreeningValues values_of(const store::Screening& s) {
    ScreeningValues out;
    for (const auto& [id, v] : s.values) out.emplace(id, v);
    return out;
}

}  // namespace

ScreeningValues parse_screening_values(const Protocol& p, const std::vector<std::string>& values, const Origin& o) {
    ScreeningValues out;
    for (const std::string& typed : values) {
        check_line(o("--value", "value"), typed);
        const auto eq = typed.find('=');
        if (eq == std::string::npos || eq == 0)
            throw Error(Kind::bad_data, fmt::format("{} '{}': write NAME=NUMBER, NAME a criterion of {} ({})",
                                                    o("--value", "value"), typed, p.id, known_criteria(p)));
        const std::string name = typed.substr(0, eq), number = typed.substr(eq + 1);
        if (!find_criterion(p, name))
            throw Error(Kind::bad_data, fmt::format("{} '{}': {} has no criterion '{}' (criteria: {})",
                                                    o("--value", name), typed, p.id, name, known_criteria(p)));
        double v = 0;
        const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), v);
        if (number.empty() || ec != std::errc{} || end != number.data() + number.size() || !std::isfinite(v))
            throw Error(Kind::bad_data, fmt::format("{} '{}': '{}' is not a number", o("--value", name), typed, number));
        if (!out.emplace(name, v).second)
            throw Error(Kind::bad_data, fmt::format("{} '{}': {} is given twice", o("--value", name), typed, name));
    }
    return out;
}

CheckedScreening check_screening(const Catalog& catalog, const ScreenInput& a, const Origin& o) {
    check_patient_id(o("patient", "patient"), a.patient);
    check_id(o("--site", "site"), a.site);
    CheckedScreening c{&catalog.find(a.protocol), a, {}, {}, {}, o};
    const Protocol& p = c.file->protocol;
    if (p.eligibility.empty())
        throw Error(Kind::rule, fmt::format("{}{} version {} has no numeric eligibility criteria: nothing to screen",
                                            o.row(), p.id, p.version));
    c.on = parse_date_option(o("--on", "on"), a.on);
    c.values = parse_screening_values(p, a.values, o);
    c.verdict = evaluate_eligibility(p, c.values);
    return c;
}

Screened commit_screening(const Env& env, store::Store& s, const SiteBook& sites, const CheckedScreening& c,
                          const std::string& by, const std::string& now) {
    const Protocol& p = c.file->protocol;
    const Origin& o = c.origin;
    const Site& site = sites.find(c.input.site, o("--site", "site"));
    if (const date::sys_days today = today_in(env, site.tz); c.on > today)
        throw Error(Kind::bad_data, fmt::format("{} {}: in the future (today is {} at site {})", o("--on", "on"),
                                                c.input.on, IsoDate{today}, site.code));
    if (const auto enrolled = s.patient_id_ignoring_case(c.input.patient))
        throw Error(Kind::rule, fmt::format("{}patient '{}' is already enrolled{}: screening comes before enrollment",
                                            o.row(), c.input.patient,
                                            *enrolled == c.input.patient ? "" : " as '" + *enrolled + "'"));
    s.save_protocol_file(c.file->sha256, p.id, p.version, c.file->path.filename().string(), c.file->text);
    store::Screening row;
    row.patient = c.input.patient;
    row.protocol = p.id;
    row.version = p.version;
    row.protocol_sha256 = c.file->sha256;
    row.site = site.code;
    row.on = c.on;
    // In the protocol's order of criteria: the stored text is canonical.
    for (const auto& criterion : p.eligibility)
        if (const auto it = c.values.find(criterion.id); it != c.values.end())
            row.values.emplace_back(criterion.id, it->second);
    row.eligible = c.verdict.eligible;
    row.at = now;
    row.by = by;
    const std::int64_t id = s.insert_screening(row);
    Screened out;
    out.eligible = c.verdict.eligible;
    out.failures = failure_lines(c.verdict);
    std::string typed;
    for (const auto& [name, v] : row.values) typed += fmt::format("{}{}={}", typed.empty() ? "" : " ", name, v);
    std::string failed;
    for (const auto& f : out.failures) failed += (failed.empty() ? "" : "; ") + f;
    s.append_audit({by, "screen", c.input.patient, fmt::format("S{}", id), "",
                    fmt::format("protocol={}@{} site={} on={} {} eligible={}{}", p.id, p.version, site.code,
                                IsoDate{c.on}, typed, out.eligible ? "yes" : "no",
                                failed.empty() ? "" : " failed: " + failed),
                    "", ""},
                   now);
    out.summary = out.eligible
                      ? fmt::format("Screened S{}: patient {} is eligible for {} version {} on {} (site {}); enroll "
                                    "with a day 0 from {} to {}.\n",
                                    id, c.input.patient, p.id, p.version, IsoDate{c.on}, site.code, IsoDate{c.on},
                                    IsoDate{c.on + p.screening_valid_days})
                      : fmt::format("Screened S{}: patient {} is NOT eligible for {} version {} on {} (site {}); the "
                                    "screening is kept as a screen failure.\n",
                                    id, c.input.patient, p.id, p.version, IsoDate{c.on}, site.code);
    return out;
}

Screened screen(const Env& env, const std::string& by, const Catalog& catalog, const ScreenInput& a) {
    const CheckedScreening c = check_screening(catalog, a, {});
    Screened out;
    with_store([&] {
        auto s = open_existing(env, fmt::format("--site: unknown site '{}' (register it first: trialcal site add CODE "
                                                "--name TEXT --tz ZONE)",
                                                a.site));
        s->write([&] { out = commit_screening(env, *s, SiteBook::load(*s), c, by, now_text(env)); });
    });
    return out;
}

void require_screening(store::Store& s, const Protocol& p, const std::string& patient, date::sys_days day0,
                       const Origin& o) {
    if (p.eligibility.empty()) return;
    const store::Screening* newest = nullptr;  // of this protocol version, whatever its verdict
    const std::vector<store::Screening> all = s.screenings(patient);
    for (const auto& sc : all) {
        if (sc.protocol != p.id || sc.version != p.version) continue;
        if (sc.eligible && sc.on <= day0 && day0 - sc.on <= p.screening_valid_days) return;
        newest = &sc;
    }
    if (!newest)
        throw Error(Kind::rule, fmt::format("{}patient {} has no screening for {} version {}: trialcal screen {} "
                                            "--protocol {}@{} --site S --on DATE --value NAME=NUMBER … (criteria: {})",
                                            o.row(), patient, p.id, p.version, patient, p.id, p.version,
                                            known_criteria(p)));
    if (!newest->eligible) {
        std::string failed;
        for (const auto& f : failure_lines(evaluate_eligibility(p, values_of(*newest))))
            failed += (failed.empty() ? "" : "; ") + f;
        throw Error(Kind::rule, fmt::format("{}patient {} is not eligible for {} version {} (screening S{} on {}): {}",
                                            o.row(), patient, p.id, p.version, newest->id, IsoDate{newest->on}, failed));
    }
    if (newest->on > day0)
        throw Error(Kind::rule, fmt::format("{}patient {}: the screening S{} on {} is after day 0 {}: screening comes "
                                            "first",
                                            o.row(), patient, newest->id, IsoDate{newest->on}, IsoDate{day0}));
    throw Error(Kind::rule, fmt::format("{}patient {}: the screening S{} on {} is {} days before day 0 {}, more than "
                                        "the {} days it stays valid ({} screening_valid_days): screen again",
                                        o.row(), patient, newest->id, IsoDate{newest->on}, (day0 - newest->on).count(),
                                        IsoDate{day0}, p.screening_valid_days.count(), p.id));
}

void screening_report(const Env& env, const std::string& site, const std::string& format, const Emit& emit) {
    if (!site.empty()) check_id("--site", site);
    with_store([&] {
        auto s = env.storage.open(store::Mode::read);
        if (!site.empty()) (void)SiteBook::load(*s).find(site, "--site");
        std::map<std::string, Protocol> protocols;  // by file hash
        std::vector<ScreeningLine> lines;
        s->for_each_screening([&](const store::Screening& sc) {
            if (!site.empty() && !iequals(sc.site, site)) return;
            auto it = protocols.find(sc.protocol_sha256);
            if (it == protocols.end()) {
                store::Patient fake;
                fake.id = sc.patient;
                fake.protocol_sha256 = sc.protocol_sha256;
                it = protocols.emplace(sc.protocol_sha256, stored_protocol(*s, fake)).first;
            }
            ScreeningLine line{sc.id, sc.patient, sc.site, sc.protocol, sc.version, sc.on, sc.values, sc.eligible, {}, false};
            line.failures = failure_lines(evaluate_eligibility(it->second, values_of(sc)));
            const auto enrolled = s->patient(sc.patient);
            line.enrolled = enrolled && !enrolled->enrollment_voided && enrolled->protocol == sc.protocol;
            lines.push_back(std::move(line));
        });
        if (format == "json") emit(screening_json(lines));
        else if (format == "csv") emit(screening_csv(lines));
        else emit(screening_table(lines));
    });
}

}  // namespace trialcal::trial
