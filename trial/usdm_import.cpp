#include "trial/usdm_import.hpp"

#include "core/anchors.hpp"
#include "core/protocol_parser.hpp"
#include "output/protocol_toml.hpp"
#include "output/usdm.hpp"
#include "trial/catalog.hpp"
#include "trial/error.hpp"
#include "trial/input_file.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <set>

namespace trialcal::trial {

namespace {

using json = nlohmann::json;

// A value of the document and where it is: "$.study.versions[0]".
struct At {
    const json& v;
    std::string path;

    [[noreturn]] void fail(const std::string& what) const { throw Error(Kind::bad_data, path + ": " + what); }

    [[nodiscard]] bool has(std::string_view k) const {
        const auto it = v.find(k);
        return it != v.end() && !it->is_null();
    }
    [[nodiscard]] At operator[](std::string_view k) const {
        const auto it = v.find(k);
        const std::string p = fmt::format("{}.{}", path, k);
        if (it == v.end() || it->is_null()) throw Error(Kind::bad_data, p + ": missing, the import needs it");
        return {*it, p};
    }
    [[nodiscard]] At operator[](std::size_t i) const { return {v[i], fmt::format("{}[{}]", path, i)}; }
    [[nodiscard]] const At& object() const {
        if (!v.is_object()) fail(fmt::format("must be an object, not {}", v.type_name()));
        return *this;
    }
    [[nodiscard]] std::size_t size() const {
        if (!v.is_array()) fail(fmt::format("must be an array, not {}", v.type_name()));
        return v.size();
    }
    // Every item of an array, each an object.
    [[nodiscard]] std::vector<At> items() const {
        std::vector<At> out;
        for (std::size_t i = 0, n = size(); i < n; ++i) out.push_back((*this)[i].object());
        return out;
    }
    // An optional array: none when missing or null.
    [[nodiscard]] std::vector<At> items(std::string_view k) const {
        return has(k) ? (*this)[k].items() : std::vector<At>{};
    }
    [[nodiscard]] std::string str() const {
        if (!v.is_string()) fail(fmt::format("must be a string, not {}", v.type_name()));
        return v.get<std::string>();
    }
    // An optional string: empty when missing or null.
    [[nodiscard]] std::string str(std::string_view k) const { return has(k) ? (*this)[k].str() : std::string(); }
    [[nodiscard]] std::vector<std::string> strings(std::string_view k) const {
        std::vector<std::string> out;
        if (!has(k)) return out;
        const At a = (*this)[k];
        for (std::size_t i = 0, n = a.size(); i < n; ++i) out.push_back(a[i].str());
        return out;
    }
};

// An ISO 8601 duration, PnYnMnWnDTnHnMnS, as USDM's timings and windows give it.
struct Duration {
    long long months = 0;   // years x 12 + months: no fixed number of days
    long long days = 0;     // weeks x 7 + days
    long long seconds = 0;  // hours, minutes, seconds
};

std::optional<Duration> parse_duration(std::string_view s) {
    if (s.size() < 2 || s[0] != 'P') return std::nullopt;
    Duration d;
    bool time = false, any = false;
    for (std::size_t i = 1; i < s.size();) {
        if (s[i] == 'T') {
            if (time) return std::nullopt;
            time = true;
            ++i;
            continue;
        }
        long long n = 0;
        const auto [end, ec] = std::from_chars(s.data() + i, s.data() + s.size(), n);
        // Far beyond any study (a million of any unit): refused before it can overflow.
        if (ec != std::errc{} || end == s.data() + s.size() || n < 0 || n > 1'000'000) return std::nullopt;
        i = static_cast<std::size_t>(end - s.data());
        const char unit = s[i++];
        any = true;
        if (!time && unit == 'Y') d.months += 12 * n;
        else if (!time && unit == 'M') d.months += n;
        else if (!time && unit == 'W') d.days += 7 * n;
        else if (!time && unit == 'D') d.days += n;
        else if (time && unit == 'H') d.seconds += 3600 * n;
        else if (time && unit == 'M') d.seconds += 60 * n;
        else if (time && unit == 'S') d.seconds += n;
        else return std::nullopt;
    }
    if (!any) return std::nullopt;
    return d;
}

// Letters, digits, '-', '_', '.': what the protocol format takes as an id.
std::string plain(std::string_view s) {
    std::string out;
    for (const char c : s) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_' || c == '.';
        if (ok) out += c;
        else if (!out.empty() && out.back() != '-') out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// A Code's (or an AliasCode's standard code's) decode, and code.
std::string decode(const At& code) {
    if (code.has("standardCode")) return decode(code["standardCode"].object());
    return code.str("decode");
}
std::string code_of(const At& code) {
    if (code.has("standardCode")) return code_of(code["standardCode"].object());
    return code.str("code");
}

// The object's extension attributes with `url`, in order.
std::vector<At> extensions(const At& o, std::string_view url) {
    std::vector<At> out;
    for (const auto& e : o.items("extensionAttributes"))
        if (e.str("url") == url) out.push_back(e);
    return out;
}
std::optional<At> extension(const At& o, std::string_view url) {
    auto all = extensions(o, url);
    if (all.empty()) return std::nullopt;
    return all.front();
}
std::optional<std::string> ext_string(const At& o, std::string_view url) {
    if (auto e = extension(o, url)) return (*e)["valueString"].str();
    return std::nullopt;
}
std::optional<long long> ext_integer(const At& o, std::string_view url) {
    auto e = extension(o, url);
    if (!e) return std::nullopt;
    const At v = (*e)["valueInteger"];
    if (!v.v.is_number_integer()) v.fail("must be an integer");
    const long long n = v.v.get<long long>();
    // The protocol parser says which limit a value breaks; this keeps it an int.
    if (n < -1'000'000 || n > 1'000'000) v.fail(fmt::format("{} is beyond any study", n));
    return n;
}
double number_text(const At& where, const std::string& s) {
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc{} || end != s.data() + s.size()) where.fail(fmt::format("'{}' is not a number", s));
    return d;
}
std::optional<double> ext_number(const At& o, std::string_view url) {
    auto e = extension(o, url);
    if (!e) return std::nullopt;
    return number_text((*e)["valueString"], (*e)["valueString"].str());
}

class Importer {
public:
    UsdmProtocol run(const json& doc) {
        const At root{doc, "$"};
        (void)root.object();
        const std::string usdm_version = root["usdmVersion"].str();
        if (!usdm_version.starts_with("4."))
            warn(root["usdmVersion"].path, fmt::format("USDM {}: read as version 4", usdm_version));
        const At study = root["study"].object();
        const At versions = study["versions"];
        if (versions.size() == 0) versions.fail("no study version: nothing to import");
        if (versions.size() > 1)
            warn(versions.path, fmt::format("{} versions: only the first is imported", versions.size()));
        const At v = versions[0].object();
        const At designs = v["studyDesigns"];
        if (designs.size() == 0) designs.fail("no study design: nothing to import");
        if (designs.size() > 1) warn(designs.path, fmt::format("{} designs: only the first is imported", designs.size()));
        const At d = designs[0].object();

        header(study, v, d);
        products(v);
        arms(d);
        for (const auto& c : d["population"].object().items("cohorts"))
            p_.cohorts.push_back({plain(c.str("name")), label_of(c)});
        criteria(v, d);
        age(d["population"]);
        epochs(d);
        timelines(d);
        regimens(v);
        check_anchors();
        for (const auto& n : v.items("notes"))
            for (const auto& c : n.items("codes"))
                if (c.str("codeSystem") == usdm_ext::assumption_system) p_.assumptions.push_back({c.str("code"), n.str("text")});
        for (auto& a : assumptions_) p_.assumptions.push_back(std::move(a));
        return {std::move(p_), std::move(warnings_)};
    }

private:
    void warn(const std::string& path, const std::string& what) { warnings_.push_back(path + ": " + what); }
    void assume(std::string about, std::string text) { assumptions_.push_back({std::move(about), std::move(text)}); }

