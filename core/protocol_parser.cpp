#include "core/protocol_parser.hpp"

#include "core/anchors.hpp"
#include "core/calendar.hpp"
#include "core/number.hpp"
#include "core/toml_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace trialcal {

namespace {

using toml_read::check_unique;
using toml_read::each_table;
using toml_read::id_key;
using toml_read::IdPlace;
using toml_read::max_study_day;
using toml_read::min_study_day;
using toml_read::plain_id;
using toml_read::Sink;
using toml_read::TableReader;
using toml_read::type_name;

class Parser {
public:
    Parser(Diagnostics& d, Checks checks) : sink_(d), checks_(checks) {}

    void run(const toml::table& root, Protocol& p) {
        TableReader top(root, "", sink_);
        read_header(top, p);
        each_table(top, "products", true, [&](TableReader& r) { read_product(r, p); });
        each_table(top, "arms", false, [&](TableReader& r) { read_arm(r, p); });
        each_table(top, "cohorts", false, [&](TableReader& r) { read_cohort(r, p); });
        each_table(top, "regimens", false, [&](TableReader& r) { read_regimen(r, p); });
        if (const toml::node* v = root.get("visits")) visits_ = v->source();
        each_table(top, "visits", true, [&](TableReader& r) { read_visit(r, p); });
        each_table(top, "eligibility", false, [&](TableReader& r) { read_criterion(r, p); });
        each_table(top, "assumptions", false, [&](TableReader& r) { read_assumption(r, p); });
        top.report_unknown();
        cross_check(p);
    }

private:
    void read_header(TableReader& top, Protocol& p) {
        const toml::node* n = top.get("protocol", true);
        if (!n) return;
        const auto* t = n->as_table();
        if (!t) {
            sink_.at(*n, "protocol", "expected a table ([protocol])");
            return;
        }
        TableReader r(*t, "protocol", sink_);
        p.id = id_key(r, "id").value_or("");
        p.version = id_key(r, "version").value_or("");
        p.title = r.string("title", true).value_or("");
        p.design = r.string("design", false).value_or("");
        p.notes = r.string("notes", false).value_or("");
        p.registry_ids = r.strings("registry_ids", false).value_or(std::vector<std::string>{});
        p.blinded = r.boolean("blinded").value_or(false);
        // A year is the longest a screening could stand for a patient's state
        // at enrollment; a longer one is a typing mistake.
        if (auto days = r.integer("screening_valid_days", false, 1, 365)) p.screening_valid_days = date::days{*days};
        header_ = t->source();
    }

    void read_product(TableReader& r, Protocol& p) {
        Product x;
        x.id = id_key(r, "id").value_or("");
        x.drug = r.string("drug", true).value_or("");
        x.route = r.string("route", true).value_or("");
        x.unit = r.string("unit", true).value_or("");
        x.form = r.string("form", false).value_or("");
        x.blinded_label = r.string("blinded_label", false);
        x.blinded_amount = r.number("blinded_amount", false);
        x.blinded_unit = r.string("blinded_unit", false).value_or("");
        if (x.blinded_label && !p.blinded)
            sink_.at(*r.table().get("blinded_label"), r.key("blinded_label"),
                     "a blinded label needs a blinded protocol: set blinded = true in [protocol]");
        if (x.blinded_amount && x.blinded_unit.empty())
            sink_.at(r.table().source(), r.key("blinded_unit"), "blinded_amount needs a blinded_unit");
        if (!x.blinded_unit.empty() && !x.blinded_amount)
            sink_.at(r.table().source(), r.key("blinded_amount"), "blinded_unit needs a blinded_amount");
        if ((x.blinded_amount || !x.blinded_unit.empty()) && !x.blinded_label)
            sink_.at(r.table().source(), r.key("blinded_label"),
                     "blinded_amount and blinded_unit are for blinded products: add a blinded_label");
        if (x.blinded_amount && *x.blinded_amount <= 0)
            sink_.at(*r.table().get("blinded_amount"), r.key("blinded_amount"), "must be more than 0");
        product_ids_.push_back({x.id, r.table().source(), r.path()});
        p.products.push_back(std::move(x));
    }

