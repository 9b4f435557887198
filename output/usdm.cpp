#include "output/usdm.hpp"

#include "output/json.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <vector>

namespace trialcal {

namespace {

// CDISC controlled terms used, with the codes the published LZZT example gives them.
struct Term {
    std::string_view code, decode;
};
constexpr std::string_view cdisc = "http://www.cdisc.org";
constexpr std::string_view cdisc_version = "2024-09-27";
constexpr Term visit_term{"C25716", "Visit"};
constexpr Term fixed_reference{"C201358", "Fixed Reference"};
constexpr Term after{"C201356", "After"};
constexpr Term before{"C201357", "Before"};
constexpr Term start_to_start{"C201355", "Start to Start"};
constexpr Term parallel{"C82639", "Parallel Study"};
constexpr Term single_group_study{"C82640", "Single Group Study"};
constexpr Term double_blind{"C15228", "Double Blind Study"};
constexpr Term open_label{"C49659", "Open Label Study"};
constexpr Term placebo_arm{"C174268", "Placebo Control Arm"};
constexpr Term investigational_arm{"C174266", "Investigational Arm"};
constexpr Term within_study{"C188866", "Data Generated Within Study"};
constexpr Term treatment_epoch{"C101526", "Treatment Epoch"};
constexpr Term experimental{"C41161", "Experimental Intervention"};
constexpr Term substance{"C1909", "Pharmacologic Substance"};
constexpr Term day_unit{"C25301", "Day"};
constexpr Term acronym{"C94108", "Study Acronym"};
constexpr Term official_title{"C99905x2", "Official Study Title"};
constexpr Term sponsor{"C70793", "Clinical Study Sponsor"};
constexpr Term registry{"C93453", "Study Registry"};
constexpr Term inclusion{"C25532", "Inclusion Criteria"};

std::string days(long long n) { return fmt::format("P{}D", n); }

class Document {
public:
    JsonWriter j;

    // "Timing_3": ids unique per class, as in CDISC's own examples.
    std::string next(std::string_view cls) { return fmt::format("{}_{}", cls, ++count_[std::string(cls)]); }

    void code(std::string_view key, Term t) { code(key, t.code, cdisc, t.decode); }
    void code(std::string_view key, std::string_view c, std::string_view system, std::string_view decode) {
        if (!key.empty()) j.key(key);
        open(next("Code"));
        j.key("code").value(c);
        j.key("codeSystem").value(system);
        j.key("codeSystemVersion").value(system == cdisc ? cdisc_version : std::string_view("1"));
        j.key("decode").value(decode);
        close("Code");
    }
    void alias(std::string_view key, std::string_view c, std::string_view system, std::string_view decode) {
        j.key(key);
        open(next("AliasCode"));
        code("standardCode", c, system, decode);
        j.key("standardCodeAliases").begin_array().end_array();
        close("AliasCode");
    }
    void alias(std::string_view key, Term t) { alias(key, t.code, cdisc, t.decode); }
    // Free text trialcal holds (a route, a unit) as an AliasCode of its own system.
    void text_code(std::string_view key, std::string_view text) { alias(key, text, trialcal_code_system, text); }
    void quantity(std::string_view key, double value, std::optional<std::string_view> unit_text,
                  std::optional<Term> unit = std::nullopt) {
        j.key(key);
        open(next("Quantity"));
        j.key("value").value(value);
        if (unit) alias("unit", *unit);
        else if (unit_text) text_code("unit", *unit_text);
        close("Quantity");
    }

    // Every object opens with its id and (empty) extension attributes, and
    // closes with its instanceType.
    void open(std::string_view id) {
        j.begin_object();
        j.key("id").value(id);
        j.key("extensionAttributes").begin_array().end_array();
    }
    void close(std::string_view type) {
        j.key("instanceType").value(type);
        j.end_object();
    }