    static std::string label_of(const At& o) {
        if (!o.str("label").empty()) return o.str("label");
        if (!o.str("description").empty()) return o.str("description");
        return o["name"].str();
    }

    void header(const At& study, const At& v, const At& d) {
        std::string acronym, official, brief;
        for (const auto& t : v.items("titles")) {
            const std::string type = lower(decode(t["type"].object()));
            if (type == "study acronym") acronym = t["text"].str();
            else if (type == "official study title") official = t["text"].str();
            else if (type == "brief study title") brief = t["text"].str();
        }
        const auto ids = v.items("studyIdentifiers");
        p_.id = plain(!acronym.empty()          ? acronym
                      : !ids.empty()            ? ids.front()["text"].str()
                                                : study["name"].str());
        if (p_.id.empty()) study["name"].fail("no id: give a Study Acronym title, a study identifier or a name");
        p_.version = plain(v["versionIdentifier"].str());
        if (p_.version.empty()) v["versionIdentifier"].fail("must have letters or digits");
        p_.title = !official.empty() ? official : !brief.empty() ? brief : label_of(study);
        // Registry numbers: the identifiers a Study Registry organisation scopes.
        std::set<std::string> registries;
        for (const auto& o : v.items("organizations")) {
            const At type = o["type"].object();
            if (code_of(type) == "C93453" || lower(decode(type)) == "study registry") registries.insert(o["id"].str());
        }
        for (const auto& i : ids)
            if (registries.count(i["scopeId"].str())) p_.registry_ids.push_back(i["text"].str());
        p_.design = study.str("description");
        p_.notes = v.str("rationale");
        if (d.has("blindingSchema")) {
            const std::string b = lower(decode(d["blindingSchema"].object()));
            p_.blinded = b.find("blind") != std::string::npos && b.find("open") == std::string::npos;
        }
        if (auto days = ext_integer(v, usdm_ext::screening_valid_days)) p_.screening_valid_days = date::days{*days};
    }