    void read_arm(TableReader& r, Protocol& p) {
        Arm a;
        a.id = id_key(r, "id").value_or("");
        a.name = r.string("name", true).value_or("");
        if (const toml::node* n = r.get("doses", false)) {
            if (const auto* t = n->as_table()) {
                for (auto&& [k, v] : *t) {
                    const std::string where = r.key("doses") + "." + std::string(k.str());
                    if (auto amount = r.as_number(v, where)) {
                        if (*amount < 0) sink_.at(v, where, "a dose cannot be negative");
                        a.doses.emplace_back(std::string(k.str()), *amount);
                        refs_.push_back({std::string(k.str()), k.source(), where, Ref::product});
                    }
                }
            } else {
                sink_.at(*n, r.key("doses"), "expected a table of product id = amount, found " + type_name(*n));
            }
        }
        if (auto placebo = r.strings("placebo", false)) {
            for (const auto& pid : *placebo)
                refs_.push_back({pid, r.table().get("placebo")->source(), r.key("placebo"), Ref::product});
            a.placebo = std::move(*placebo);
        }
        arm_ids_.push_back({a.id, r.table().source(), r.path()});
        arm_places_.push_back(r.table().source());
        p.arms.push_back(std::move(a));
    }

    void read_cohort(TableReader& r, Protocol& p) {
        Cohort c;
        c.id = id_key(r, "id").value_or("");
        c.name = r.string("name", true).value_or("");
        cohort_ids_.push_back({c.id, r.table().source(), r.path()});
        p.cohorts.push_back(std::move(c));
    }

    void read_regimen(TableReader& r, Protocol& p) {
        Regimen g;
        g.id = id_key(r, "id").value_or("");
        g.name = r.string("name", false).value_or("");
        g.product = r.string("product", true).value_or("");
        if (!g.product.empty())
            refs_.push_back({g.product, r.table().get("product")->source(), r.key("product"), Ref::product});
        auto first = r.integer("first_day", true, min_study_day, max_study_day);
        auto last = r.integer("last_day", true, min_study_day, max_study_day);
        auto every = r.integer("every_days", true, 1, max_study_day);
        if (first) g.first_day = StudyDay{static_cast<int>(*first)};
        if (last) g.last_day = StudyDay{static_cast<int>(*last)};
        if (every) g.every = date::days{*every};
        if (first && last && *last < *first)
            sink_.at(*r.table().get("last_day"), r.key("last_day"),
                     "the regimen ends on D" + std::to_string(*last) + ", before it starts on D" +
                         std::to_string(*first));
        if (first && last && every && *last >= *first && (*last - *first) % *every != 0)
            sink_.at(*r.table().get("last_day"), r.key("last_day"),
                     "D" + std::to_string(*last) + " is not D" + std::to_string(*first) + " + a multiple of " +
                         std::to_string(*every) + " days: the last dose would fall on D" +
                         std::to_string(*last - (*last - *first) % *every));
        g.intakes = r.strings("intakes", false).value_or(std::vector<std::string>{});
        if (const toml::node* n = r.table().get("intakes"); n && n->as_array() && n->as_array()->empty())
            sink_.at(*n, r.key("intakes"), "must not be empty: leave intakes out for one intake a day");
        if (g.intakes.size() > max_intakes_per_day)
            sink_.at(*r.table().get("intakes"), r.key("intakes"),
                     std::to_string(g.intakes.size()) + " intakes a day, more than " +
                         std::to_string(max_intakes_per_day) + ", one a minute (the most intake_times can tell apart)");
        if (!g.intakes.empty()) {
            std::set<std::string> seen;
            for (const auto& i : g.intakes) {
                if (!plain_id(i))
                    sink_.at(*r.table().get("intakes"), r.key("intakes"),
                             "intake '" + i + "' must be letters, digits, '-', '_' or '.' only");
                if (!seen.insert(i).second)
                    sink_.at(*r.table().get("intakes"), r.key("intakes"), "duplicate intake '" + i + "'");
            }
        }
        if (auto w = r.window("window")) g.window = *w;
        read_timing(r, g);
        read_amount(r, g);
        g.cohorts = r.strings("cohorts", false).value_or(std::vector<std::string>{});
        g.except_cohorts = r.strings("except_cohorts", false).value_or(std::vector<std::string>{});
        if (!g.cohorts.empty() && !g.except_cohorts.empty())
            sink_.at(*r.table().get("except_cohorts"), r.key("except_cohorts"),
                     "give either cohorts or except_cohorts, not both");
        for (const char* k : {"cohorts", "except_cohorts"})
            if (const toml::node* n = r.table().get(k))
                for (const auto& c : k[0] == 'c' ? g.cohorts : g.except_cohorts)
                    refs_.push_back({c, n->source(), r.key(k), Ref::cohort});
        g.anchor = read_anchor(r, {EventKind::dose, p.regimens.size()});
        read_patient_name(r, g.patient_name);
        regimen_ids_.push_back({g.id, r.table().source(), r.path()});
        p.regimens.push_back(std::move(g));
    }