    // Extension attributes, opened by begin_extensions() and closed by end_array().
    void begin_extensions() { j.key("extensionAttributes").begin_array(); }
    void ext(std::string_view url, std::string_view value) { ext_open(url).key("valueString").value(value).end_object(); }
    void ext(std::string_view url, long long value) { ext_open(url).key("valueInteger").value(value).end_object(); }
    void ext(std::string_view url, double value) { ext(url, std::string_view(fmt::format("{}", value))); }
    void ext(std::string_view url, bool value) { ext_open(url).key("valueBoolean").value(value).end_object(); }
    void patient_name(const PatientName& n) {
        if (!n.fr.empty()) ext(usdm_ext::patient_name_fr, std::string_view(n.fr));
        if (!n.en.empty()) ext(usdm_ext::patient_name_en, std::string_view(n.en));
    }

private:
    JsonWriter& ext_open(std::string_view url) {
        j.begin_object();
        j.key("id").value(next("ExtensionAttribute"));
        j.key("url").value(url);
        j.key("instanceType").value("ExtensionAttribute");
        return j;
    }
    std::map<std::string, int> count_;
};

// One point of a timeline: a visit, or the event another visit counts from.
struct Point {
    std::string id;    // ScheduledActivityInstance id
    std::string name;  // the visit or event id
    std::string label;
    const Visit* visit = nullptr;
    std::string encounter;  // Encounter id, for visits
    std::vector<std::string> activities;
    StudyDay day;
    std::optional<std::size_t> from;  // index of the point it counts from; none: the fixed reference
    Window window;
};

// The Timing that places a point: numbered as its instance.
std::string timing_id(const Point& x) { return "Timing_" + x.id.substr(x.id.rfind('_') + 1); }

// Study day of a dose event id ("ILT101-D63", "CSA-D1-AM"): the number after
// its product's "-D", when a regimen of that product doses on that day.
std::optional<StudyDay> dose_day(const Protocol& p, std::string_view event) {
    for (const auto& r : p.regimens) {
        const std::string prefix = r.product + "-D";
        if (!event.starts_with(prefix)) continue;
        int n = 0;
        const char* first = event.data() + prefix.size();
        const auto [end, ec] = std::from_chars(first, event.data() + event.size(), n);
        if (ec == std::errc{} && r.doses_on(StudyDay{n})) return StudyDay{n};
    }
    return std::nullopt;
}

class Exporter {
public:
    explicit Exporter(const Protocol& p) : p_(p) {}

    std::string run() {
        plan();
        auto& j = doc_.j;
        j.begin_object();
        j.key("study").begin_object();
        j.key("id").null();
        j.key("extensionAttributes").begin_array().end_array();
        j.key("name").value(p_.id);
        if (p_.design.empty()) j.key("description").null();
        else j.key("description").value(p_.design);
        j.key("label").value(p_.title);
        j.key("versions").begin_array();
        version();
        j.end_array();
        j.key("documentedBy").begin_array().end_array();
        doc_.close("Study");
        j.key("usdmVersion").value("4.0.0");
        j.key("systemName").value("trialcal");
        j.key("systemVersion").null();
        j.end_object();
        return j.str();
    }

private:
    // Ids of every object that others refer to, before anything is written.
    void plan() {
        for (const auto& v : p_.visits) {
            if (v.early_termination) continue;
            for (const auto& x : v.procedures) activity_of(x);
        }
        for (const auto& v : p_.visits)
            if (v.early_termination)
                for (const auto& x : v.procedures) activity_of(x);
        for (const auto& x : p_.products) administer_[x.id] = activity_of("Administration of " + x.shown_name());
        for (const auto& x : p_.products) intervention_[x.id] = doc_.next("StudyIntervention");
        for (const auto& x : p_.products) product_[x.id] = doc_.next("AdministrableProduct");
        epoch_ = doc_.next("StudyEpoch");
        main_ = points(false);
        early_ = points(true);
    }

    const std::string& activity_of(const std::string& text) {
        for (const auto& [name, id] : activities_)
            if (name == text) return id;
        activities_.emplace_back(text, doc_.next("Activity"));
        return activities_.back().second;
    }