    void products(const At& v) {
        for (const auto& si : v.items("studyInterventions")) {
            Product x;
            x.id = plain(si["name"].str());
            x.drug = label_of(si);
            const auto admins = si.items("administrations");
            const auto first_text = [&](std::string_view key) -> std::string {
                for (const auto& a : admins)
                    if (a.has(key)) {
                        const At c = a[key].object();
                        return key == "dose" ? (c.has("unit") ? decode(c["unit"].object()) : std::string()) : decode(c);
                    }
                return {};
            };
            x.route = ext_string(si, usdm_ext::product_route).value_or(first_text("route"));
            x.unit = ext_string(si, usdm_ext::product_unit).value_or(first_text("dose"));
            x.form = ext_string(si, usdm_ext::product_form).value_or("");
            if (x.route.empty()) {
                x.route = "unspecified";
                assume("products." + x.id + ".route", "USDM gives no route for " + x.drug + ".");
            }
            if (x.unit.empty()) {
                x.unit = "unspecified";
                assume("products." + x.id + ".unit", "USDM gives no dose unit for " + x.drug + ".");
            }
            x.blinded_label = ext_string(si, usdm_ext::blinded_label);
            if (auto amount = ext_number(si, usdm_ext::blinded_amount)) {
                x.blinded_amount = amount;
                x.blinded_unit = ext_string(si, usdm_ext::blinded_unit).value_or("");
            }
            if (p_.blinded && !x.blinded_label && extensions(si, usdm_ext::product_route).empty()) {
                x.blinded_label = x.drug + " or placebo";
                assume("products." + x.id + ".blinded_label",
                       fmt::format("The study is blinded; USDM gives no label for blinded staff: '{}' assumed.",
                                   *x.blinded_label));
            }
            interventions_[si["id"].str()] = x.id;
            p_.products.push_back(std::move(x));
        }
    }

    void arms(const At& d) {
        const auto all = d["arms"].items();
        if (all.size() == 1 && extension(all[0], usdm_ext::single_group)) return;  // trialcal's single group
        // The interventions each arm receives: its study cells' elements.
        std::map<std::string, std::set<std::string>> element_interventions;
        for (const auto& e : d.items("elements"))
            for (const auto& i : e.strings("studyInterventionIds")) element_interventions[e["id"].str()].insert(i);
        for (const auto& c : d.items("studyCells"))
            for (const auto& e : c.strings("elementIds"))
                for (const auto& i : element_interventions[e]) arm_receives_[c["armId"].str()].insert(i);
        for (const auto& a : all) {
            arm_ids_.push_back(a["id"].str());
            arm_placebo_.push_back(lower(decode(a["type"].object())).find("placebo") != std::string::npos);
            Arm arm;
            arm.id = plain(a["name"].str());
            arm.name = label_of(a);
            for (const auto& e : a.items("extensionAttributes")) {
                const std::string url = e.str("url");
                if (url.starts_with(usdm_ext::arm_dose))
                    arm.doses.emplace_back(url.substr(usdm_ext::arm_dose.size()),
                                           number_text(e["valueString"], e["valueString"].str()));
                else if (url == usdm_ext::arm_placebo) arm.placebo.push_back(e["valueString"].str());
            }
            p_.arms.push_back(std::move(arm));
        }
    }

    // Criteria with trialcal's bounds; the others are text, which trialcal
    // does not check: one warning says how many are left to the screening form.
    void criteria(const At& v, const At& d) {
        std::map<std::string, std::string> texts;
        for (const auto& i : v.items("eligibilityCriterionItems")) texts[i["id"].str()] = i.str("text");
        std::size_t text_only = 0;
        for (const auto& c : d.items("eligibilityCriteria")) {
            const auto unit = ext_string(c, usdm_ext::criterion_unit);
            if (!unit) {
                ++text_only;
                continue;
            }
            Criterion k;
            k.id = plain(c["name"].str());
            k.text = texts.count(c.str("criterionItemId")) ? texts[c.str("criterionItemId")] : label_of(c);
            k.unit = *unit;
            k.min = ext_number(c, usdm_ext::criterion_min);
            k.max = ext_number(c, usdm_ext::criterion_max);
            k.min_exclusive = ext_number(c, usdm_ext::criterion_min_exclusive);
            k.max_exclusive = ext_number(c, usdm_ext::criterion_max_exclusive);
            k.any_of = ext_string(c, usdm_ext::criterion_any_of).value_or("");
            p_.eligibility.push_back(std::move(k));
        }
        if (text_only > 0)
            warn(d["eligibilityCriteria"].path,
                 fmt::format("{} eligibility criteria are text; trialcal checks numeric bounds only: not imported "
                             "(they belong on the screening form)",
                             text_only));
    }

    // The population's planned age, when USDM gives it in years and no
    // criterion is about age already: an eligibility criterion.
    void age(const At& population) {
        if (!population.has("plannedAge")) return;
        if (std::any_of(p_.eligibility.begin(), p_.eligibility.end(), [](const Criterion& c) { return c.id == "age"; }))
            return;
        const At r = population["plannedAge"].object();
        const auto bound = [](const At& q) -> std::optional<double> {
            if (!q.has("unit") || lower(decode(q["unit"].object())) != "year" || !q["value"].v.is_number())
                return std::nullopt;
            return q["value"].v.get<double>();
        };
        Criterion c;
        c.id = "age";
        c.text = "Age at inclusion (USDM population planned age)";
        c.unit = "years";
        if (r.has("minValue")) c.min = bound(r["minValue"].object());
        if (r.has("maxValue")) c.max = bound(r["maxValue"].object());
        if (!c.min && !c.max) {
            warn(r.path, "planned age not in years: not imported as an eligibility criterion");
            return;
        }
        p_.eligibility.push_back(std::move(c));
    }

    // trialcal has no epochs: the visits of each, in the notes, when there are several.
    void epochs(const At& d) {
        for (const auto& e : d.items("epochs")) epoch_names_[e["id"].str()] = label_of(e);
    }

    struct Instance {
        At at;
        std::string id, name;
        const json* timing = nullptr;
        std::string timing_path;
        std::optional<int> day;
        bool visiting = false;
    };

