#include "output/fhir.hpp"

#include "core/course.hpp"
#include "output/formatters.hpp"
#include "core/anchors.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <unordered_map>

namespace trialcal::fhir {

namespace {

// Resources are named by their type and id under this base; it names no
// server: the bundle is a collection, read as a whole.
constexpr std::string_view base = "https://trialcal.invalid/fhir/";

std::string iso(date::sys_days d) { return fmt::format("{}", IsoDate{d}); }

std::string study_id(const Protocol& p) { return resource_id(p.id + "-" + p.version); }

std::string reference(std::string_view type, std::string_view id) { return fmt::format("{}/{}", type, id); }

void ref(JsonWriter& j, std::string_view key, std::string_view type, std::string_view id) {
    j.key(key).begin_object().key("reference").value(reference(type, id)).end_object();
}

void text_concept(JsonWriter& j, std::string_view key, std::string_view text) {
    j.key(key).begin_object().key("text").value(text).end_object();
}

void coded(JsonWriter& j, std::string_view key, std::string_view system, std::string_view code) {
    j.key(key).begin_object().key("coding").begin_array().begin_object();
    j.key("system").value(system).key("code").value(code);
    j.end_object().end_array().end_object();
}

void days(JsonWriter& j, std::string_view key, long n) {
    j.key(key).begin_object().key("value").value(static_cast<long long>(n)).key("unit").value("d");
    j.key("system").value("http://unitsofmeasure.org").key("code").value("d").end_object();
}

// Opens an entry and its resource; the caller writes the rest and closes both.
void begin_entry(JsonWriter& j, std::string_view type, std::string_view id) {
    j.begin_object().key("fullUrl").value(fmt::format("{}{}/{}", base, type, id));
    j.key("resource").begin_object().key("resourceType").value(type).key("id").value(id);
}
void end_entry(JsonWriter& j) { j.end_object().end_object(); }

// A protocol day Dn counted from `target` (day 0, or an anchor's action):
// after its start by n days (before it, for a negative n), the window as the
// range of days when it lies on one side.
void related(JsonWriter& j, std::string_view target, long day, Window w) {
    j.key("relatedAction").begin_array().begin_object().key("targetId").value(target);
    const bool before = day < 0;
    j.key("relationship").value(before ? "before-start" : "after-start");
    const long n = std::labs(day);
    const long low = n - (before ? w.after.count() : w.before.count());
    const long high = n + (before ? w.before.count() : w.after.count());
    if (w == Window{} || low < 0) {
        days(j, "offsetDuration", n);
    } else {
        j.key("offsetRange").begin_object();
        days(j, "low", low);
        days(j, "high", high);
        j.end_object();
    }
    j.end_object().end_array();
}

// The study day of the event an anchor names; day 0's without one.
long anchor_day(const Protocol& p, const std::optional<std::string>& anchor) {
    if (!anchor) return 0;
    const auto d = planned_day(p, *anchor);
    return d ? d->day.count() : 0;
}

std::string window_text(Window w) {
    if (w == Window{}) return "on the day";
    return fmt::format("window {} day(s) before to {} after", w.before.count(), w.after.count());
}

// The comparison groups a subject can be assigned to: the arms, the
// cohorts, or each arm in each cohort. None for a blinded protocol: a
// group would tell the arm.
struct Group {
    std::string link_id;
    std::string name;
    std::string arm, cohort;  // ids; empty: any
};

std::vector<Group> comparison_groups(const Protocol& p) {
    if (p.blinded) return {};
    std::vector<Group> out;
    const auto name_of = [](const auto& x) { return x.name.empty() ? x.id : x.name; };
    if (!p.arms.empty() && !p.cohorts.empty()) {
        for (const auto& a : p.arms)
            for (const auto& c : p.cohorts)
                out.push_back({resource_id(a.id + "." + c.id), name_of(a) + ", " + name_of(c), a.id, c.id});
    } else {
        for (const auto& a : p.arms) out.push_back({resource_id(a.id), name_of(a), a.id, ""});
        for (const auto& c : p.cohorts) out.push_back({resource_id(c.id), name_of(c), "", c.id});
    }
    return out;
}

void research_study(JsonWriter& j, const Protocol& p) {
    const std::string id = study_id(p);
    begin_entry(j, "ResearchStudy", id);
    j.key("url").value(fmt::format("{}ResearchStudy/{}", base, id));
    j.key("identifier").begin_array();
    j.begin_object().key("system").value("urn:trialcal:protocol").key("value").value(p.id).end_object();
    for (const auto& r : p.registry_ids) {
        const bool nct = r.rfind("NCT", 0) == 0;
        j.begin_object();
        if (nct) j.key("system").value("https://clinicaltrials.gov");
        j.key("value").value(r).end_object();
    }
    j.end_array();
    j.key("version").value(p.version);
    j.key("name").value(resource_id(p.id));
    j.key("title").value(p.title.empty() ? p.id : p.title);
    j.key("status").value("active");
    if (!p.design.empty()) j.key("description").value(p.design);
    if (const auto groups = comparison_groups(p); !groups.empty()) {
        j.key("comparisonGroup").begin_array();
        for (const auto& g : groups) j.begin_object().key("linkId").value(g.link_id).key("name").value(g.name).end_object();
        j.end_array();
    }
    j.key("protocol").begin_array().begin_object().key("reference").value(reference("PlanDefinition", id)).end_object().end_array();
    end_entry(j);
}

void plan_definition(JsonWriter& j, const Protocol& p) {
    const std::string id = study_id(p);
    begin_entry(j, "PlanDefinition", id);
    j.key("url").value(fmt::format("{}PlanDefinition/{}", base, id));
    j.key("version").value(p.version);
    j.key("name").value(resource_id(p.id));
    j.key("title").value(fmt::format("Schedule of {} version {}", p.id, p.version));
    j.key("status").value("active");
    j.key("action").begin_array();
    j.begin_object().key("linkId").value("day0").key("title").value("Day 0");
    j.key("description").value("The patient's day 0: every study day counts from it").end_object();
    const auto from = [](const std::optional<std::string>& anchor) { return anchor ? *anchor : std::string("day0"); };
    for (const auto& v : p.visits) {
        std::string text = fmt::format("D{}, {}", v.day.count(), window_text(v.window));
        if (!v.procedures.empty()) {
            text += ". Procedures:";
            for (std::size_t i = 0; i < v.procedures.size(); ++i) text += (i ? ", " : " ") + v.procedures[i];
        }
        j.begin_object().key("linkId").value(v.id).key("title").value(v.name.empty() ? v.id : v.name);
        if (v.early_termination) {
            j.key("description").value(fmt::format("Early termination: {} day(s) after the withdrawal, {}", v.day.count(),
                                                   window_text(v.window)));
            j.key("trigger").begin_array().begin_object().key("type").value("named-event").key("name").value("withdrawal");
            j.end_object().end_array();
        } else {
            j.key("description").value(text);
            // An anchored visit keeps its study day; it counts from the anchor's.
            related(j, from(v.anchor), v.day.count() - anchor_day(p, v.anchor), v.window);
        }
        j.end_object();
    }
    for (const auto& r : p.regimens) {
        const Product* product = p.product(r.product);
        const std::string drug = product ? product->shown_name() : r.product;
        j.begin_object().key("linkId").value("R." + r.id).key("title").value(fmt::format("{}: {}", r.name.empty() ? r.id : r.name, drug));
        j.key("description").value(fmt::format("D{} to D{} every {} day(s), {} intake(s) a day, {}", r.first_day.count(),
                                               r.last_day.count(), r.every.count(), std::max<std::size_t>(1, r.intakes.size()),
                                               window_text(r.window)));
        related(j, from(r.anchor), r.first_day.count() - anchor_day(p, r.anchor), r.window);
        j.key("timingTiming").begin_object().key("repeat").begin_object();
        j.key("count").value(static_cast<long long>(r.dose_count()));
        j.key("frequency").value(static_cast<long long>(std::max<std::size_t>(1, r.intakes.size())));
        j.key("period").value(static_cast<long long>(r.every.count())).key("periodUnit").value("d");
        j.end_object().end_object();
        j.end_object();
    }
    j.end_array();
    end_entry(j);
}

// FHIR's request statuses for an event's outcome: what happened to it. A
// ServiceRequest (a visit) has no ended or cancelled: revoked says both.
std::string_view request_status(Status s, EventKind kind) {
    const bool visit = kind == EventKind::visit;
    switch (s) {
    case Status::on_time:
    case Status::early:
    case Status::late: return "completed";
    case Status::missed: return visit ? "revoked" : "ended";
    case Status::cancelled: return visit ? "revoked" : "cancelled";
    case Status::held: return "on-hold";
    case Status::due:
    case Status::upcoming: return "active";
    }
    return "unknown";
}

std::string_view outcome_text(Status s) {
    switch (s) {
    case Status::on_time: return "done on time";
    case Status::early: return "done early";
    case Status::late: return "done late";
    case Status::missed: return "missed";
    case Status::due: return "due";
    case Status::upcoming: return "upcoming";
    case Status::held: return "held";
    case Status::cancelled: return "cancelled";
    }
    return "";
}

void progress(JsonWriter& j, std::string_view type, std::string_view state, date::sys_days start,
              std::optional<date::sys_days> end, std::string_view reason) {
    j.begin_object();
    coded(j, "type", "http://hl7.org/fhir/research-subject-state-type", type);
    coded(j, "subjectState", "http://hl7.org/fhir/research-subject-state", state);
    if (!reason.empty()) text_concept(j, "reason", reason);
    j.key("startDate").value(iso(start));
    if (end) j.key("endDate").value(iso(*end));
    j.end_object();
}

}  // namespace

std::string resource_id(std::string_view text) {
    std::string out;
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
        out += ok ? c : '-';
        if (out.size() == 64) break;
    }
    return out.empty() ? "-" : out;
}