    // The main timeline (or the early-termination one): a point per visit,
    // then the events visits count from, the fixed reference first.
    std::vector<Point> points(bool early) {
        std::vector<Point> out;
        std::map<std::string, std::size_t> by_event;
        const Visit* reference = nullptr;
        for (const auto& v : p_.visits)
            if (v.early_termination == early && v.day.count() == 0 && !v.anchor && !reference) reference = &v;
        if (!reference || (early && reference->day.count() != 0)) {
            Point ref;
            ref.name = early ? "WITHDRAWAL" : "DAY0";
            ref.label = early ? "Withdrawal from the study" : "Day 0";
            out.push_back(ref);
        }
        for (const auto& v : p_.visits) {
            if (v.early_termination != early) continue;
            Point x;
            x.name = v.id;
            x.label = v.name;
            x.visit = &v;
            x.encounter = doc_.next("Encounter");
            for (const auto& proc : v.procedures) x.activities.push_back(activity_of(proc));
            x.day = v.day;
            x.window = v.window;
            if (&v == reference) out.insert(out.begin(), x);
            else out.push_back(x);
        }
        for (std::size_t i = 0; i < out.size(); ++i) by_event[out[i].name] = i;
        // Every visit but the reference counts from the reference, or from its anchor.
        for (std::size_t i = 1; i < out.size(); ++i) {
            const Visit* v = out[i].visit;
            if (!v || !v->anchor) {
                out[i].from = 0;
                continue;
            }
            auto it = by_event.find(*v->anchor);
            if (it == by_event.end()) {
                Point dose;
                dose.name = *v->anchor;
                dose.label = "Dose " + *v->anchor;
                dose.day = dose_day(p_, *v->anchor).value_or(StudyDay{0});
                dose.from = 0;
                for (const auto& r : p_.regimens)
                    if (v->anchor->starts_with(r.product + "-")) dose.activities = {administer_[r.product]};
                out.push_back(dose);
                it = by_event.emplace(dose.name, out.size() - 1).first;
            }
            out[i].from = it->second;
        }
        for (auto& x : out) x.id = doc_.next("ScheduledActivityInstance");
        return out;
    }

    void version() {
        auto& j = doc_.j;
        j.begin_object();
        j.key("id").value("StudyVersion_1");
        doc_.begin_extensions();
        doc_.ext(usdm_ext::screening_valid_days, static_cast<long long>(p_.screening_valid_days.count()));
        j.end_array();
        j.key("versionIdentifier").value(p_.version);
        j.key("rationale").value(p_.notes);
        j.key("studyIdentifiers").begin_array();
        // The protocol id under its sponsor; registry numbers under a Study Registry.
        identifier(p_.id, "Organization_1");
        for (const auto& r : p_.registry_ids) identifier(r, "Organization_2");
        j.end_array();
        j.key("studyDesigns").begin_array();
        design();
        j.end_array();
        j.key("titles").begin_array();
        title(p_.id, acronym);
        title(p_.title, official_title);
        j.end_array();
        j.key("eligibilityCriterionItems").begin_array();
        for (std::size_t i = 0; i < p_.eligibility.size(); ++i) {
            doc_.open(fmt::format("EligibilityCriterionItem_{}", i + 1));
            j.key("name").value(p_.eligibility[i].id);
            j.key("text").value(p_.eligibility[i].text);
            doc_.close("EligibilityCriterionItem");
        }
        j.end_array();
        j.key("organizations").begin_array();
        organization("Organization_1", "Sponsor of " + p_.id, sponsor);
        organization("Organization_2", "Registry", registry);
        j.end_array();
        j.key("studyInterventions").begin_array();
        for (const auto& x : p_.products) intervention(x);
        j.end_array();
        j.key("administrableProducts").begin_array();
        for (const auto& x : p_.products) administrable(x);
        j.end_array();
        j.key("notes").begin_array();
        for (const auto& a : p_.assumptions) {
            doc_.open(doc_.next("CommentAnnotation"));
            j.key("text").value(a.text);
            j.key("codes").begin_array();
            doc_.code("", a.about, usdm_ext::assumption_system, a.about);
            j.end_array();
            doc_.close("CommentAnnotation");
        }
        j.end_array();
        doc_.close("StudyVersion");
    }