    void timelines(const At& d) {
        std::optional<At> main;
        std::map<std::string, std::string> sub_activities;  // timeline id -> activity names
        for (const auto& a : d.items("activities")) {
            activities_[a["id"].str()] = label_of(a);
            if (a.has("timelineId")) sub_activities[a["timelineId"].str()] += (sub_activities[a["timelineId"].str()].empty() ? "" : ", ") + ("'" + label_of(a) + "'");
        }
        for (const auto& e : d.items("encounters")) encounters_.emplace(e["id"].str(), e);
        for (const auto& t : d.items("scheduleTimelines")) {
            if (t["mainTimeline"].v == true) {
                if (main) warn(t.path, "a second main timeline: not imported");
                else main.emplace(t);
            }
        }
        if (!main) d["scheduleTimelines"].fail("no main timeline (mainTimeline = true): no visits to import");
        main_visits(*main);
        for (const auto& t : d.items("scheduleTimelines")) {
            if (t["mainTimeline"].v == true) continue;
            const std::string what = lower(t.str("name") + " " + t.str("label") + " " + t.str("entryCondition"));
            if (extension(t, usdm_ext::early_termination) || what.find("early termination") != std::string::npos ||
                what.find("terminates") != std::string::npos) {
                early_termination(t);
                continue;
            }
            const auto sub = sub_activities.find(t["id"].str());
            warn(t.path, fmt::format("timeline '{}' (entry: '{}', {} instance(s), {} timing(s)) is not imported: "
                                     "its instances are timed from its own entry, not from day 0, and trialcal plans "
                                     "study days from day 0 only{}",
                                     t.str("name"), t.str("entryCondition"), t.items("instances").size(),
                                     t.items("timings").size(),
                                     sub != sub_activities.end()
                                         ? fmt::format("; activity {}, which runs it, stays a procedure wherever a "
                                                       "visit lists it",
                                                       sub->second)
                                         : std::string()));
        }
    }

    // The instances of a timeline, each with the timing that places it.
    std::vector<Instance> instances(const At& t) {
        std::vector<Instance> out;
        for (const auto& i : t.items("instances")) {
            if (i["instanceType"].str() != "ScheduledActivityInstance") {
                warn(i.path, fmt::format("{} '{}': trialcal has no branches in a schedule; not imported",
                                         i["instanceType"].str(), i.str("name")));
                continue;
            }
            out.push_back({i, i["id"].str(), i["name"].str(), nullptr, {}, std::nullopt, false});
        }
        static const json none = json::array();
        const At timings = t.has("timings") ? t["timings"] : At{none, t.path + ".timings"};
        for (std::size_t k = 0, n = timings.size(); k < n; ++k) {
            const At x = timings[k].object();
            const std::string from = x["relativeFromScheduledInstanceId"].str();
            auto it = std::find_if(out.begin(), out.end(), [&](const Instance& i) { return i.id == from; });
            if (it == out.end()) x["relativeFromScheduledInstanceId"].fail("'" + from + "' is no instance of this timeline");
            if (it->timing) {
                warn(x.path, fmt::format("a second timing for '{}': only the first ({}) places it", it->name, it->timing_path));
                continue;
            }
            it->timing = &x.v;
            it->timing_path = x.path;
        }
        return out;
    }

    // Whole days of a duration; months and sub-day parts are warned about.
    long long whole_days(const At& where, const std::string& what, const std::string& about, bool window) {
        const std::string text = where.str();
        const auto dur = parse_duration(text);
        if (!dur) where.fail(fmt::format("'{}' is not an ISO 8601 duration (PnYnMnWnDTnHnMnS)", text));
        long long days = dur->days;
        if (dur->months != 0) {
            days += dur->months * 30;
            warn(where.path, fmt::format("{} {} has months or years, which are no fixed number of days: counted as {} "
                                         "days (30 a month, 360 a year)", what, text, days));
            assume(about, fmt::format("{} {} counted as {} days (30 days a month).", what, text, days));
        }
        if (dur->seconds % 86400 != 0) {
            const long long d = dur->seconds / 86400;
            warn(where.path, fmt::format("{} {} is not whole days: trialcal {} whole days, {} day(s) kept", what, text,
                                         window ? "windows are" : "plans", d));
            assume(about, fmt::format("USDM gives {} {}, not whole days: {} whole day(s) kept; the hours and minutes are "
                                      "lost.", what, text, d));
        }
        return days + dur->seconds / 86400;
    }

    enum class Type { fixed, before, after };
    Type timing_type(const At& x) {
        const At t = x["type"].object();
        const std::string c = code_of(t), dc = lower(decode(t));
        if (c == "C201358" || dc == "fixed reference") return Type::fixed;
        if (c == "C201357" || dc == "before") return Type::before;
        if (c == "C201356" || dc == "after") return Type::after;
        t.fail(fmt::format("timing type '{}' ({}): expected Fixed Reference, Before or After", decode(t), c));
    }

