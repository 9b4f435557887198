#include "output/protocol_toml.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace trialcal {

namespace {

// A TOML basic string: quotes, backslashes and control characters escaped,
// DEL included (TOML refuses it raw, where JSON's json_escape lets it pass).
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (const char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) out += fmt::format("\\u{:04X}", static_cast<int>(c));
            else out += c;
        }
    }
    return out + "\"";
}

std::string strings(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + quoted(v[i]);
    return out + "]";
}

std::string number(double v) { return fmt::format("{}", v); }

std::string window(Window w) { return fmt::format("[{}, {}]", w.before.count(), w.after.count()); }

std::string time_of_day(TimeOfDay t) { return fmt::format("\"{:02}:{:02}\"", t.count() / 60, t.count() % 60); }

class Writer {
public:
    explicit Writer(const std::vector<Assumption>& assumptions) : assumptions_(assumptions) {}

    // `path` is the key's dotted path for [[assumptions]] `about`.
    void line(std::string_view key, const std::string& value, const std::string& path = {}) {
        out_ += fmt::format("{} = {}", key, value);
        if (!path.empty() && std::any_of(assumptions_.begin(), assumptions_.end(),
                                         [&](const Assumption& a) { return a.about == path; }))
            out_ += "   # assumption: see [[assumptions]]";
        out_ += "\n";
    }
    void text(std::string_view s) { out_ += s; }
    void patient_name(const PatientName& n) {
        if (n.fr.empty() && n.en.empty()) return;
        std::string v = "{ ";
        if (!n.fr.empty()) v += "fr = " + quoted(n.fr);
        if (!n.en.empty()) v += std::string(n.fr.empty() ? "" : ", ") + "en = " + quoted(n.en);
        line("patient_name", v + " }");
    }
    [[nodiscard]] std::string str() && { return std::move(out_); }

private:
    const std::vector<Assumption>& assumptions_;
    std::string out_;
};

void write_regimen(Writer& w, const Regimen& r) {
    const std::string at = "regimens." + r.id + ".";
    w.text("\n[[regimens]]\n");
    w.line("id", quoted(r.id));
    if (!r.name.empty()) w.line("name", quoted(r.name));
    w.patient_name(r.patient_name);
    w.line("product", quoted(r.product));
    w.line("first_day", fmt::format("{}", r.first_day.count()), at + "first_day");
    w.line("last_day", fmt::format("{}", r.last_day.count()), at + "last_day");
    w.line("every_days", fmt::format("{}", r.every.count()), at + "every_days");
    if (!r.intakes.empty()) w.line("intakes", strings(r.intakes), at + "intakes");
    if (!r.intake_times.empty()) {
        std::string v = "[";
        for (std::size_t i = 0; i < r.intake_times.size(); ++i) v += (i ? ", " : "") + time_of_day(r.intake_times[i]);
        w.line("intake_times", v + "]", at + "intake_times");
    }
    w.line("window", window(r.window), at + "window");
    if (r.early_limit.count() != 0) w.line("early_limit", fmt::format("{}", r.early_limit.count()), at + "early_limit");
    if (r.late_limit.count() != 0) w.line("late_limit", fmt::format("{}", r.late_limit.count()), at + "late_limit");
    if (r.setting == Setting::home) w.line("setting", quoted("home"), at + "setting");
    switch (r.rule) {
    case AmountRule::from_arm: w.line("amount", quoted("arm"), at + "amount"); break;
    case AmountRule::fixed: w.line("amount", number(r.amount), at + "amount"); break;
    case AmountRule::per_kg:
        w.line("mg_per_kg", number(r.mg_per_kg), at + "mg_per_kg");
        w.line("round_to", number(r.round_to), at + "round_to");
        break;
    }
    if (!r.cohorts.empty()) w.line("cohorts", strings(r.cohorts));
    if (!r.except_cohorts.empty()) w.line("except_cohorts", strings(r.except_cohorts));
    if (r.anchor) w.line("anchor", quoted(*r.anchor), at + "anchor");
}