    void identifier(const std::string& text, std::string_view scope) {
        auto& j = doc_.j;
        doc_.open(doc_.next("StudyIdentifier"));
        j.key("text").value(text);
        j.key("scopeId").value(scope);
        doc_.close("StudyIdentifier");
    }

    void title(const std::string& text, Term type) {
        auto& j = doc_.j;
        doc_.open(doc_.next("StudyTitle"));
        j.key("text").value(text);
        doc_.code("type", type);
        doc_.close("StudyTitle");
    }

    void organization(std::string_view id, const std::string& name, Term type) {
        auto& j = doc_.j;
        doc_.open(id);
        j.key("name").value(name);
        doc_.code("type", type);
        j.key("identifierScheme").value("trialcal");
        j.key("identifier").value(name);
        doc_.close("Organization");
    }

    void design() {
        auto& j = doc_.j;
        doc_.open("InterventionalStudyDesign_1");
        j.key("name").value(p_.id + " design");
        j.key("description").value(p_.design);
        j.key("encounters").begin_array();
        for (const auto* tl : {&main_, &early_})
            for (const auto& x : *tl)
                if (x.visit) encounter(x);
        j.end_array();
        j.key("activities").begin_array();
        for (const auto& [text, id] : activities_) {
            doc_.open(id);
            j.key("name").value(text);
            j.key("label").value(text);
            doc_.close("Activity");
        }
        j.end_array();
        j.key("arms").begin_array();
        if (p_.arms.empty()) arm(nullptr, "StudyArm_1");
        for (std::size_t i = 0; i < p_.arms.size(); ++i) arm(&p_.arms[i], fmt::format("StudyArm_{}", i + 1));
        j.end_array();
        const std::size_t arms = std::max<std::size_t>(p_.arms.size(), 1);
        j.key("studyCells").begin_array();
        for (std::size_t i = 1; i <= arms; ++i) {
            doc_.open(fmt::format("StudyCell_{}", i));
            j.key("armId").value(fmt::format("StudyArm_{}", i));
            j.key("epochId").value(epoch_);
            j.key("elementIds").begin_array().value(fmt::format("StudyElement_{}", i)).end_array();
            doc_.close("StudyCell");
        }
        j.end_array();
        j.key("rationale").value("");
        j.key("epochs").begin_array().begin_object();
        j.key("id").value(epoch_);
        j.key("extensionAttributes").begin_array().end_array();
        j.key("name").value("Study");
        j.key("label").value("From screening to the last visit");
        doc_.code("type", treatment_epoch);
        j.key("instanceType").value("StudyEpoch");
        j.end_object().end_array();
        j.key("elements").begin_array();
        for (std::size_t i = 1; i <= arms; ++i) {
            doc_.open(fmt::format("StudyElement_{}", i));
            j.key("name").value(p_.arms.empty() ? std::string("Study treatment") : p_.arms[i - 1].name);
            j.key("studyInterventionIds").begin_array();
            for (const auto& x : p_.products)
                if (p_.arms.empty() || !p_.arms[i - 1].is_placebo(x.id)) j.value(intervention_[x.id]);
            j.end_array();
            doc_.close("StudyElement");
        }
        j.end_array();
        j.key("studyInterventionIds").begin_array();
        for (const auto& x : p_.products) j.value(intervention_[x.id]);
        j.end_array();
        population();
        j.key("scheduleTimelines").begin_array();
        timeline(main_, "ScheduleTimeline_1", "Main Timeline", "Inclusion of the patient (day 0)", true);
        if (early_.size() > 0 && std::any_of(early_.begin(), early_.end(), [](const Point& x) { return x.visit; }))
            timeline(early_, "ScheduleTimeline_2", early_termination_timeline,
                     "The patient is withdrawn from the study early", false);
        j.end_array();
        j.key("eligibilityCriteria").begin_array();
        for (std::size_t i = 0; i < p_.eligibility.size(); ++i) criterion(p_.eligibility[i], i + 1);
        j.end_array();
        doc_.code("model", p_.arms.size() > 1 ? parallel : single_group_study);
        doc_.alias("blindingSchema", p_.blinded ? double_blind : open_label);
        doc_.close("InterventionalStudyDesign");
    }