    // Study days of every instance placed by a timing: the fixed reference is day 0.
    void place(std::vector<Instance>& list, std::optional<std::string>& reference, const std::string& about) {
        for (auto& i : list)
            if (i.timing && timing_type({*i.timing, i.timing_path}) == Type::fixed) {
                if (reference) {
                    warn(i.timing_path, fmt::format("a second fixed reference ('{}'): placed as day 0 too", i.name));
                } else {
                    reference = i.id;
                    const At value = At{*i.timing, i.timing_path}["value"];
                    if (value.str() != "P0D" && value.str() != "PT0M")
                        assume(about, fmt::format("USDM's fixed reference '{}' has the value {} ('{}'), a label "
                                                         "of the reference day; trialcal's day 0 is that instance and "
                                                         "every other day counts from it by its timing.",
                                                         i.name, value.str(), At{*i.timing, i.timing_path}.str("valueLabel")));
                }
                i.day = 0;
            }
        std::function<std::optional<int>(Instance&)> day_of = [&](Instance& i) -> std::optional<int> {
            if (i.day) return i.day;
            if (!i.timing) return std::nullopt;
            const At x{*i.timing, i.timing_path};
            if (i.visiting) x.fail(fmt::format("timings loop back to '{}'", i.name));
            i.visiting = true;
            const std::string to = x["relativeToScheduledInstanceId"].str();
            auto it = std::find_if(list.begin(), list.end(), [&](const Instance& o) { return o.id == to; });
            if (it == list.end()) x["relativeToScheduledInstanceId"].fail("'" + to + "' is no instance of this timeline");
            const auto base = day_of(*it);
            if (!base) x["relativeToScheduledInstanceId"].fail("'" + it->name + "' has no timing: no day to count from");
            const long long n = whole_days(x["value"], "timing of " + i.name, "visits." + plain(i.name) + ".day", false);
            const std::string rel = x.has("relativeToFrom") ? decode(x["relativeToFrom"].object()) : "Start to Start";
            if (lower(rel) != "start to start")
                warn(x.path + ".relativeToFrom", fmt::format("'{}': trialcal visits are one day, counted start to start",
                                                             rel));
            const long long day = *base + (timing_type(x) == Type::before ? -n : n);
            // Ten times trialcal's limits: the protocol parser says which limit, this only keeps the sum in range.
            if (day < -36'600 || day > 36'600) x["value"].fail(fmt::format("puts '{}' on day {}, beyond any study", i.name, day));
            i.day = static_cast<int>(day);
            i.visiting = false;
            return i.day;
        };
        for (auto& i : list)
            if (!day_of(i))
                warn(i.at.path, fmt::format("instance '{}' has no timing: not planned", i.name));
    }

    Window window_of(const Instance& i, const std::string& visit, std::vector<std::string>& without) {
        const At x{*i.timing, i.timing_path};
        Window w;
        if (!x.has("windowLower") && !x.has("windowUpper")) {
            without.push_back(visit);
            return w;
        }
        if (x.has("windowLower")) w.before = date::days{whole_days(x["windowLower"], "window of " + i.name, "visits." + visit + ".window", true)};
        if (x.has("windowUpper")) w.after = date::days{whole_days(x["windowUpper"], "window of " + i.name, "visits." + visit + ".window", true)};
        if (!x.has("windowLower") || !x.has("windowUpper")) {
            without.push_back(visit);
        }
        return w;
    }

    std::vector<std::string> procedures(const Instance& i) {
        std::vector<std::string> out;
        for (const auto& a : i.at.strings("activityIds")) {
            const auto it = activities_.find(a);
            if (it == activities_.end()) i.at["activityIds"].fail("'" + a + "' is no activity of the design");
            out.push_back(it->second);
        }
        return out;
    }

    void main_visits(const At& t) {
        auto list = instances(t);
        std::optional<std::string> reference;
        place(list, reference, "visits.day");
        if (!reference) t["timings"].fail("no Fixed Reference timing: no day 0 to count the visits from");
        std::map<std::string, int> encounter_uses;
        std::map<std::string, int> name_uses;
        for (const auto& i : list) {
            if (i.at.has("encounterId")) ++encounter_uses[i.at["encounterId"].str()];
            ++name_uses[i.name];
        }
        std::vector<std::string> without;
        std::map<std::string, std::vector<std::string>> by_epoch;
        std::vector<std::string> epoch_order;
        for (auto& i : list) {
            if (!i.day) continue;
            event_of_[i.id] = plain(i.name);
            if (!i.at.has("encounterId")) {
                const bool counted_from = std::any_of(list.begin(), list.end(), [&](const Instance& o) {
                    return o.timing && At{*o.timing, o.timing_path}.str("relativeToScheduledInstanceId") == i.id;
                });
                if (!i.at.strings("activityIds").empty() && i.id != *reference && !counted_from)
                    warn(i.at.path, fmt::format("instance '{}' has no encounter: not a visit, only a point others may "
                                                "count from; its activities are not planned",
                                                i.name));
                points_[i.id] = *i.day;
                continue;
            }
            const std::string enc_id = i.at["encounterId"].str();
            const auto enc = encounters_.find(enc_id);
            if (enc == encounters_.end()) i.at["encounterId"].fail("'" + enc_id + "' is no encounter of the design");
            Visit v;
            v.id = name_uses[i.name] == 1 && !plain(i.name).empty() ? plain(i.name) : plain(i.id);
            event_of_[i.id] = v.id;
            v.day = StudyDay{*i.day};
            v.name = label_of(enc->second);
            if (encounter_uses[enc_id] > 1) {
                v.name += " (" + i.name + ")";
                assume("visits." + v.id + ".name",
                       fmt::format("Encounter '{}' is used by {} instances; this one ('{}', day {}) is named '{}'.",
                                   enc->second.str("name"), encounter_uses[enc_id], i.name, *i.day, v.name));
            }
            v.window = window_of(i, v.id, without);
            v.procedures = procedures(i);
            if (const auto pn = ext_string(enc->second, usdm_ext::patient_name_fr)) v.patient_name.fr = *pn;
            if (const auto pn = ext_string(enc->second, usdm_ext::patient_name_en)) v.patient_name.en = *pn;
            const std::string to = At{*i.timing, i.timing_path}.str("relativeToScheduledInstanceId");
            if (i.id != *reference && to != *reference) {
                anchors_.emplace_back(p_.visits.size(), to, i.timing_path);
                anchor_days_.push_back(*std::find_if(list.begin(), list.end(), [&](const Instance& o) {
                                           return o.id == to;
                                       })->day);
            }
            if (i.at.has("epochId")) {
                const std::string e = epoch_names_.count(i.at["epochId"].str()) ? epoch_names_[i.at["epochId"].str()]
                                                                                : i.at["epochId"].str();
                if (!by_epoch.count(e)) epoch_order.push_back(e);
                by_epoch[e].push_back(v.id);
            }
            p_.visits.push_back(std::move(v));
        }
        for (const auto& n : without)
            assume("visits." + n + ".window", "USDM gives no window for this visit (or for one side of it): on the "
                                              "nominal day only on that side, 0 days.");
        if (epoch_order.size() > 1) {
            std::string text = "Epochs (trialcal has none; the visits of each):";
            for (const auto& e : epoch_order) {
                text += " " + e + ":";
                for (const auto& id : by_epoch[e]) text += " " + id;
                text += ";";
            }
            text.back() = '.';
            p_.notes += (p_.notes.empty() ? "" : "\n") + text;
        }
    }

