#include "core/protocol_parser.hpp"

#include "core/number.hpp"

// The core builds without exceptions: toml++ then reports errors as values.
#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <set>
#include <string>

namespace trialcal {

namespace {

// Study days and windows beyond ten years are typing mistakes, not protocols.
constexpr std::int64_t max_study_day = 3660;
constexpr std::int64_t min_study_day = -365;

std::string type_name(const toml::node& n) {
    switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
    }
}

class Sink {
public:
    explicit Sink(Diagnostics& out) : out_(out) {}
    void at(const toml::source_region& where, std::string key, std::string message) {
        out_.push_back({static_cast<int>(where.begin.line), static_cast<int>(where.begin.column),
                        std::move(key), std::move(message)});
    }
    void at(const toml::node& n, std::string key, std::string message) {
        at(n.source(), std::move(key), std::move(message));
    }

private:
    Diagnostics& out_;
};

// Reads one table's keys with their expected types, reporting each missing,
// mistyped or unknown key once, at its place in the file.
class TableReader {
public:
    TableReader(const toml::table& t, std::string path, Sink& sink) : t_(t), path_(std::move(path)), sink_(sink) {}
    TableReader(const TableReader&) = delete;
    TableReader& operator=(const TableReader&) = delete;
    ~TableReader() { report_unknown(); }

    [[nodiscard]] std::string key(std::string_view k) const {
        return path_.empty() ? std::string(k) : path_ + "." + std::string(k);
    }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] const toml::table& table() const noexcept { return t_; }
    Sink& sink() noexcept { return sink_; }

    const toml::node* get(std::string_view k, bool required) {
        used_.insert(std::string(k));
        const toml::node* n = t_.get(k);
        if (!n && required) sink_.at(t_.source(), key(k), "missing required key '" + std::string(k) + "'");
        return n;
    }

    std::optional<std::string> string(std::string_view k, bool required, bool non_empty = true) {
        const toml::node* n = get(k, required);
        if (!n) return std::nullopt;
        const auto* s = n->as_string();
        if (!s) return wrong(*n, k, "a string");
        if (non_empty && s->get().empty()) {
            sink_.at(*n, key(k), "must not be empty");
            return std::nullopt;
        }
        return s->get();
    }

    std::optional<std::int64_t> integer(std::string_view k, bool required, std::int64_t lo, std::int64_t hi) {
        const toml::node* n = get(k, required);
        if (!n) return std::nullopt;
        const auto* i = n->as_integer();
        if (!i) return wrong(*n, k, "an integer");
        if (i->get() < lo || i->get() > hi) {
            sink_.at(*n, key(k),
                     std::to_string(i->get()) + " is out of range " + std::to_string(lo) + " to " + std::to_string(hi));
            return std::nullopt;
        }
        return i->get();
    }

    std::optional<double> number(std::string_view k, bool required) {
        const toml::node* n = get(k, required);
        if (!n) return std::nullopt;
        return as_number(*n, key(k));
    }

    std::optional<double> as_number(const toml::node& n, const std::string& where) {
        if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
        if (const auto* f = n.as_floating_point()) {
            if (!std::isfinite(f->get())) {
                sink_.at(n, where, "must be a finite number");
                return std::nullopt;
            }
            return f->get();
        }
        sink_.at(n, where, "expected a number, found " + type_name(n));
        return std::nullopt;
    }

    std::optional<bool> boolean(std::string_view k) {
        const toml::node* n = get(k, false);
        if (!n) return std::nullopt;
        const auto* b = n->as_boolean();
        if (!b) return wrong(*n, k, "true or false");
        return b->get();
    }

    std::optional<std::vector<std::string>> strings(std::string_view k, bool required) {
        const toml::node* n = get(k, required);
        if (!n) return std::nullopt;
        const auto* a = n->as_array();
        if (!a) return wrong(*n, k, "an array of strings");
        std::vector<std::string> out;
        bool ok = true;
        for (std::size_t i = 0; i < a->size(); ++i) {
            const auto* s = (*a)[i].as_string();
            if (!s || s->get().empty()) {
                sink_.at((*a)[i], key(k) + "[" + std::to_string(i) + "]",
                         s ? "must not be empty" : "expected a string, found " + type_name((*a)[i]));
                ok = false;
                continue;
            }
            out.push_back(s->get());
        }
        if (!ok) return std::nullopt;
        return out;
    }

    // window = [days before, days after]
    std::optional<Window> window(std::string_view k) {
        const toml::node* n = get(k, true);
        if (!n) return std::nullopt;
        const auto* a = n->as_array();
        if (!a || a->size() != 2)
            return wrong(*n, k, "[days before, days after], e.g. [1, 1] for -1/+1 days");
        std::int64_t v[2]{};
        bool ok = true;
        for (std::size_t i = 0; i < 2; ++i) {
            const auto* x = (*a)[i].as_integer();
            if (!x) {
                sink_.at((*a)[i], key(k), "window bounds are whole days, found " + type_name((*a)[i]));
                ok = false;
            } else if (x->get() < 0) {
                sink_.at((*a)[i], key(k),
                         std::string("window bounds count days ") + (i == 0 ? "before" : "after") +
                             " the nominal date and cannot be negative: write " + std::to_string(-x->get()) +
                             " for " + (i == 0 ? "-" : "+") + std::to_string(-x->get()) + " days");
                ok = false;
            } else if (x->get() > max_study_day) {
                sink_.at((*a)[i], key(k), std::to_string(x->get()) + " days is out of range 0 to " +
                                              std::to_string(max_study_day));
                ok = false;
            } else {
                v[i] = x->get();
            }
        }
        if (!ok) return std::nullopt;
        return Window{date::days{v[0]}, date::days{v[1]}};
    }