    // A numeric criterion: an inclusion criterion whose text is the item's,
    // its bounds in extension attributes (USDM criteria are text).
    void criterion(const Criterion& c, std::size_t n) {
        auto& j = doc_.j;
        j.begin_object();
        j.key("id").value(fmt::format("EligibilityCriterion_{}", n));
        doc_.begin_extensions();
        if (c.min) doc_.ext(usdm_ext::criterion_min, *c.min);
        if (c.max) doc_.ext(usdm_ext::criterion_max, *c.max);
        if (c.min_exclusive) doc_.ext(usdm_ext::criterion_min_exclusive, *c.min_exclusive);
        if (c.max_exclusive) doc_.ext(usdm_ext::criterion_max_exclusive, *c.max_exclusive);
        doc_.ext(usdm_ext::criterion_unit, std::string_view(c.unit));
        if (!c.any_of.empty()) doc_.ext(usdm_ext::criterion_any_of, std::string_view(c.any_of));
        j.end_array();
        j.key("name").value(c.id);
        j.key("label").value(c.text);
        doc_.code("category", inclusion);
        j.key("identifier").value(fmt::format("{:02}", n));
        j.key("criterionItemId").value(fmt::format("EligibilityCriterionItem_{}", n));
        doc_.close("EligibilityCriterion");
    }

    void encounter(const Point& x) {
        auto& j = doc_.j;
        j.begin_object();
        j.key("id").value(x.encounter);
        doc_.begin_extensions();
        doc_.patient_name(x.visit->patient_name);
        j.end_array();
        j.key("name").value(x.name);
        j.key("label").value(x.label);
        doc_.code("type", visit_term);
        j.key("scheduledAtId").value(timing_id(x));
        doc_.close("Encounter");
    }

    void arm(const Arm* a, const std::string& id) {
        auto& j = doc_.j;
        const bool placebo = a && !a->placebo.empty() && a->doses.empty();
        j.begin_object();
        j.key("id").value(id);
        doc_.begin_extensions();
        if (!a) doc_.ext(usdm_ext::single_group, true);
        else {
            for (const auto& [product, amount] : a->doses) doc_.ext(std::string(usdm_ext::arm_dose) + product, amount);
            for (const auto& x : a->placebo) doc_.ext(usdm_ext::arm_placebo, std::string_view(x));
        }
        j.end_array();
        j.key("name").value(a ? a->id : std::string("single-group"));
        j.key("label").value(a ? a->name : std::string("Single group"));
        doc_.code("type", placebo ? placebo_arm : investigational_arm);
        j.key("dataOriginDescription").value("Data collected from subjects");
        doc_.code("dataOriginType", within_study);
        doc_.close("StudyArm");
    }

    void population() {
        auto& j = doc_.j;
        j.key("population").begin_object();
        j.key("id").value("StudyDesignPopulation_1");
        j.key("extensionAttributes").begin_array().end_array();
        j.key("name").value("Population");
        j.key("includesHealthySubjects").value(false);
        j.key("cohorts").begin_array();
        for (const auto& c : p_.cohorts) {
            doc_.open(doc_.next("StudyCohort"));
            j.key("name").value(c.id);
            j.key("label").value(c.name);
            j.key("includesHealthySubjects").value(false);
            doc_.close("StudyCohort");
        }
        j.end_array();
        doc_.close("StudyDesignPopulation");
    }