    // When and where the doses are taken, and how far from the window a
    // record still counts for them (compliance.md: slots and reach).
    void read_timing(TableReader& r, Regimen& g) {
        if (auto e = r.integer("early_limit", false, 0, max_study_day)) g.early_limit = date::days{*e};
        if (auto l = r.integer("late_limit", false, 0, max_study_day)) g.late_limit = date::days{*l};
        if (auto setting = r.string("setting", false)) {
            if (*setting == "home") g.setting = Setting::home;
            else if (*setting != "site")
                sink_.at(*r.table().get("setting"), r.key("setting"),
                         "'" + *setting +
                             "' is not a setting: write \"site\" (given by staff) or \"home\" (taken by the patient)");
        }
        const std::size_t intakes = std::max<std::size_t>(1, g.intakes.size());
        const toml::node* n = r.table().get("intake_times");
        auto times = r.strings("intake_times", false);
        if (!times) {
            if (n || g.intakes.size() < 2) return;
            // A text stored before intake_times existed was accepted without
            // them, and its patients must still be judged: its intakes are
            // spread evenly over the waking day instead (docs/protocol-format.md).
            if (checks_ == Checks::accepted_text) {
                g.intake_times = evenly_spread_intakes(g.intakes.size());
                return;
            }
            sink_.at(*r.table().get("intakes"), r.key("intake_times"),
                     "several intakes a day need intake_times, one \"HH:MM\" per intake, "
                     "e.g. [\"08:00\", \"20:00\"]");
            return;
        }
        if (times->size() != intakes) {
            sink_.at(*n, r.key("intake_times"),
                     std::to_string(times->size()) + " times for " + std::to_string(intakes) +
                         (intakes == 1 ? " intake a day" : " intakes a day") + ": give one \"HH:MM\" per intake");
            return;
        }
        const auto& items = *n->as_array();
        bool ok = true;
        for (std::size_t i = 0; i < times->size(); ++i) {
            const std::string where = r.key("intake_times") + "[" + std::to_string(i) + "]";
            auto t = time_of_day((*times)[i]);
            if (!t) {
                sink_.at(items[i], where, "'" + (*times)[i] + "' is not a time of day: write HH:MM, 00:00 to 23:59");
                ok = false;
            } else if (!g.intake_times.empty() && *t <= g.intake_times.back()) {
                // Slots are told apart by the nearest time, and calendar order
                // lists the intakes of a day in file order: both need the day's order.
                sink_.at(items[i], where,
                         "'" + (*times)[i] + "' is not after the intake before it: list the times of a day in order");
                ok = false;
            }
            if (t) g.intake_times.push_back(*t);
        }
        if (!ok) g.intake_times.clear();
    }

    // k >= 2 intakes from 08:00 to 20:00 at equal steps, whole minutes.
    static std::vector<TimeOfDay> evenly_spread_intakes(std::size_t k) {
        constexpr TimeOfDay first{8 * 60}, last{20 * 60};
        std::vector<TimeOfDay> out;
        out.reserve(k);
        for (std::size_t i = 0; i < k; ++i)
            out.push_back(first + (last - first) * static_cast<long>(i) / static_cast<long>(k - 1));
        return out;
    }

    // "HH:MM", 00:00 to 23:59, exactly two digits each.
    static std::optional<TimeOfDay> time_of_day(std::string_view s) {
        auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
        if (s.size() != 5 || s[2] != ':' || !digit(0) || !digit(1) || !digit(3) || !digit(4)) return std::nullopt;
        const int h = (s[0] - '0') * 10 + (s[1] - '0');
        const int m = (s[3] - '0') * 10 + (s[4] - '0');
        if (h > 23 || m > 59) return std::nullopt;
        return TimeOfDay{h * 60 + m};
    }