    void report_unknown() {
        if (reported_) return;
        reported_ = true;
        for (auto&& [k, n] : t_) {
            if (used_.count(std::string(k.str()))) continue;
            sink_.at(k.source(), key(k.str()), "unknown key '" + std::string(k.str()) + "'");
        }
    }

private:
    std::nullopt_t wrong(const toml::node& n, std::string_view k, const std::string& expected) {
        sink_.at(n, key(k), "expected " + expected + ", found " + type_name(n));
        return std::nullopt;
    }

    const toml::table& t_;
    std::string path_;
    Sink& sink_;
    std::set<std::string> used_;
    bool reported_ = false;
};

// Every element of an array of tables ([[visits]]), with its path.
template <class F>
void each_table(TableReader& top, std::string_view k, bool required, F&& f) {
    const toml::node* n = top.get(k, required);
    if (!n) return;
    const auto* a = n->as_array();
    if (!a) {
        top.sink().at(*n, std::string(k), "expected an array of tables ([[" + std::string(k) + "]])");
        return;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
        const std::string path = std::string(k) + "[" + std::to_string(i) + "]";
        const auto* t = (*a)[i].as_table();
        if (!t) {
            top.sink().at((*a)[i], path, "expected a table, found " + type_name((*a)[i]));
            continue;
        }
        TableReader r(*t, path, top.sink());
        f(r);
    }
}

// An id as read, with where it stands and the key path of the table it names.
struct IdPlace {
    std::string id;
    toml::source_region where;
    std::string path;  // "products[1]"
};

void check_unique(Sink& sink, const std::vector<IdPlace>& ids, const std::string& what) {
    std::set<std::string> seen;
    for (const auto& p : ids)
        if (!p.id.empty() && !seen.insert(p.id).second)
            sink.at(p.where, p.path + ".id", "duplicate " + what + " id '" + p.id + "'");
}

// An id becomes part of event ids and command-line values: keep it plain.
bool plain_id(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
               c == '_' || c == '.';
    });
}

std::optional<std::string> id_key(TableReader& r, std::string_view k) {
    auto id = r.string(k, true);
    if (id && !plain_id(*id)) {
        r.sink().at(*r.table().get(k), r.key(k),
                    "'" + *id + "' must be letters, digits, '-', '_' or '.' only");
        return std::nullopt;
    }
    return id;
}

class Parser {
public:
    explicit Parser(Diagnostics& d) : sink_(d) {}

    void run(const toml::table& root, Protocol& p) {
        TableReader top(root, "", sink_);
        read_header(top, p);
        each_table(top, "products", true, [&](TableReader& r) { read_product(r, p); });
        each_table(top, "arms", false, [&](TableReader& r) { read_arm(r, p); });
        each_table(top, "cohorts", false, [&](TableReader& r) { read_cohort(r, p); });
        each_table(top, "regimens", false, [&](TableReader& r) { read_regimen(r, p); });
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
        regimen_ids_.push_back({g.id, r.table().source(), r.path()});
        p.regimens.push_back(std::move(g));
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
        visit_ids_.push_back({v.id, r.table().source(), r.path()});
        p.visits.push_back(std::move(v));
    }

    void read_criterion(TableReader& r, Protocol& p) {
        Criterion c;
        c.id = id_key(r, "id").value_or("");
        c.text = r.string("text", true).value_or("");
        c.unit = r.string("unit", true).value_or("");
        c.min = r.number("min", false);
        c.max = r.number("max", false);
        if (!c.min && !c.max) sink_.at(r.table().source(), r.path(), "a criterion needs min, max or both");
        if (c.min && c.max && *c.max < *c.min)
            sink_.at(*r.table().get("max"), r.key("max"),
                     "max " + to_text(*c.max) + " is below min " + to_text(*c.min));
        criterion_ids_.push_back({c.id, r.table().source(), r.path()});
        p.eligibility.push_back(std::move(c));
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
        check_event_ids(p);
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
                    const std::string base = g.product + "-D" + std::to_string(d.count());
                    for (const auto& intake : intakes)
                        add(intake.empty() ? base : base + "-" + intake,
                            "regimen '" + g.id + "' (D" + std::to_string(d.count()) + ")", regimen_ids_[i].where,
                            regimen_ids_[i].path);
                }
            }
        }
    }

    struct Ref {
        std::string id;
        toml::source_region where;
        std::string key;
        enum Kind { product, cohort } kind;
    };

    Sink sink_;
    toml::source_region header_{};
    std::vector<IdPlace> product_ids_, arm_ids_, cohort_ids_, regimen_ids_, criterion_ids_, visit_ids_;
    std::vector<toml::source_region> arm_places_;
    std::vector<Ref> refs_;
};

}  // namespace

ParsedProtocol parse_protocol(std::string_view text) {
    ParsedProtocol out;
    toml::parse_result parsed = toml::parse(text);
    if (!parsed) {
        const auto& e = parsed.error();
        out.diagnostics.push_back({static_cast<int>(e.source().begin.line), static_cast<int>(e.source().begin.column),
                                   "", std::string(e.description())});
        return out;
    }
    Protocol p;
    Parser(out.diagnostics).run(parsed.table(), p);
    std::stable_sort(out.diagnostics.begin(), out.diagnostics.end(), [](const Diagnostic& a, const Diagnostic& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    if (out.diagnostics.empty()) out.protocol = std::move(p);
    return out;
}

}  // namespace trialcal