    void timeline(const std::vector<Point>& pts, std::string_view id, std::string_view name, std::string_view entry,
                  bool main) {
        auto& j = doc_.j;
        const std::string exit = fmt::format("ScheduleTimelineExit_{}", main ? 1 : 2);
        j.begin_object();
        j.key("id").value(id);
        doc_.begin_extensions();
        if (!main) doc_.ext(usdm_ext::early_termination, true);
        j.end_array();
        j.key("name").value(name);
        j.key("mainTimeline").value(main);
        j.key("entryCondition").value(entry);
        j.key("entryId").value(pts.front().id);
        j.key("exits").begin_array().begin_object();
        j.key("id").value(exit);
        j.key("extensionAttributes").begin_array().end_array();
        j.key("instanceType").value("ScheduleTimelineExit");
        j.end_object().end_array();
        j.key("timings").begin_array();
        for (const auto& x : pts) timing(x, pts);
        j.end_array();
        j.key("instances").begin_array();
        for (std::size_t i = 0; i < pts.size(); ++i) {
            const Point& x = pts[i];
            doc_.open(x.id);
            j.key("name").value(x.name);
            j.key("label").value(x.label);
            if (i + 1 < pts.size()) j.key("defaultConditionId").value(pts[i + 1].id);
            else j.key("timelineExitId").value(exit);
            if (x.visit) {
                j.key("epochId").value(epoch_);
                j.key("encounterId").value(x.encounter);
            }
            j.key("activityIds").begin_array();
            for (const auto& a : x.activities) j.value(a);
            j.end_array();
            doc_.close("ScheduledActivityInstance");
        }
        j.end_array();
        doc_.close("ScheduleTimeline");
    }

    void timing(const Point& x, const std::vector<Point>& pts) {
        auto& j = doc_.j;
        const Point& to = x.from ? pts[*x.from] : x;
        const long long offset = x.from ? (x.day - to.day).count() : 0;
        doc_.open(timing_id(x));
        j.key("name").value("TIM_" + x.name);
        doc_.code("type", !x.from ? fixed_reference : offset < 0 ? before : after);
        j.key("value").value(days(offset < 0 ? -offset : offset));
        j.key("valueLabel").value(fmt::format("{} days", offset < 0 ? -offset : offset));
        doc_.code("relativeToFrom", start_to_start);
        j.key("relativeFromScheduledInstanceId").value(x.id);
        j.key("relativeToScheduledInstanceId").value(to.id);
        if (x.visit) {
            j.key("windowLower").value(days(x.window.before.count()));
            j.key("windowUpper").value(days(x.window.after.count()));
            j.key("windowLabel").value(fmt::format("-{}..+{} days", x.window.before.count(), x.window.after.count()));
        }
        doc_.close("Timing");
    }

    void intervention(const Product& x) {
        auto& j = doc_.j;
        j.begin_object();
        j.key("id").value(intervention_[x.id]);
        doc_.begin_extensions();
        doc_.ext(usdm_ext::product_route, std::string_view(x.route));
        doc_.ext(usdm_ext::product_unit, std::string_view(x.unit));
        if (!x.form.empty()) doc_.ext(usdm_ext::product_form, std::string_view(x.form));
        if (x.blinded_label) doc_.ext(usdm_ext::blinded_label, std::string_view(*x.blinded_label));
        if (x.blinded_amount) {
            doc_.ext(usdm_ext::blinded_amount, *x.blinded_amount);
            doc_.ext(usdm_ext::blinded_unit, std::string_view(x.blinded_unit));
        }
        j.end_array();
        j.key("name").value(x.id);
        j.key("label").value(x.drug);
        j.key("description").value(x.drug);
        doc_.code("role", experimental);
        doc_.code("type", substance);
        j.key("administrations").begin_array();
        for (const auto& r : p_.regimens)
            if (r.product == x.id) administration(r, x);
        j.end_array();
        doc_.close("StudyIntervention");
    }