void write_visit(Writer& w, const Visit& v) {
    const std::string at = "visits." + v.id + ".";
    w.text("\n[[visits]]\n");
    w.line("id", quoted(v.id));
    w.line("day", fmt::format("{}", v.day.count()), at + "day");
    w.line("name", quoted(v.name), at + "name");
    w.patient_name(v.patient_name);
    w.line("window", window(v.window), at + "window");
    w.line("procedures", strings(v.procedures));
    if (v.anchor) w.line("anchor", quoted(*v.anchor), at + "anchor");
    if (v.early_termination) w.line("early_termination", "true");
}

void write_criterion(Writer& w, const Criterion& c) {
    w.text("\n[[eligibility]]\n");
    w.line("id", quoted(c.id));
    w.line("text", quoted(c.text));
    if (c.min) w.line("min", number(*c.min));
    if (c.min_exclusive) w.line("min_exclusive", number(*c.min_exclusive));
    if (c.max) w.line("max", number(*c.max));
    if (c.max_exclusive) w.line("max_exclusive", number(*c.max_exclusive));
    w.line("unit", quoted(c.unit));
    if (!c.any_of.empty()) w.line("any_of", quoted(c.any_of));
}

}  // namespace

std::string protocol_toml(const Protocol& p, std::string_view preface) {
    Writer w(p.assumptions);
    std::size_t from = 0;
    while (from < preface.size()) {
        const auto end = std::min(preface.find('\n', from), preface.size());
        w.text(fmt::format("# {}\n", preface.substr(from, end - from)));
        from = end + 1;
    }
    w.text("# Format: docs/protocol-format.md.\n\n[protocol]\n");
    w.line("id", quoted(p.id));
    w.line("version", quoted(p.version));
    w.line("title", quoted(p.title));
    w.line("registry_ids", strings(p.registry_ids));
    if (!p.design.empty()) w.line("design", quoted(p.design));
    w.line("blinded", p.blinded ? "true" : "false", "protocol.blinded");
    if (!p.notes.empty()) w.line("notes", quoted(p.notes));
    if (p.screening_valid_days.count() != 30)
        w.line("screening_valid_days", fmt::format("{}", p.screening_valid_days.count()));

    for (const auto& x : p.products) {
        const std::string at = "products." + x.id + ".";
        w.text("\n[[products]]\n");
        w.line("id", quoted(x.id));
        w.line("drug", quoted(x.drug));
        w.line("route", quoted(x.route), at + "route");
        w.line("unit", quoted(x.unit), at + "unit");
        if (!x.form.empty()) w.line("form", quoted(x.form));
        if (x.blinded_label) w.line("blinded_label", quoted(*x.blinded_label), at + "blinded_label");
        if (x.blinded_amount) {
            w.line("blinded_amount", number(*x.blinded_amount));
            w.line("blinded_unit", quoted(x.blinded_unit));
        }
    }
    for (const auto& a : p.arms) {
        w.text("\n[[arms]]\n");
        w.line("id", quoted(a.id));
        w.line("name", quoted(a.name));
        if (!a.doses.empty()) {
            std::string v = "{ ";
            for (std::size_t i = 0; i < a.doses.size(); ++i)
                v += fmt::format("{}{} = {}", i ? ", " : "", quoted(a.doses[i].first), number(a.doses[i].second));
            w.line("doses", v + " }", "arms." + a.id + ".doses");
        }
        if (!a.placebo.empty()) w.line("placebo", strings(a.placebo));
    }
    for (const auto& c : p.cohorts) {
        w.text("\n[[cohorts]]\n");
        w.line("id", quoted(c.id));
        w.line("name", quoted(c.name));
    }
    for (const auto& r : p.regimens) write_regimen(w, r);
    for (const auto& v : p.visits) write_visit(w, v);
    for (const auto& c : p.eligibility) write_criterion(w, c);
    for (const auto& a : p.assumptions) {
        w.text("\n[[assumptions]]\n");
        w.line("about", quoted(a.about));
        w.line("text", quoted(a.text));
    }
    return std::move(w).str();
}

}  // namespace trialcal