    void early_termination(const At& t) {
        auto list = instances(t);
        std::optional<std::string> reference;
        place(list, reference, "visits.early_termination.day");
        const Instance* visit = nullptr;
        for (const auto& i : list)
            if (i.day && i.at.has("encounterId") && !visit) visit = &i;
        for (const auto& i : list)
            if (i.day && !i.at.strings("activityIds").empty() && !visit) visit = &i;
        if (!visit) {
            warn(t.path, "early-termination timeline without a visit: not imported");
            return;
        }
        Visit v;
        v.id = plain(visit->name);
        if (std::any_of(p_.visits.begin(), p_.visits.end(), [&](const Visit& o) { return o.id == v.id; }))
            v.id = plain(visit->id);
        v.day = StudyDay{*visit->day};
        if (v.day.count() < 0) visit->at.fail("the early-termination visit is before the withdrawal");
        v.early_termination = true;
        if (visit->at.has("encounterId")) {
            const auto enc = encounters_.find(visit->at["encounterId"].str());
            if (enc == encounters_.end()) visit->at["encounterId"].fail("no such encounter");
            v.name = label_of(enc->second);
            if (const auto pn = ext_string(enc->second, usdm_ext::patient_name_fr)) v.patient_name.fr = *pn;
            if (const auto pn = ext_string(enc->second, usdm_ext::patient_name_en)) v.patient_name.en = *pn;
        } else {
            v.name = label_of(visit->at);
        }
        std::vector<std::string> without;
        v.window = window_of(*visit, v.id, without);
        if (!without.empty())
            assume("visits." + v.id + ".window",
                   "USDM gives no window for the early-termination visit: on the withdrawal date only, [0, 0].");
        if (!extension(t, usdm_ext::early_termination))
            assume("visits." + v.id + ".early_termination",
               fmt::format("Timeline '{}' (entry: '{}') is read as trialcal's early-termination visit: dated from the "
                           "withdrawal, day {} after it.",
                           t.str("name"), t.str("entryCondition"), v.day.count()));
        v.procedures = procedures(*visit);
        for (const auto& i : list)
            if (&i != visit && !i.at.strings("activityIds").empty())
                warn(i.at.path, fmt::format("'{}' in the early-termination timeline: trialcal has one early-termination "
                                            "visit; not imported",
                                            i.name));
        p_.visits.push_back(std::move(v));
    }

    void regimens(const At& v) {
        for (const auto& si : v.items("studyInterventions")) {
            const std::string product = interventions_[si["id"].str()];
            const auto admins = si.items("administrations");
            for (const auto& a : admins) {
                if (extension(a, usdm_ext::first_day)) {
                    regimen(a, product);
                    continue;
                }
                const std::string why = standard_regimen(si, a, product, admins.size());
                if (!why.empty()) not_a_regimen(a, product, why);
            }
        }
    }

    // Days between administrations for a frequency USDM names; none when not
    // a plain daily, weekly or every-n-days/weeks one.
    static std::optional<int> spacing(std::string f) {
        f = lower(f);
        if (f == "daily" || f == "once daily" || f == "qd" || f == "every day") return 1;
        if (f == "weekly" || f == "once weekly" || f == "qw" || f == "every week") return 7;
        int n = 0;
        char unit[8] = {};
        if (std::sscanf(f.c_str(), "every %d %7s", &n, unit) == 2 && n > 0) {
            const std::string u = unit;
            if (u == "day" || u == "days") return n;
            if (u == "week" || u == "weeks") return 7 * n;
        }
        return std::nullopt;
    }