    void administration(const Regimen& r, const Product& x) {
        auto& j = doc_.j;
        namespace e = usdm_ext;
        j.begin_object();
        j.key("id").value(doc_.next("Administration"));
        doc_.begin_extensions();
        doc_.ext(e::first_day, static_cast<long long>(r.first_day.count()));
        doc_.ext(e::last_day, static_cast<long long>(r.last_day.count()));
        doc_.ext(e::every_days, static_cast<long long>(r.every.count()));
        for (const auto& i : r.intakes) doc_.ext(e::intake, std::string_view(i));
        for (const auto t : r.intake_times)
            doc_.ext(e::intake_time, std::string_view(fmt::format("{:02}:{:02}", t.count() / 60, t.count() % 60)));
        doc_.ext(e::window_before, static_cast<long long>(r.window.before.count()));
        doc_.ext(e::window_after, static_cast<long long>(r.window.after.count()));
        doc_.ext(e::early_limit, static_cast<long long>(r.early_limit.count()));
        doc_.ext(e::late_limit, static_cast<long long>(r.late_limit.count()));
        doc_.ext(e::setting, std::string_view(r.setting == Setting::home ? "home" : "site"));
        if (r.rule == AmountRule::from_arm) doc_.ext(e::amount, std::string_view("arm"));
        else if (r.rule == AmountRule::fixed) doc_.ext(e::amount, r.amount);
        else {
            doc_.ext(e::mg_per_kg, r.mg_per_kg);
            doc_.ext(e::round_to, r.round_to);
        }
        for (const auto& c : r.cohorts) doc_.ext(e::cohort, std::string_view(c));
        for (const auto& c : r.except_cohorts) doc_.ext(e::except_cohort, std::string_view(c));
        if (r.anchor) doc_.ext(e::anchor, std::string_view(*r.anchor));
        doc_.patient_name(r.patient_name);
        j.end_array();
        j.key("name").value(r.id);
        j.key("label").value(r.name);
        j.key("description").value(fmt::format("{} D{} to D{}, every {} day(s){}", x.drug, r.first_day.count(),
                                               r.last_day.count(), r.every.count(),
                                               r.intakes.empty() ? std::string()
                                                                 : fmt::format(", {} intakes a day", r.intakes.size())));
        j.key("duration").begin_object();
        j.key("id").value(doc_.next("Duration"));
        j.key("extensionAttributes").begin_array().end_array();
        j.key("text").value(fmt::format("D{} to D{}", r.first_day.count(), r.last_day.count()));
        doc_.quantity("quantity", static_cast<double>((r.last_day - r.first_day).count() + 1), std::nullopt, day_unit);
        j.key("durationWillVary").value(false);
        doc_.close("Duration");
        if (r.rule == AmountRule::fixed) doc_.quantity("dose", r.amount, x.unit);
        else if (r.rule == AmountRule::per_kg) doc_.quantity("dose", r.mg_per_kg, std::string_view("mg/kg"));
        else j.key("dose").null();  // per arm: the arms' extension attributes
        doc_.text_code("route", x.route);
        doc_.text_code("frequency", r.every.count() == 1 && r.intakes.size() <= 1
                                        ? std::string("Daily")
                                        : fmt::format("{} time(s) every {} day(s)", std::max<std::size_t>(r.intakes.size(), 1),
                                                      r.every.count()));
        j.key("administrableProductId").value(product_[x.id]);
        doc_.close("Administration");
    }

    void administrable(const Product& x) {
        auto& j = doc_.j;
        doc_.open(product_[x.id]);
        j.key("name").value(x.drug);
        doc_.text_code("administrableDoseForm", x.form.empty() ? std::string("unspecified") : x.form);
        doc_.code("productDesignation", "IMP", trialcal_code_system, "investigational medicinal product");
        doc_.close("AdministrableProduct");
    }

    const Protocol& p_;
    Document doc_;
    std::vector<std::pair<std::string, std::string>> activities_;  // text -> Activity id, first use first
    std::map<std::string, std::string> administer_, intervention_, product_;
    std::string epoch_;
    std::vector<Point> main_, early_;
};

}  // namespace

std::string usdm_json(const Protocol& p) { return Exporter(p).run(); }

}  // namespace trialcal