    void read_amount(TableReader& r, Regimen& g) {
        const toml::node* amount = r.get("amount", false);
        auto per_kg = r.number("mg_per_kg", false);
        auto round_to = r.number("round_to", false);
        const int given = (amount ? 1 : 0) + (per_kg ? 1 : 0);
        if (given == 0) {
            sink_.at(r.table().source(), r.key("amount"),
                     "missing the dose: amount = \"arm\", amount = <number>, or mg_per_kg with round_to");
            return;
        }
        if (given == 2) {
            sink_.at(*r.table().get("mg_per_kg"), r.key("mg_per_kg"), "give either amount or mg_per_kg, not both");
            return;
        }
        if (amount) {
            if (round_to) sink_.at(*r.table().get("round_to"), r.key("round_to"), "round_to goes with mg_per_kg");
            if (const auto* s = amount->as_string()) {
                if (s->get() != "arm")
                    sink_.at(*amount, r.key("amount"),
                             "'" + s->get() + "' is not an amount: write a number, or \"arm\" for the arm's dose");
                else
                    g.rule = AmountRule::from_arm;
            } else if (auto v = r.as_number(*amount, r.key("amount"))) {
                if (*v <= 0) sink_.at(*amount, r.key("amount"), "must be more than 0");
                g.rule = AmountRule::fixed;
                g.amount = *v;
            }
            return;
        }
        g.rule = AmountRule::per_kg;
        g.mg_per_kg = *per_kg;
        if (*per_kg <= 0) sink_.at(*r.table().get("mg_per_kg"), r.key("mg_per_kg"), "must be more than 0");
        if (!round_to) {
            sink_.at(*r.table().get("mg_per_kg"), r.key("round_to"),
                     "a weight-based dose needs round_to: the step it is rounded to (e.g. 25 for 25 mg capsules)");
            return;
        }
        g.round_to = *round_to;
        if (*round_to <= 0) sink_.at(*r.table().get("round_to"), r.key("round_to"), "must be more than 0");
    }

    void read_visit(TableReader& r, Protocol& p) {
        Visit v;
        auto day = r.integer("day", true, min_study_day, max_study_day);
        if (day) v.day = StudyDay{static_cast<int>(*day)};
        if (r.table().get("id"))
            v.id = id_key(r, "id").value_or("");
        else if (day)
            v.id = "V-D" + std::to_string(*day);
        v.name = r.string("name", true).value_or("");
        if (auto w = r.window("window")) v.window = *w;
        v.procedures = r.strings("procedures", true).value_or(std::vector<std::string>{});
        v.early_termination = r.boolean("early_termination").value_or(false);
        if (v.early_termination) read_early_termination(r, v);
        else v.anchor = read_anchor(r, {EventKind::visit, p.visits.size()});
        read_patient_name(r, v.patient_name);
        visit_ids_.push_back({v.id, r.table().source(), r.path()});
        p.visits.push_back(std::move(v));
    }

    // The early-termination visit (course.md, Status) is dated from a
    // withdrawal, not from day 0 or another event: one per protocol, no
    // anchor, and a day on or after the withdrawal date.
    void read_early_termination(TableReader& r, Visit& v) {
        const toml::node* flag = r.table().get("early_termination");
        if (early_termination_) {
            sink_.at(*flag, r.key("early_termination"),
                     "a second early-termination visit: " + early_termination_->path + " (" + early_termination_->id +
                         ") is one already, and a withdrawal adds one visit");
        } else {
            early_termination_ = IdPlace{v.id, flag->source(), r.path()};
        }
        if (const toml::node* n = r.get("anchor", false))
            sink_.at(*n, r.key("anchor"),
                     "an early-termination visit counts from the withdrawal date: leave anchor out");
        if (v.day < StudyDay{0})
            if (const toml::node* n = r.table().get("day"))
                sink_.at(*n, r.key("day"),
                         "an early-termination visit's day counts from the withdrawal date: write 0 or more "
                         "(0 is the withdrawal date)");
    }

    // anchor = "EVENT_ID": checked once every visit and regimen is read.
    std::optional<std::string> read_anchor(TableReader& r, EventSource source) {
        auto anchor = r.string("anchor", false);
        if (anchor) anchors_.push_back({source, r.table().get("anchor")->source(), r.key("anchor")});
        return anchor;
    }