BundleWriter::BundleWriter(std::string_view id) {
    json_.begin_object().key("resourceType").value("Bundle").key("id").value(resource_id(id));
    json_.key("type").value("collection").key("entry").begin_array();
}

std::string BundleWriter::finish() {
    json_.end_array().end_object();
    return json_.str();
}

void BundleWriter::subject(const Subject& s) {
    JsonWriter& j = json_;
    const Protocol& p = *s.protocol;
    const std::string study = study_id(p);
    if (studies_.insert(study).second) {
        research_study(j, p);
        plan_definition(j, p);
    }
    const std::string patient = resource_id(s.patient);
    const Compliance judged = judge(s.shown, s.records, s.as_of);

    begin_entry(j, "Patient", patient);
    j.key("identifier").begin_array().begin_object();
    j.key("system").value(fmt::format("urn:trialcal:site:{}", s.site)).key("value").value(s.patient);
    j.end_object().end_array();
    end_entry(j);

    // Where the patient stands: enrolled on day 0, on the intervention from
    // the first dose given, then off it (discontinued), withdrawn, or done.
    const CourseStatus status = course_status(s.records, judged, s.as_of);
    const StatusRecord* discontinued = status_record(s.records, StatusChange::discontinued);
    if (discontinued && discontinued->on > s.as_of) discontinued = nullptr;
    const StatusRecord* withdrawn = status_record(s.records, StatusChange::withdrawn);
    if (withdrawn && withdrawn->on > s.as_of) withdrawn = nullptr;
    std::optional<date::sys_days> first_dose, ended;
    for (const auto& a : s.records.doses)
        if (a.date <= s.as_of && (!first_dose || a.date < *first_dose)) first_dose = a.date;
    if (status == CourseStatus::withdrawn && withdrawn) ended = withdrawn->on;
    if (status == CourseStatus::completed) ended = completed_on(judged);
    begin_entry(j, "ResearchSubject", patient);
    j.key("status").value("active");
    j.key("progress").begin_array();
    progress(j, "Enrollment", "on-study", s.shown.day0, ended, "");
    if (first_dose) {
        std::optional<date::sys_days> off = discontinued ? std::optional(discontinued->on) : ended;
        progress(j, "Milestone", "on-study-intervention", *first_dose, off, "");
    }
    if (discontinued) progress(j, "Milestone", "on-study-observation", discontinued->on, ended, discontinued->reason);
    if (status == CourseStatus::withdrawn && withdrawn)
        progress(j, "Milestone", "withdrawn", withdrawn->on, std::nullopt,
                 withdrawn->lost_to_follow_up ? "lost to follow-up: " + withdrawn->reason : withdrawn->reason);
    if (status == CourseStatus::completed && ended) progress(j, "Milestone", "off-study", *ended, std::nullopt, "completed");
    j.end_array();
    j.key("period").begin_object().key("start").value(iso(s.shown.day0));
    if (ended) j.key("end").value(iso(*ended));
    j.end_object();
    ref(j, "study", "ResearchStudy", study);
    ref(j, "subject", "Patient", patient);
    for (const auto& g : comparison_groups(p))
        if (g.arm == s.shown.arm.value_or("") && g.cohort == s.shown.cohort.value_or("")) {
            j.key("assignedComparisonGroup").value(g.link_id);
            break;
        }
    end_entry(j);

    // The calendar: one request per planned event, as it stands.
    std::vector<std::pair<std::string, std::string>> activities;  // type, id
    for (const auto& e : s.shown.events) activities.emplace_back(e.kind == EventKind::visit ? "ServiceRequest" : "MedicationRequest", resource_id(s.patient + "-" + e.id));
    begin_entry(j, "CarePlan", patient);
    j.key("instantiatesCanonical").begin_array().value(fmt::format("{}PlanDefinition/{}", base, study)).end_array();
    j.key("status").value(status == CourseStatus::withdrawn ? "revoked" : status == CourseStatus::completed ? "completed" : "active");
    j.key("intent").value("plan");
    j.key("title").value(fmt::format("{} calendar of {}", p.id, s.patient));
    ref(j, "subject", "Patient", patient);
    j.key("period").begin_object().key("start").value(iso(s.shown.day0));
    if (!s.shown.events.empty()) j.key("end").value(iso(s.shown.events.back().window.to));
    j.end_object();
    j.key("activity").begin_array();
    for (const auto& [type, id] : activities) {
        j.begin_object().key("plannedActivityReference").begin_object().key("reference").value(reference(type, id));
        j.end_object().end_object();
    }
    j.end_array();
    end_entry(j);

    for (std::size_t i = 0; i < s.shown.events.size(); ++i) {
        const Event& e = s.shown.events[i];
        const Outcome* o = judged.outcome(&e);
        const Status st = o ? o->status : Status::upcoming;
        const bool visit = e.kind == EventKind::visit;
        begin_entry(j, activities[i].first, activities[i].second);
        j.key("identifier").begin_array().begin_object().key("system").value("urn:trialcal:event");
        j.key("value").value(e.id).end_object().end_array();
        j.key("basedOn").begin_array().begin_object().key("reference").value(reference("CarePlan", patient));
        j.end_object().end_array();
        j.key("status").value(request_status(st, e.kind));
        j.key("intent").value("plan");
        if (visit) {
            j.key("code").begin_object();
            text_concept(j, "concept", e.name.empty() ? e.id : e.name);
            j.end_object();
        } else {
            j.key("medication").begin_object();
            text_concept(j, "concept", e.drug);
            j.end_object();
        }
        ref(j, "subject", "Patient", patient);
        std::string note = fmt::format("{} D{}: {}", e.id, e.day.count(), outcome_text(st));
        if (o && o->date) note += " on " + iso(*o->date);
        if (o && o->skipped) note += ", skipped: " + o->skip_reason;
        if (o && !o->reason.empty()) note += ": " + o->reason;
        if (visit) {
            j.key("occurrencePeriod").begin_object().key("start").value(iso(e.window.from));
            j.key("end").value(iso(e.window.to)).end_object();
            if (!e.procedures.empty()) {
                note += ". Procedures:";
                for (std::size_t k = 0; k < e.procedures.size(); ++k) note += (k ? ", " : " ") + e.procedures[k];
            }
        } else {
            j.key("dosageInstruction").begin_array().begin_object();
            j.key("text").value(fmt::format("{}{}{}", e.drug, e.route.empty() ? "" : " " + e.route,
                                            e.intake.empty() ? "" : " (" + e.intake + ")"));
            j.key("timing").begin_object().key("event").begin_array().value(iso(e.date)).end_array();
            j.key("repeat").begin_object().key("boundsPeriod").begin_object().key("start").value(iso(e.window.from));
            j.key("end").value(iso(e.window.to)).end_object().end_object().end_object();
            if (e.amount) {
                j.key("doseAndRate").begin_array().begin_object().key("doseQuantity").begin_object();
                j.key("value").value(*e.amount).key("unit").value(e.unit).end_object().end_object().end_array();
            }
            j.end_object().end_array();
        }
        j.key("note").begin_array().begin_object().key("text").value(note).end_object().end_array();
        end_entry(j);
    }

    // What was given: each administration as recorded, named as blinded
    // staff name it; the amount only for a product that is not blinded (a
    // blinded product's amount in its real unit could tell the arm).
    std::unordered_map<std::int64_t, std::size_t> matched;  // record -> planned event
    for (const auto& m : match_doses(s.shown, s.records, s.as_of))
        if (m.event) matched[m.record] = *m.event;
    for (const auto& a : s.records.doses) {
        if (a.date > s.as_of) continue;
        const Product* product = p.product(a.product);
        begin_entry(j, "MedicationAdministration", resource_id(fmt::format("{}-R{}", s.patient, a.record)));
        j.key("identifier").begin_array().begin_object().key("system").value("urn:trialcal:record");
        j.key("value").value(fmt::format("R{}", a.record)).end_object().end_array();
        j.key("status").value("completed");
        j.key("medication").begin_object();
        text_concept(j, "concept", product ? product->shown_name() : a.product);
        j.end_object();
        ref(j, "subject", "Patient", patient);
        const date::sys_seconds at{std::chrono::seconds{a.at}};
        j.key("occurenceDateTime").value(date::format("%FT%TZ", at));  // R5 spells it so
        if (const auto f = matched.find(a.record); f != matched.end())
            ref(j, "request", "MedicationRequest", resource_id(s.patient + "-" + s.shown.events[f->second].id));
        if (a.amount && product && !product->blinded()) {
            j.key("dosage").begin_object().key("dose").begin_object().key("value").value(*a.amount);
            j.key("unit").value(product->unit).end_object().end_object();
        }
        end_entry(j);
    }
}

}  // namespace trialcal::fhir