    // A regimen from USDM's own fields, when they say enough: the arms the
    // study elements give it to, a dose, a frequency and a duration in days
    // or weeks. Empty when made; else why not.
    std::string standard_regimen(const At& si, const At& a, const std::string& product, std::size_t siblings) {
        const std::string intervention = si["id"].str();
        std::vector<std::size_t> receiving;
        for (std::size_t k = 0; k < arm_ids_.size(); ++k)
            if (arm_receives_[arm_ids_[k]].count(intervention)) receiving.push_back(k);
        if (receiving.empty()) return "USDM gives no first dosing day, and no study element gives it to an arm";
        if (siblings > 1)
            return fmt::format("its intervention has {} administrations and USDM does not say which arm receives which",
                               siblings);
        if (!a.has("dose") || !a["dose"].object().has("value") || !a["dose"]["value"].v.is_number())
            return "USDM gives no dose";
        const double dose = a["dose"]["value"].v.get<double>();
        const std::string frequency = a.has("frequency") ? decode(a["frequency"].object()) : std::string();
        const auto every = spacing(frequency);
        if (!every) return fmt::format("frequency '{}' is not daily, weekly or every n days or weeks", frequency);
        std::optional<long long> days;
        if (a.has("duration") && a["duration"].object().has("quantity")) {
            const At q = a["duration"]["quantity"].object();
            const std::string unit = q.has("unit") ? lower(decode(q["unit"].object())) : "";
            if (q["value"].v.is_number() && (unit == "day" || unit == "week") && q["value"].v.get<double>() >= 1 &&
                q["value"].v.get<double>() <= 36'600)
                days = static_cast<long long>(q["value"].v.get<double>()) * (unit == "week" ? 7 : 1);
        }
        if (!days || *days < 1) return "USDM gives no duration in days or weeks";
        for (std::size_t k = 0; k < p_.arms.size(); ++k) {
            const bool gets = std::find(receiving.begin(), receiving.end(), k) != receiving.end();
            if (!gets && !arm_placebo_[k])
                return fmt::format("arm {} neither receives it nor is a placebo arm", p_.arms[k].id);
        }
        Regimen r;
        r.id = plain(a["name"].str());
        r.name = label_of(a);
        r.product = product;
        r.every = date::days{*every};
        r.last_day = StudyDay{static_cast<int>((*days - 1) / *every * *every)};
        r.rule = p_.arms.empty() ? AmountRule::fixed : AmountRule::from_arm;
        r.amount = dose;
        for (std::size_t k = 0; k < p_.arms.size(); ++k) {
            if (std::find(receiving.begin(), receiving.end(), k) != receiving.end())
                p_.arms[k].doses.emplace_back(product, dose);
            else p_.arms[k].placebo.push_back(product);
        }
        assume("regimens." + r.id + ".first_day",
               fmt::format("USDM gives no day for the first administration of {}: day 0, the fixed reference; {} {} "
                           "for {} days gives D0 to D{}.",
                           a["name"].str(), frequency, dose, *days, r.last_day.count()));
        assume("regimens." + r.id + ".window", "USDM gives no window for the administrations: on the day, [0, 0].");
        p_.regimens.push_back(std::move(r));
        return {};
    }

    void not_a_regimen(const At& a, const std::string& product, const std::string& why) {
        std::string what = a["name"].str();
        if (a.has("description")) what += " (" + a.str("description") + ")";
        std::string given;
        if (a.has("dose") && a["dose"].object().has("value"))
            given += fmt::format(" dose {}{}", a["dose"]["value"].v.dump(),
                                 a["dose"].has("unit") ? " " + decode(a["dose"]["unit"].object()) : "");
        if (a.has("frequency")) given += ", " + decode(a["frequency"].object());
        if (a.has("duration") && a["duration"].has("quantity"))
            given += fmt::format(", for {}{}", a["duration"]["quantity"]["value"].v.dump(),
                                 a["duration"]["quantity"].has("unit")
                                     ? " " + decode(a["duration"]["quantity"]["unit"].object())
                                     : "");
        warn(a.path, fmt::format("administration {}:{}; {}: not made a regimen, no doses planned", what, given, why));
        assume("products." + product, fmt::format("Administration {}:{} is not planned as doses: {}; write [[regimens]] "
                                                  "from the protocol.",
                                                  what, given, why));
    }

    void regimen(const At& a, const std::string& product) {
        namespace e = usdm_ext;
        Regimen r;
        r.id = plain(a["name"].str());
        r.name = a.str("label");
        r.product = product;
        r.first_day = StudyDay{static_cast<int>(*ext_integer(a, e::first_day))};
        r.last_day = StudyDay{static_cast<int>(ext_integer(a, e::last_day).value_or(r.first_day.count()))};
        r.every = date::days{ext_integer(a, e::every_days).value_or(1)};
        for (const auto& x : extensions(a, e::intake)) r.intakes.push_back(x["valueString"].str());
        for (const auto& x : extensions(a, e::intake_time)) {
            const std::string s = x["valueString"].str();
            if (s.size() != 5 || s[2] != ':') x["valueString"].fail("'" + s + "' is not HH:MM");
            r.intake_times.emplace_back(std::atoi(s.substr(0, 2).c_str()) * 60 + std::atoi(s.substr(3).c_str()));
        }
        r.window = {date::days{ext_integer(a, e::window_before).value_or(0)},
                    date::days{ext_integer(a, e::window_after).value_or(0)}};
        r.early_limit = date::days{ext_integer(a, e::early_limit).value_or(0)};
        r.late_limit = date::days{ext_integer(a, e::late_limit).value_or(0)};
        r.setting = ext_string(a, e::setting).value_or("site") == "home" ? Setting::home : Setting::site;
        if (const auto amount = extension(a, e::amount)) {
            const std::string s = (*amount)["valueString"].str();
            if (s == "arm") r.rule = AmountRule::from_arm;
            else {
                r.rule = AmountRule::fixed;
                r.amount = number_text((*amount)["valueString"], s);
            }
        } else if (auto mg = ext_number(a, e::mg_per_kg)) {
            r.rule = AmountRule::per_kg;
            r.mg_per_kg = *mg;
            r.round_to = ext_number(a, e::round_to).value_or(0);
        } else if (a.has("dose")) {
            const At value = a["dose"].object()["value"];
            if (!value.v.is_number()) value.fail("must be a number");
            r.rule = AmountRule::fixed;
            r.amount = value.v.get<double>();
        }
        for (const auto& x : extensions(a, e::cohort)) r.cohorts.push_back(x["valueString"].str());
        for (const auto& x : extensions(a, e::except_cohort)) r.except_cohorts.push_back(x["valueString"].str());
        r.anchor = ext_string(a, e::anchor);
        if (const auto pn = ext_string(a, e::patient_name_fr)) r.patient_name.fr = *pn;
        if (const auto pn = ext_string(a, e::patient_name_en)) r.patient_name.en = *pn;
        p_.regimens.push_back(std::move(r));
    }

    // A visit counting from another instance: from that visit, or from the
    // dose event an instance without encounter names.
    void check_anchors() {
        for (std::size_t k = 0; k < anchors_.size(); ++k) {
            const auto& [visit, to, path] = anchors_[k];
            Visit& v = p_.visits[visit];
            const std::string event = event_of_[to];
            const bool is_visit = std::any_of(p_.visits.begin(), p_.visits.end(),
                                              [&](const Visit& o) { return o.id == event && !o.early_termination; });
            // A dose some patient's calendar plans, on the day the timing gives.
            bool is_dose = false;
            std::vector<std::string> cohorts{""};
            for (const auto& c : p_.cohorts) cohorts.push_back(c.id);
            for (const auto& c : cohorts) {
                const auto source = planned_by(p_, c, event);
                is_dose = is_dose || (source && source->kind == EventKind::dose &&
                                      event.find(fmt::format("-D{}", anchor_days_[k])) != std::string::npos);
            }
            if (is_visit || is_dose) v.anchor = event;
            else
                warn(path + ".relativeToScheduledInstanceId",
                     fmt::format("visit {} counts from '{}', which is no visit or dose trialcal plans: counted from "
                                 "day 0 (day {})",
                                 v.id, event, v.day.count()));
        }
    }

    Protocol p_;
    std::vector<std::string> warnings_;
    std::vector<Assumption> assumptions_;
    std::map<std::string, std::string> interventions_;  // StudyIntervention id -> product id
    std::vector<std::string> arm_ids_;                  // USDM ids of p_.arms, in order
    std::vector<bool> arm_placebo_;                     // of type Placebo Control Arm
    std::map<std::string, std::set<std::string>> arm_receives_;  // USDM arm id -> intervention ids
    std::map<std::string, std::string> activities_;     // Activity id -> procedure text
    std::map<std::string, std::string> epoch_names_;
    std::map<std::string, At> encounters_;
    std::map<std::string, std::string> event_of_;  // instance id -> event id
    std::map<std::string, int> points_;            // instances without encounter -> day
    std::vector<std::tuple<std::size_t, std::string, std::string>> anchors_;  // visit index, instance, timing path
    std::vector<int> anchor_days_;
};

}  // namespace

UsdmProtocol read_usdm(std::string_view json_text) {
    json doc = json::parse(json_text, nullptr, false);
    if (doc.is_discarded()) {
        // Parse again for the position: the exception says where.
        try {
            const json again = json::parse(json_text);
            (void)again;
        } catch (const json::parse_error& e) {
            throw Error(Kind::bad_data, fmt::format("not JSON: at byte {}: {}", e.byte, e.what()));
        }
        throw Error(Kind::bad_data, "not JSON");
    }
    return Importer().run(doc);
}

ImportedProtocol import_usdm(const std::filesystem::path& file) {
    const std::string text = read_file(file);
    ImportedProtocol out;
    try {
        out.usdm = read_usdm(text);
    } catch (const Error& e) {
        throw Error(e.kind(), fmt::format("{}: {}", file.string(), e.what()));
    }
    const std::string preface =
        fmt::format("{}: imported from the CDISC USDM study definition {}.\n"
                    "Every value USDM leaves open is in [[assumptions]]; check them against the protocol.",
                    out.usdm.protocol.id, file.filename().string());
    out.toml = protocol_toml(out.usdm.protocol, preface);
    const auto parsed = parse_protocol(out.toml);
    if (!parsed.protocol)
        throw Error(Kind::bad_data, fmt::format("{}: the study definition maps to a protocol trialcal refuses:\n{}",
                                                file.string(), describe(file.stem().string() + ".toml", parsed.diagnostics)));
    return out;
}

}  // namespace trialcal::trial