    // patient_name = { fr = "…", en = "…" }: what the patient's printed
    // calendar calls the visit or regimen, in either language or both.
    void read_patient_name(TableReader& r, PatientName& out) {
        const toml::node* n = r.get("patient_name", false);
        if (!n) return;
        const auto* t = n->as_table();
        if (!t) {
            sink_.at(*n, r.key("patient_name"),
                     "expected a table of language = name, e.g. { fr = \"Visite M3\", en = \"M3 visit\" }, found " +
                         type_name(*n));
            return;
        }
        if (t->empty()) {
            sink_.at(*n, r.key("patient_name"), "must not be empty: give fr, en or both, or leave patient_name out");
            return;
        }
        TableReader names(*t, r.key("patient_name"), sink_);
        for (auto&& [k, v] : *t) {
            if (k.str() == "fr" || k.str() == "en") continue;
            (void)names.get(k.str(), false);  // reported here, with the languages there are
            sink_.at(k.source(), names.key(k.str()),
                     "'" + std::string(k.str()) + "' is not a language of patient names: write fr, en or both");
        }
        out.fr = names.string("fr", false).value_or("");
        out.en = names.string("en", false).value_or("");
    }

    void read_criterion(TableReader& r, Protocol& p) {
        Criterion c;
        c.id = id_key(r, "id").value_or("");
        c.text = r.string("text", true).value_or("");
        c.unit = r.string("unit", true).value_or("");
        c.min = r.number("min", false);
        c.max = r.number("max", false);
        c.min_exclusive = r.number("min_exclusive", false);
        c.max_exclusive = r.number("max_exclusive", false);
        // One lower and one upper bound: "min = 1000, min_exclusive = 1000"
        // would leave the reader to guess whether 1000 passes.
        if (c.min && c.min_exclusive)
            sink_.at(*r.table().get("min_exclusive"), r.key("min_exclusive"),
                     "give either min (inclusive) or min_exclusive (strict), not both");
        if (c.max && c.max_exclusive)
            sink_.at(*r.table().get("max_exclusive"), r.key("max_exclusive"),
                     "give either max (inclusive) or max_exclusive (strict), not both");
        if (!c.min && !c.max && !c.min_exclusive && !c.max_exclusive)
            sink_.at(r.table().source(), r.path(),
                     "a criterion needs min, max or both (or the strict min_exclusive, max_exclusive)");
        const char* low = c.min ? "min" : c.min_exclusive ? "min_exclusive" : nullptr;
        const char* high = c.max ? "max" : c.max_exclusive ? "max_exclusive" : nullptr;
        if (low && high) {
            const double lo = c.min ? *c.min : *c.min_exclusive, hi = c.max ? *c.max : *c.max_exclusive;
            const bool strict = !c.min || !c.max;
            if (hi < lo)
                sink_.at(*r.table().get(high), r.key(high),
                         std::string(high) + " " + to_text(hi) + " is below " + low + " " + to_text(lo));
            else if (hi == lo && strict)
                sink_.at(*r.table().get(high), r.key(high),
                         std::string(high) + " " + to_text(hi) + " and " + low + " " + to_text(lo) +
                             " leave no value eligible");
        }
        if (auto group = r.string("any_of", false)) {
            if (plain_id(*group)) {
                c.any_of = std::move(*group);
                groups_.push_back({c.any_of, r.table().get("any_of")->source(), r.key("any_of")});
            } else {
                sink_.at(*r.table().get("any_of"), r.key("any_of"),
                         "'" + *group + "' must be letters, digits, '-', '_' or '.' only");
            }
        }
        criterion_ids_.push_back({c.id, r.table().source(), r.path()});
        p.eligibility.push_back(std::move(c));
    }

    // An any_of group of one criterion is no alternative: most likely a
    // group name misspelt on one of its members.
    void check_groups() {
        for (const IdPlace& g : groups_) {
            const auto members = std::count_if(groups_.begin(), groups_.end(),
                                               [&](const IdPlace& o) { return o.id == g.id; });
            if (members < 2)
                sink_.at(g.where, g.path,
                         "any_of group '" + g.id +
                             "' has no other criterion: give the same any_of to each alternative, or leave it out");
        }
    }

    void read_assumption(TableReader& r, Protocol& p) {
        Assumption a;
        a.about = r.string("about", true).value_or("");
        a.text = r.string("text", true).value_or("");
        p.assumptions.push_back(std::move(a));
    }

    void cross_check(const Protocol& p) {
        check_unique(sink_, product_ids_, "product");
        check_unique(sink_, arm_ids_, "arm");
        check_unique(sink_, cohort_ids_, "cohort");
        check_unique(sink_, regimen_ids_, "regimen");
        check_unique(sink_, criterion_ids_, "criterion");
        check_groups();
        for (const auto& ref : refs_) {
            const bool found = ref.kind == Ref::product ? p.product(ref.id) != nullptr
                                                        : std::any_of(p.cohorts.begin(), p.cohorts.end(),
                                                                      [&](const Cohort& c) { return c.id == ref.id; });
            if (!found)
                sink_.at(ref.where, ref.key,
                         std::string(ref.kind == Ref::product ? "product" : "cohort") + " '" + ref.id +
                             "' is not defined");
        }
        if (p.blinded && p.arms.empty())
            sink_.at(header_, "protocol.blinded", "a blinded protocol needs [[arms]] to hide");
        for (std::size_t i = 0; i < p.regimens.size(); ++i) check_regimen(p, p.regimens[i], regimen_ids_[i]);
        for (std::size_t i = 0; i < p.arms.size(); ++i) {
            for (const auto& pid : p.arms[i].placebo)
                if (p.arms[i].dose_of(pid))
                    sink_.at(arm_places_[i], "arms[" + std::to_string(i) + "].doses." + pid,
                             "product '" + pid + "' is placebo in arm '" + p.arms[i].id + "': give it no dose");
        }
        // Counted before the ids are checked, which expands every calendar: a
        // file of millions of events is refused without making them. A
        // regimen with a key in error holds defaults (every day), so with
        // other errors the count is not reported, only obeyed.
        check_anchors(p);
        if (!check_event_count(p, sink_.empty())) return;
        if (checks_ == Checks::full) check_event_ids(p);
    }

    // Every calendar the file can produce (one per cohort) has at most
    // max_events_per_patient events. A stored text is held to it too: its
    // patient's calendar is expanded on every read. Reports the largest
    // calendar once, at its largest regimen (or its visits).
    bool check_event_count(const Protocol& p, bool report) {
        std::vector<std::string_view> cohorts{""};
        if (!p.cohorts.empty()) {
            cohorts.clear();
            for (const auto& c : p.cohorts) cohorts.push_back(c.id);
        }
        std::string_view worst;
        std::size_t most = 0;
        for (const auto cohort : cohorts) {
            const std::size_t n = p.events_for(cohort);
            if (n > most) most = n, worst = cohort;
        }
        if (most <= max_events_per_patient) return true;
        if (!report) return false;
        std::size_t biggest = p.planned_visit_count();
        toml::source_region where = visits_;
        std::string key = "visits", what = std::to_string(biggest) + " visits";
        for (std::size_t i = 0; i < p.regimens.size(); ++i) {
            const Regimen& g = p.regimens[i];
            if (!g.applies_to(worst) || g.dose_count() <= biggest) continue;
            biggest = g.dose_count();
            where = regimen_ids_[i].where;
            key = regimen_ids_[i].path;
            what = "regimen '" + g.id + "' makes " + std::to_string(biggest) + " doses";
        }
        sink_.at(where, key,
                 "a patient's calendar" + (worst.empty() ? std::string() : " in cohort " + std::string(worst)) +
                     " would have " + std::to_string(most) + " events (" + what + "), more than " +
                     std::to_string(max_events_per_patient) + ", the most trialcal plans for one patient");
        return false;
    }

    void check_regimen(const Protocol& p, const Regimen& g, const IdPlace& place) {
        const Product* product = p.product(g.product);
        if (!product) return;
        const auto& where = place.where;
        if (g.rule == AmountRule::per_kg && product->unit != "mg")
            sink_.at(where, place.path + ".mg_per_kg",
                     "a weight-based dose is in mg, but product '" + product->id + "' is in " + product->unit);
        if (g.rule == AmountRule::from_arm) {
            if (p.arms.empty())
                sink_.at(where, place.path + ".amount", "amount = \"arm\" needs [[arms]]");
            for (const auto& a : p.arms)
                if (!a.is_placebo(product->id) && !a.dose_of(product->id))
                    sink_.at(where, place.path + ".amount",
                             "arm '" + a.id + "' gives no dose of product '" + product->id +
                                 "': add it to the arm's doses or placebo");
        }
    }

    // Event ids must be unique in every calendar the file can produce: one per cohort.
    void check_event_ids(const Protocol& p) {
        std::vector<std::string> cohorts{""};
        if (!p.cohorts.empty()) {
            cohorts.clear();
            for (const auto& c : p.cohorts) cohorts.push_back(c.id);
        }
        std::set<std::string> reported;
        for (const auto& cohort : cohorts) {
            std::map<std::string, std::string> made_by;  // event id -> what makes it
            auto add = [&](const std::string& id, const std::string& what, const toml::source_region& where,
                           const std::string& path) {
                auto [it, fresh] = made_by.emplace(id, what);
                if (fresh || !reported.insert(id).second) return;
                sink_.at(where, path,
                         "duplicate event id '" + id + "'" + (cohort.empty() ? "" : " in cohort " + cohort) + ": " +
                             it->second + " and " + what + " both make it");
            };
            for (const auto& v : visit_ids_)
                if (!v.id.empty()) add(v.id, "visit " + v.path, v.where, v.path);
            for (std::size_t i = 0; i < p.regimens.size(); ++i) {
                const Regimen& g = p.regimens[i];
                if (!g.applies_to(cohort) || g.product.empty() || g.last_day < g.first_day) continue;
                std::vector<std::string> intakes;
                for (const auto& in : g.intakes)
                    if (std::find(intakes.begin(), intakes.end(), in) == intakes.end()) intakes.push_back(in);
                if (intakes.empty()) intakes.push_back("");
                for (StudyDay d = g.first_day; d <= g.last_day; d += g.every) {
                    for (const auto& intake : intakes)
                        add(dose_event_id(g.product, d, intake),
                            "regimen '" + g.id + "' (D" + std::to_string(d.count()) + ")", regimen_ids_[i].where,
                            regimen_ids_[i].path);
                }
            }
        }
    }

    // Every anchor names an event that the calendar of each patient having
    // the anchored visit or regimen plans (anchoring on a regimen of other
    // cohorts is refused for the cohorts that lack it: their patients would
    // have nothing to count from), and anchors never loop (course.md, Anchors).
    void check_anchors(const Protocol& p) {
        if (anchors_.empty()) return;
        std::vector<std::string_view> cohorts{""};
        if (!p.cohorts.empty()) {
            cohorts.clear();
            for (const auto& c : p.cohorts) cohorts.push_back(c.id);
        }
        std::vector<EventSources> sources;
        for (const auto cohort : cohorts) sources.emplace_back(p, cohort);
        std::vector<bool> sound(anchors_.size(), true);
        for (std::size_t k = 0; k < anchors_.size(); ++k) {
            const AnchorPlace& a = anchors_[k];
            const std::string& id = *anchor(p, a.source);
            if (early_termination_ && id == early_termination_->id) {
                sink_.at(a.where, a.key,
                         "anchor '" + id + "' is the early-termination visit, which no plan holds (a withdrawal "
                         "adds it): name a planned visit or dose");
                sound[k] = false;
                continue;
            }
            if (a.source.kind == EventKind::visit && id == p.visits[a.source.index].id) {
                sink_.at(a.where, a.key,
                         "visit '" + id + "' cannot count from itself: leave anchor out to count from day 0");
                sound[k] = false;
                continue;
            }
            bool anywhere = false;
            std::string missing;
            for (std::size_t c = 0; c < cohorts.size(); ++c) {
                if (sources[c](id)) anywhere = true;
                else if (applies(p, a.source, cohorts[c]))
                    missing += (missing.empty() ? "" : ", ") + std::string(cohorts[c]);
            }
            if (!anywhere)
                sink_.at(a.where, a.key,
                         "anchor '" + id + "' is not an event this protocol plans: name a visit id (\"V-D63\") or "
                         "a dose id (\"ILT101-D63\", \"CSA-D1-AM\")");
            else if (!missing.empty())
                sink_.at(a.where, a.key,
                         "anchor '" + id + "' is not planned in cohort " + missing + ", where " + name(p, a.source) +
                             " is: every patient with it needs the event it counts from");
            sound[k] = anywhere && missing.empty();
        }
        // Each visit or regimen counts from the one planning its anchor, at
        // most one: following anchors from any of them either stops or comes
        // back, and coming back is a loop. Walked without recursion, each
        // visit or regimen once per cohort.
        const std::size_t n = p.visits.size() + p.regimens.size();
        auto index = [&](EventSource s) { return s.kind == EventKind::visit ? s.index : p.visits.size() + s.index; };
        constexpr std::size_t unanchored = SIZE_MAX;
        std::vector<std::size_t> anchor_at(n, unanchored);  // visit or regimen -> its place in anchors_
        for (std::size_t k = 0; k < anchors_.size(); ++k) anchor_at[index(anchors_[k].source)] = k;
        std::set<std::vector<std::size_t>> reported;
        for (const EventSources& planned : sources) {
            enum : unsigned char { unseen, on_path, done };
            std::vector<unsigned char> state(n, unseen);
            for (std::size_t k = 0; k < anchors_.size(); ++k) {
                if (!sound[k] || state[index(anchors_[k].source)] != unseen) continue;
                std::vector<std::size_t> path;  // positions in anchors_
                std::size_t at = k;
                while (true) {
                    state[index(anchors_[at].source)] = on_path;
                    path.push_back(at);
                    const auto next = planned(*anchor(p, anchors_[at].source));
                    if (!next || *next == anchors_[at].source) break;  // day 0, or its own dose
                    const std::size_t t = anchor_at[index(*next)];
                    if (t == unanchored) break;  // counts from day 0
                    if (state[index(*next)] == done || !sound[t]) break;
                    if (state[index(*next)] == on_path) {
                        report_loop(p, {std::find(path.begin(), path.end(), t), path.end()}, reported);
                        break;
                    }
                    at = t;
                }
                for (const std::size_t x : path) state[index(anchors_[x].source)] = done;
            }
        }
    }

    // One diagnostic per loop, at the anchor written first in the file,
    // naming every visit or regimen of it and the event each counts from.
    void report_loop(const Protocol& p, std::vector<std::size_t> loop, std::set<std::vector<std::size_t>>& reported) {
        const auto first = std::min_element(loop.begin(), loop.end(), [&](std::size_t a, std::size_t b) {
            const auto& x = anchors_[a].where.begin;
            const auto& y = anchors_[b].where.begin;
            return x.line != y.line ? x.line < y.line : x.column < y.column;
        });
        std::rotate(loop.begin(), first, loop.end());
        if (!reported.insert(loop).second) return;
        std::string text = "anchors loop: " + name(p, anchors_[loop[0]].source);
        for (std::size_t i = 0; i < loop.size(); ++i) {
            const EventSource next = anchors_[loop[(i + 1) % loop.size()]].source;
            text += std::string(i == 0 ? "" : ", which") + " counts from " + *anchor(p, anchors_[loop[i]].source) +
                    " (" + name(p, next) + ")";
        }
        const AnchorPlace& at = anchors_[loop[0]];
        sink_.at(at.where, at.key, text + "; one of them must count from day 0 or from an event outside the loop");
    }

    static const std::optional<std::string>& anchor(const Protocol& p, EventSource s) {
        return s.kind == EventKind::visit ? p.visits[s.index].anchor : p.regimens[s.index].anchor;
    }
    static bool applies(const Protocol& p, EventSource s, std::string_view cohort) {
        return s.kind == EventKind::visit || p.regimens[s.index].applies_to(cohort);
    }
    static std::string name(const Protocol& p, EventSource s) {
        return s.kind == EventKind::visit ? "visit '" + p.visits[s.index].id + "'"
                                          : "regimen '" + p.regimens[s.index].id + "'";
    }

    struct AnchorPlace {
        EventSource source;
        toml::source_region where;
        std::string key;
    };

    struct Ref {
        std::string id;
        toml::source_region where;
        std::string key;
        enum Kind { product, cohort } kind;
    };

    Sink sink_;
    Checks checks_;
    toml::source_region header_{};
    toml::source_region visits_{};  // the first [[visits]], where a count of visits is reported
    std::vector<IdPlace> product_ids_, arm_ids_, cohort_ids_, regimen_ids_, criterion_ids_, visit_ids_;
    std::vector<IdPlace> groups_;                  // any_of of each criterion having one: group, where, key
    std::optional<IdPlace> early_termination_;     // the first early-termination visit
    std::vector<toml::source_region> arm_places_;
    std::vector<Ref> refs_;
    std::vector<AnchorPlace> anchors_;  // regimens, then visits, each in file order
};

}  // namespace

ParsedProtocol parse_protocol(std::string_view text, Checks checks) {
    ParsedProtocol out;
    const std::optional<toml::table> root = toml_read::parse(text, out.diagnostics);
    if (!root) return out;
    Protocol p;
    Parser(out.diagnostics, checks).run(*root, p);
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    if (out.diagnostics.empty()) out.protocol = std::move(p);
    return out;
}

}  // namespace trialcal
