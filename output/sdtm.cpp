#include "output/sdtm.hpp"

#include "core/course.hpp"
#include "core/number.hpp"
#include "output/csv.hpp"
#include "output/formatters.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <utility>
#include <unordered_map>
#include <unordered_set>

namespace trialcal::sdtm {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

std::string iso(date::sys_days d) { return fmt::format("{}", IsoDate{d}); }
std::string num(int n) { return std::to_string(n); }
std::string num(std::optional<double> v) { return v ? to_text(*v) : std::string(); }
std::string days_text(long n) { return fmt::format("{} day{}", n, n == 1 ? "" : "s"); }

// A dataset's rows, counted, as CSV (the header row first) or as
// Dataset-JSON rows (the container is the front end's: its head needs the
// count).
struct Rows {
    std::optional<CsvWriter> csv;
    const std::vector<dataset_json::Column>* json = nullptr;  // set: Dataset-JSON rows
    std::string json_out;
    std::size_t count = 0;
    Rows(Domain d, Container c) {
        if (c == Container::csv) csv.emplace(variables(d));
        else json = &columns(d);
    }
    void row(const std::vector<std::string>& fields) {
        if (json) json_out += dataset_json::row(*json, fields, count);
        else csv->row(fields);
        ++count;
    }
    [[nodiscard]] std::string take() { return json ? std::exchange(json_out, {}) : csv->take(); }
};

// --- Trial design ------------------------------------------------------------

// One way through the trial: an arm, a cohort, both, or the single group.
struct Variant {
    std::string armcd, arm, branch;
    const Arm* a = nullptr;
    std::string cohort;  // id; empty when the protocol has none
};

std::vector<Variant> variants(const Protocol& p) {
    std::vector<const Arm*> arms;
    for (const auto& a : p.arms) arms.push_back(&a);
    if (arms.empty()) arms.push_back(nullptr);
    std::vector<const Cohort*> cohorts;
    for (const auto& c : p.cohorts) cohorts.push_back(&c);
    if (cohorts.empty()) cohorts.push_back(nullptr);
    std::vector<Variant> out;
    for (const Arm* a : arms)
        for (const Cohort* c : cohorts) {
            Variant v;
            v.a = a;
            const std::string arm_name = a ? (a->name.empty() ? a->id : a->name) : "";
            const std::string cohort_name = c ? (c->name.empty() ? c->id : c->name) : "";
            if (a && c) {
                v.armcd = a->id + "-" + c->id;
                v.arm = arm_name + ", " + cohort_name;
                v.branch = "Assigned to arm " + arm_name + ", cohort " + cohort_name;
            } else if (a) {
                v.armcd = a->id;
                v.arm = arm_name;
                v.branch = "Assigned to arm " + arm_name;
            } else if (c) {
                v.armcd = c->id;
                v.arm = cohort_name;
                v.branch = "Assigned to cohort " + cohort_name;
            } else {
                v.armcd = "SINGLE";
                v.arm = "Single group";
            }
            if (c) v.cohort = c->id;
            out.push_back(std::move(v));
        }
    return out;
}

// The protocol day of a regimen's last dose.
int last_dose_day(const Regimen& r) {
    const int first = r.first_day.count(), last = r.last_day.count();
    const int every = std::max(1, static_cast<int>(r.every.count()));
    if (last < first) return first - 1;
    return first + (last - first) / every * every;
}

std::string frequency(const Regimen& r) {
    const std::size_t n = std::max<std::size_t>(1, r.intakes.size());
    const auto every = r.every.count();
    const std::string per_day = n == 1 ? "once" : n == 2 ? "twice" : fmt::format("{} times", n);
    if (every <= 1) return per_day + " a day";
    if (n == 1 && every == 7) return "once a week";
    if (n == 1 && every == 14) return "every two weeks";
    if (n == 1) return fmt::format("every {} days", every);
    return fmt::format("{} a day every {} days", per_day, every);
}

// "aldesleukin 1 MIU SC once a day", "placebo SC once a day", "ciclosporin 5 mg/kg oral twice a day"
std::string treatment(const Protocol& p, const Regimen& r, const Arm* arm) {
    const Product* product = p.product(r.product);
    std::string out;
    if (arm && arm->is_placebo(product->id)) {
        out = "placebo";
    } else {
        out = product->drug;
        std::optional<double> amount;
        switch (r.rule) {
        case AmountRule::fixed: amount = r.amount; break;
        case AmountRule::from_arm:
            if (arm) amount = arm->dose_of(product->id);
            break;
        case AmountRule::per_kg: out += fmt::format(" {} {}/kg", to_text(r.mg_per_kg), product->unit); break;
        }
        if (amount) out += fmt::format(" {} {}", to_text(*amount), product->unit);
    }
    if (!product->route.empty()) out += " " + product->route;
    return out + " " + frequency(r);
}

struct Segment {
    ElementKind kind;
    int position;  // 1, 2, … among treatment elements; 0 otherwise
    std::string name;
    int start, end;
    std::string testrl, teenrl;
    auto key() const { return std::tie(kind, position, name, start, end, testrl, teenrl); }
};

std::vector<Segment> segments(const Protocol& p, const Variant& v) {
    struct Group {
        int first, last;
        std::vector<const Regimen*> regimens;
    };
    std::vector<const Regimen*> regimens;
    for (const auto& r : p.regimens)
        if (r.applies_to(v.cohort) && p.product(r.product) && last_dose_day(r) >= r.first_day.count())
            regimens.push_back(&r);
    std::stable_sort(regimens.begin(), regimens.end(),
                     [](const Regimen* a, const Regimen* b) { return a->first_day < b->first_day; });
    std::vector<Group> groups;
    for (const Regimen* r : regimens) {
        // Regimens that overlap run together: one element.
        if (!groups.empty() && r->first_day.count() <= groups.back().last) {
            groups.back().last = std::max(groups.back().last, last_dose_day(*r));
            groups.back().regimens.push_back(r);
        } else {
            groups.push_back({r->first_day.count(), last_dose_day(*r), {r}});
        }
    }
    int first_visit = groups.empty() ? 0 : groups.front().first, last_visit = first_visit;
    bool any_visit = false;
    for (std::size_t i = 0; i < p.visits.size(); ++i) {
        if (p.visits[i].early_termination) continue;  // dated from a withdrawal, no part of the design's days
        const int d = p.visits[i].day.count();
        if (!any_visit) first_visit = last_visit = d, any_visit = true;
        first_visit = std::min(first_visit, d);
        last_visit = std::max(last_visit, d);
    }
    std::vector<Segment> out;
    if (groups.empty()) {
        out.push_back({ElementKind::screening, 0, "Screening", first_visit, last_visit,
                       fmt::format("Protocol D{}, the first visit", first_visit),
                       fmt::format("End of protocol D{}, the last visit", last_visit)});
        return out;
    }
    if (first_visit < groups.front().first)
        out.push_back({ElementKind::screening, 0, "Screening", first_visit, groups.front().first - 1,
                       fmt::format("Protocol D{}, the first visit", first_visit),
                       fmt::format("End of protocol D{}, the day before the first dose", groups.front().first - 1)});
    for (std::size_t i = 0; i < groups.size(); ++i) {
        const Group& g = groups[i];
        std::string name;
        for (const Regimen* r : g.regimens) name += (name.empty() ? "" : " + ") + treatment(p, *r, v.a);
        const bool last = i + 1 == groups.size();
        const int end = last ? g.last : groups[i + 1].first - 1;
        out.push_back({ElementKind::treatment, static_cast<int>(i + 1), name, g.first, end,
                       fmt::format("Protocol D{}, the first dose of this element", g.first),
                       last ? fmt::format("End of protocol D{}, the day of the last dose", end)
                            : fmt::format("End of protocol D{}, the day before the next element", end)});
    }
    if (last_visit > groups.back().last)
        out.push_back({ElementKind::follow_up, 0, "Follow-up", groups.back().last + 1, last_visit,
                       fmt::format("Protocol D{}, the day after the last dose", groups.back().last + 1),
                       fmt::format("End of protocol D{}, the last visit", last_visit)});
    return out;
}

// A, B, …, Z, AA, AB, …
std::string letters(std::size_t i) {
    std::string s;
    for (++i; i > 0; i = (i - 1) / 26) s.insert(s.begin(), static_cast<char>('A' + (i - 1) % 26));
    return s;
}

// --- Subjects --------------------------------------------------------------------

// Visit numbers follow the design's visits by protocol day; the
// early-termination visit, dated from a withdrawal, comes after them all so
// that it renumbers none of them.
struct VisitNumbers {
    std::vector<const Visit*> ordered;
    explicit VisitNumbers(const Protocol& p) {
        for (const auto& v : p.visits) ordered.push_back(&v);
        std::stable_sort(ordered.begin(), ordered.end(), [](const Visit* a, const Visit* b) {
            if (a->early_termination != b->early_termination) return b->early_termination;
            return a->day < b->day;
        });
    }
    [[nodiscard]] std::optional<int> number(std::string_view id) const {
        for (std::size_t i = 0; i < ordered.size(); ++i)
            if (ordered[i]->id == id) return static_cast<int>(i + 1);
        return std::nullopt;
    }
    [[nodiscard]] std::string name(const Event& e) const {
        for (const Visit* v : ordered)
            if (v->id == e.id) return v->name;
        return e.name;
    }
};



// The subject's administrations dated on or before the as-of date, in
// matching order: administered time, ties in recorded order.
std::vector<const Administration*> administrations(const Subject& s) {
    std::vector<const Administration*> out;
    for (const auto& a : s.records.doses)
        if (a.date <= s.as_of) out.push_back(&a);
    std::stable_sort(out.begin(), out.end(), [](const Administration* a, const Administration* b) { return a->at < b->at; });
    return out;
}

void tv(Rows& w, const Protocol& design) {
    const VisitNumbers numbers(design);
    for (std::size_t i = 0; i < numbers.ordered.size(); ++i) {
        const Visit& v = *numbers.ordered[i];
        const int n = v.day.count();
        if (v.early_termination) {
            // No planned study day: it is dated from the withdrawal date.
            const std::string when = n == 0 ? "the withdrawal date" : "the withdrawal date + " + days_text(n);
            const std::string window =
                v.window.before.count() == 0 && v.window.after.count() == 0
                    ? "on that day only"
                    : fmt::format("window {} before to {} after", days_text(v.window.before.count()),
                                  days_text(v.window.after.count()));
            w.row({design.id, "TV", num(static_cast<int>(i + 1)), v.name, "", "", "",
                   fmt::format("{}: early termination, on {}, {}", v.id, when, window), "End of the visit day"});
            continue;
        }
        const std::string when = n == 0 ? "day 0" : n > 0 ? "day 0 + " + days_text(n)
                                                            : "day 0 - " + days_text(-n);
        const std::string window =
            v.window.before.count() == 0 && v.window.after.count() == 0
                ? "on that day only"
                : fmt::format("window protocol D{} to D{}", (v.day + date::days{-v.window.before.count()}).count(),
                              (v.day + v.window.after).count());
        w.row({design.id, "TV", num(static_cast<int>(i + 1)), v.name, num(planned_study_day(v.day)), "", "",
               fmt::format("{}: protocol D{} ({}), {}", v.id, n, when, window), "End of the visit day"});
    }
}

void te(Rows& w, const Protocol& design) {
    for (const auto& e : trial_design(design).elements)
        w.row({design.id, "TE", e.etcd, e.name, e.testrl, e.teenrl, fmt::format("P{}D", e.days())});
}

void ta(Rows& w, const Protocol& design) {
    const TrialDesign d = trial_design(design);
    for (const auto& arm : d.arms)
        for (std::size_t i = 0; i < arm.steps.size(); ++i) {
            const Element& e = d.elements[arm.steps[i].element];
            w.row({design.id, "TA", arm.armcd, arm.arm, num(static_cast<int>(i + 1)), e.etcd, e.name,
                   arm.steps[i].branch, "", arm.steps[i].epoch});
        }
}

void sv(Rows& w, const Protocol& design, const VisitNumbers& numbers, const Subject& s) {
    const std::string id = usubjid(design.id, s.site, s.patient);
    const Calendar shown = blind(s.plan, *s.protocol);
    const Compliance c = judge(shown, s.records, s.as_of);
    // Rows in VISITNUM order: (planned visit number, 0) for a planned visit,
    // (the last planned visit before it, k) for the k-th unscheduled visit
    // after that one, written n.0k (course.md, Unscheduled visits).
    struct Row {
        int number, k;
        std::vector<std::string> fields;
    };
    std::vector<Row> rows;
    for (const auto& o : c.visit_events) {
        const bool done = o.status == Status::on_time || o.status == Status::early || o.status == Status::late;
        if (!done && o.status != Status::missed) continue;
        const Event& e = *o.event;
        const auto n = numbers.number(e.id);
        std::string dtc, dy;
        if (o.date) dtc = iso(*o.date), dy = num(study_day(*o.date, s.plan.day0));
        rows.push_back({n.value_or(1 << 30), 0,
                        {design.id, "SV", id, n ? num(*n) : "", numbers.name(e), num(planned_study_day(e.day)), dtc,
                         dtc, dy, dy, "Y", o.date ? "Y" : "N", o.date ? "" : o.skip_reason, ""}});
    }
    std::vector<const UnscheduledVisit*> unscheduled;
    for (const auto& u : s.records.unscheduled)
        if (u.date <= s.as_of) unscheduled.push_back(&u);
    std::stable_sort(unscheduled.begin(), unscheduled.end(),
                     [](const UnscheduledVisit* a, const UnscheduledVisit* b) { return a->date < b->date; });
    std::unordered_map<int, int> after;  // planned visit number -> unscheduled visits numbered after it so far
    for (const UnscheduledVisit* u : unscheduled) {
        // The last planned visit before it (or on its day): done, by its
        // date; otherwise by its planned date. Cancelled visits never were.
        int base = 0;
        for (const auto& o : c.visit_events) {
            if (o.status == Status::cancelled) continue;
            const auto n = numbers.number(o.event->id);
            if (n && o.date.value_or(o.event->date) <= u->date) base = std::max(base, *n);
        }
        const int k = ++after[base];
        const std::string dtc = iso(u->date), dy = num(study_day(u->date, s.plan.day0));
        // No planned day, not planned (SVPRESP null, so SVOCCUR null too);
        // why it took place is SVUPDES, the description of an unplanned visit.
        rows.push_back({base, k,
                        {design.id, "SV", id, fmt::format("{}.{:02}", base, k), u->name, "", dtc, dtc, dy, dy, "",
                         "", "", u->reason}});
    }
    std::stable_sort(rows.begin(), rows.end(),
                     [](const Row& a, const Row& b) { return std::tie(a.number, a.k) < std::tie(b.number, b.k); });
    for (const Row& r : rows) w.row(r.fields);
}

void ex(Rows& w, const Protocol& design, const VisitNumbers& numbers, const Subject& s, const Options& opt) {
    const std::string id = usubjid(design.id, s.site, s.patient);
    const Calendar shown = blind(s.plan, *s.protocol);
    // Each lookup below by key, so a subject costs time linear in their records.
    std::unordered_map<std::int64_t, std::optional<std::size_t>> matched_event;  // record -> its last match
    for (const auto& m : match_doses(shown, s.records, s.as_of)) matched_event[m.record] = m.event;
    std::unordered_map<std::int64_t, const Administered*> details;
    for (const auto& a : s.administered) details.emplace(a.record, &a);  // the first, as a scan finds
    std::unordered_map<std::string_view, const Event*> first_dose;      // product -> its first planned dose
    std::unordered_map<int, const Event*> visit_on;                     // protocol day -> its first visit
    for (const auto& e : s.plan.events) {
        if (e.kind == EventKind::dose) first_dose.emplace(e.product, &e);
        else if (e.kind == EventKind::visit) visit_on.emplace(e.day.count(), &e);
    }
    int seq = 0;
    for (const Administration* a : administrations(s)) {
        const Product* product = s.protocol->product(a->product);
        const auto found = details.find(a->record);
        const Administered* more = found == details.end() ? nullptr : found->second;
        const std::string unit = more ? more->unit : std::string();
        std::optional<std::size_t> matched;
        if (const auto m = matched_event.find(a->record); m != matched_event.end()) matched = m->second;
        // The unblinded plan's event: the matched one, else the first of this product.
        const Event* truth = matched ? &s.plan.events[*matched] : nullptr;
        if (!truth)
            if (const auto f = first_dose.find(a->product); f != first_dose.end()) truth = f->second;
        const bool blinded = !opt.unblinded && product && product->blinded();
        std::string trt, dose, dosu;
        if (blinded) {
            // What blinded staff handle: a volume recorded as such, else the planned volume, else nothing.
            trt = *product->blinded_label;
            if (a->amount && !product->blinded_unit.empty() && unit == product->blinded_unit)
                dose = num(a->amount), dosu = unit_term(unit);
            else if (product->blinded_amount)
                dose = num(product->blinded_amount), dosu = unit_term(product->blinded_unit);
        } else {
            trt = truth ? truth->drug : product ? product->drug : a->product;
            if (a->amount && product && unit == product->unit)
                dose = num(a->amount), dosu = unit_term(unit);
            else if (truth && truth->amount)
                dose = num(truth->amount), dosu = unit_term(truth->unit);
        }
        std::string visitnum, visit;
        if (matched)
            if (const auto v = visit_on.find(s.plan.events[*matched].day.count()); v != visit_on.end()) {
                if (auto n = numbers.number(v->second->id)) visitnum = num(*n);
                visit = numbers.name(*v->second);
            }
        const std::string dtc = more ? more->at_local : iso(a->date);
        const std::string dy = num(study_day(a->date, s.plan.day0));
        w.row({design.id, "EX", id, num(++seq), matched ? s.plan.events[*matched].id : "", trt, dose, dosu,
               product ? upper(product->form) : "", product ? route_term(product->route) : "",
               more ? more->kit : "", dtc, dtc, dy, dy, visitnum, visit});
    }
}

struct Deviation {
    date::sys_days date;
    std::size_t order;  // calendar order; extra doses after every event of their date
    std::string spid, term, decod, cat;
};

std::string lateness(const Event& e, date::sys_days d) {
    const std::string window = fmt::format("{}", e.window);
    if (d < e.window.from) return fmt::format("{} early (window {})", days_text((e.window.from - d).count()), window);
    return fmt::format("{} late (window {})", days_text((d - e.window.to).count()), window);
}

void dv(Rows& w, const Protocol& design, const Subject& s) {
    const std::string id = usubjid(design.id, s.site, s.patient);
    // Judged as compliance reports judge: on the blinded plan, so the
    // labels are blinded and a wrong dose is one of an unblinded product.
    const Calendar shown = blind(s.plan, *s.protocol);
    const Compliance c = judge(shown, s.records, s.as_of);
    std::unordered_map<std::int64_t, const Administration*> given_in;  // record -> its last amount given
    for (const auto& a : s.records.doses)
        if (a.amount) given_in[a.record] = &a;
    std::unordered_map<std::string_view, const Event*> first_dose;  // product -> its first planned dose
    for (const auto& e : shown.events)
        if (e.kind == EventKind::dose) first_dose.emplace(e.product, &e);
    std::vector<Deviation> out;
    for (std::size_t i = 0; i < shown.events.size(); ++i) {
        const Event& e = shown.events[i];
        const Outcome* o = c.outcome(&e);
        if (!o) continue;
        const bool visit = e.kind == EventKind::visit;
        const std::string what = visit ? fmt::format("Visit {} (protocol D{})", e.id, e.day.count())
                                       : fmt::format("Dose {} of {} (protocol D{})", e.id, e.drug, e.day.count());
        const std::string cat = visit ? "VISIT SCHEDULE" : "STUDY TREATMENT";
        if (o->status == Status::missed) {
            const std::string why = o->skipped             ? o->skip_reason
                                    : e.reach() == e.window ? "its window ended " + iso(e.window.to)
                                                            : "its reach ended " + iso(e.reach().to);
            out.push_back({e.date, i * 2, e.id, fmt::format("{} not {}: {}", what, visit ? "done" : "given", why),
                           visit ? "MISSED VISIT" : "MISSED DOSE", cat});
        } else if ((o->status == Status::early || o->status == Status::late) && o->date) {
            out.push_back({*o->date, i * 2, e.id,
                           fmt::format("{} {} {}, {}", what, visit ? "done" : "given", iso(*o->date),
                                       lateness(e, *o->date)),
                           visit ? "VISIT OUT OF WINDOW" : "DOSE OUT OF WINDOW", cat});
        }
        if (o->wrong_dose && o->date && o->record) {
            std::string given = "?";
            if (const auto a = given_in.find(*o->record); a != given_in.end()) given = to_text(*a->second->amount);
            out.push_back({*o->date, i * 2 + 1, e.id,
                           fmt::format("{}: {} {} given, {} {} planned", what, given, e.unit, num(e.amount), e.unit),
                           "WRONG DOSE", cat});
        }
    }
    for (const auto& p : c.doses)
        for (const Extra& x : p.extra) {
            std::string drug = p.product;
            if (const auto f = first_dose.find(p.product); f != first_dose.end()) drug = f->second->drug;
            out.push_back({x.date, shown.events.size() * 2, fmt::format("R{}", x.record),
                           fmt::format("Dose of {} given {} (record R{}) matched to no planned dose: {}", drug,
                                       iso(x.date), x.record, x),
                           "UNSCHEDULED DOSE", "STUDY TREATMENT"});
        }
    std::stable_sort(out.begin(), out.end(), [](const Deviation& a, const Deviation& b) {
        return std::tie(a.date, a.order) < std::tie(b.date, b.order);
    });
    int seq = 0;
    for (const auto& d : out)
        w.row({design.id, "DV", id, num(++seq), d.spid, d.term, d.decod, d.cat, iso(d.date),
               num(study_day(d.date, s.plan.day0))});
}

// --- DM, DS, SE: where each subject stands ------------------------------------

// What DM, DS and SE read of a subject's course as of the as-of date, judged
// as the compliance report judges it (on the blinded plan).
struct Course {
    Calendar shown;
    Compliance judged;
    CourseStatus status = CourseStatus::on_treatment;
    const StatusRecord* discontinued = nullptr;  // dated on or before the as-of date
    const StatusRecord* withdrawn = nullptr;
    std::vector<const Administration*> given;    // administrations(s)
    std::optional<date::sys_days> last_contact;  // RFPENDTC while in the study
    std::optional<date::sys_days> ended;         // RFENDTC and RFPENDTC: withdrawn or completed
    std::optional<date::sys_days> completed_on;  // the last planned event's date

    explicit Course(const Subject& s) : shown(blind(s.plan, *s.protocol)), judged(judge(shown, s.records, s.as_of)) {
        status = course_status(s.records, judged, s.as_of);
        if (const auto* d = status_record(s.records, StatusChange::discontinued); d && d->on <= s.as_of) discontinued = d;
        if (const auto* w = status_record(s.records, StatusChange::withdrawn); w && w->on <= s.as_of) withdrawn = w;
        given = administrations(s);
        const auto contact = [&](date::sys_days d) {
            if (d <= s.as_of && (!last_contact || *last_contact < d)) last_contact = d;
        };
        contact(s.plan.day0);
        for (const auto& v : s.records.visits) contact(v.date);
        for (const auto& u : s.records.unscheduled) contact(u.date);
        for (const Administration* a : given) contact(a->date);
        if (discontinued) contact(discontinued->on);
        if (withdrawn) contact(withdrawn->on);
        if (status == CourseStatus::completed) completed_on = trialcal::completed_on(judged);
        // Completed on a last visit missed is later than the last contact:
        // participation ends with the completion DS dates, not before it.
        if (status == CourseStatus::withdrawn) ended = last_contact;
        if (status == CourseStatus::completed)
            ended = completed_on && (!last_contact || *last_contact < *completed_on) ? completed_on : last_contact;
    }
    Course(const Course&) = delete;  // judged points into shown
    Course& operator=(const Course&) = delete;
};

// The date-time of an administration as EX writes it.
std::string dtc_of(const Subject& s, const Administration& a) {
    for (const auto& more : s.administered)
        if (more.record == a.record) return more.at_local;
    return iso(a.date);
}

// The design arms the subject may be on, by index into TrialDesign::arms
// (which follows variants()): their cohort's arms, only their own once
// the arm may be shown.
std::vector<std::size_t> arms_of(const Protocol& design, const Subject& s, bool sealed) {
    const std::vector<Variant> vs = variants(design);
    const std::string cohort = s.plan.cohort.value_or("");
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < vs.size(); ++i) {
        if (vs[i].cohort != cohort) continue;
        if (!sealed && s.plan.arm && vs[i].a && vs[i].a->id != *s.plan.arm) continue;
        out.push_back(i);
    }
    return out;
}

bool sealed_for(const Protocol& design, const Subject& s, const Options& o) {
    return !o.unblinded && (design.blinded || s.protocol->blinded);
}

// One element the subject entered (SE), with its actual dates.
struct Walked {
    const Element* element = nullptr;
    bool told_apart = false;  // the arms that could be the subject's differ here: sealed when blinded
    int taetord = 0;
    std::string epoch;
    date::sys_days start;
    std::optional<date::sys_days> end;
};

// The subject's way through their arm's elements: screening from its first
// planned day; a treatment element from its first administration (matched to
// a dose of its days, else dated in them); follow-up from the day after the
// last administration once treatment is over (discontinued, or no planned
// dose left, a withdrawal having cancelled none). Each ends when the next
// begins (SDTM: SEENDTC is the next SESTDTC); the last at the end of
// participation, or open.
std::vector<Walked> walk(const TrialDesign& d, const Protocol& design, const Subject& s, const Course& c,
                         bool sealed) {
    const std::vector<std::size_t> arms = arms_of(design, s, sealed);
    if (arms.empty()) return {};
    const DesignArm& arm = d.arms[arms.front()];
    std::unordered_map<std::int64_t, int> day_of;  // record -> the protocol day of its dose
    for (const auto& m : match_doses(c.shown, s.records, s.as_of))
        if (m.event) day_of[m.record] = c.shown.events[*m.event].day.count();
    const auto protocol_day = [&](const Administration& a) {
        const auto f = day_of.find(a.record);
        return f != day_of.end() ? f->second : static_cast<int>((a.date - s.plan.day0).count());
    };
    // Treatment over, and follow-up's first day.
    bool doses_left = false;
    for (const auto& p : c.judged.doses)
        for (const auto& o : p.events) doses_left |= o.status == Status::due || o.status == Status::upcoming;
    bool withdrawn_in_treatment = false;
    if (c.withdrawn) {
        std::unordered_set<std::string_view> doses;  // by id: a subject costs time linear in their plan
        for (const auto& e : c.shown.events)
            if (e.kind == EventKind::dose) doses.insert(e.id);
        for (const auto& x : s.records.cancelled)
            withdrawn_in_treatment |= x.by == c.withdrawn->record && doses.count(x.event) > 0;
    }
    const bool discontinued_first = c.discontinued && (!c.withdrawn || c.discontinued->on < c.withdrawn->on);
    const bool treatment_over = discontinued_first || (!doses_left && !withdrawn_in_treatment);
    std::optional<date::sys_days> last_planned_dose;
    for (const auto& e : c.shown.events)
        if (e.kind == EventKind::dose) last_planned_dose = e.date;
    std::optional<date::sys_days> follow_up;
    if (!c.given.empty()) {
        date::sys_days last = c.given.front()->date;
        for (const Administration* a : c.given) last = std::max(last, a->date);
        follow_up = last + date::days{1};
    } else if (discontinued_first) {
        follow_up = c.discontinued->on + date::days{1};
    } else if (last_planned_dose) {
        follow_up = *last_planned_dose + date::days{1};
    }
    std::vector<Walked> out;
    for (std::size_t k = 0; k < arm.steps.size(); ++k) {
        const Element& e = d.elements[arm.steps[k].element];
        std::optional<date::sys_days> start;
        switch (e.kind) {
        case ElementKind::screening:
            if (e.start.on(s.plan.day0) <= s.as_of) start = e.start.on(s.plan.day0);
            break;
        case ElementKind::treatment:
            for (const Administration* a : c.given) {
                const int n = protocol_day(*a);
                if (n >= e.start.count() && n <= e.end.count() && (!start || a->date < *start)) start = a->date;
            }
            break;
        case ElementKind::follow_up:
            if (treatment_over && follow_up && *follow_up <= s.as_of) start = follow_up;
            break;
        }
        if (!start) continue;
        bool apart = false;
        for (const std::size_t other : arms) {
            const auto& steps = d.arms[other].steps;
            apart |= k >= steps.size() || steps[k].element != arm.steps[k].element;
        }
        out.push_back({&e, apart, static_cast<int>(k + 1), arm.steps[k].epoch, *start, std::nullopt});
    }
    for (std::size_t i = 0; i + 1 < out.size(); ++i) out[i].end = out[i + 1].start;
    if (!out.empty() && c.ended) out.back().end = std::max(*c.ended, out.back().start);
    return out;
}

// The epoch of a date: the last element entered on or before it.
std::string epoch_on(const std::vector<Walked>& walked, date::sys_days d) {
    std::string out;
    for (const auto& w : walked)
        if (w.start <= d) out = w.epoch;
    return out;
}

void dm(Rows& w, const Protocol& design, const TrialDesign& d, const Subject& s, const Options& o) {
    const Course c(s);
    const std::string rfst = iso(s.plan.day0);
    std::string rfxst, rfxen;
    if (!c.given.empty()) rfxst = dtc_of(s, *c.given.front()), rfxen = dtc_of(s, *c.given.back());
    const std::string rfic = s.plan.day0 <= s.as_of ? rfst : "";
    // A blinded protocol's arm is sealed: no arm variable tells arms apart,
    // and ARMNRS says why they are null.
    std::string armcd, arm, actarmcd, actarm, armnrs;
    if (sealed_for(design, s, o)) {
        armnrs = "BLINDED";
    } else if (const auto arms = arms_of(design, s, false); arms.size() == 1) {
        armcd = d.arms[arms.front()].armcd;
        arm = d.arms[arms.front()].arm;
        // trialcal records what was given as the arm's, so the actual arm is
        // the planned one once a dose is given.
        if (c.given.empty()) armnrs = "ASSIGNED, NOT TREATED";
        else actarmcd = armcd, actarm = arm;
    }
    w.row({design.id, "DM", usubjid(design.id, s.site, s.patient), s.patient, rfst,
           c.ended ? iso(*c.ended) : "", rfxst, rfxen, rfic,
           c.ended ? iso(*c.ended) : c.last_contact ? iso(*c.last_contact) : "", "", "",
           s.site, "", "", "", "", "", armcd, arm, actarmcd, actarm, armnrs, country_term(s.country)});
}

void dm_screen_failure(Rows& w, const Protocol& design, const ScreenFailure& f) {
    w.row({design.id, "DM", usubjid(design.id, f.site, f.patient), f.patient, "", "", "", "", "", iso(f.on), "", "",
           f.site, "", "", "", "", "", "", "", "", "", "SCREEN FAILURE", country_term(f.country)});
}

struct Disposition {
    date::sys_days date;
    int order;  // on one date: consent, treatment, participation
    std::string term, decod, cat, scat;
};

void ds(Rows& w, const Protocol& design, const TrialDesign& d, const Subject& s, const Options& o) {
    const Course c(s);
    const std::vector<Walked> walked = walk(d, design, s, c, sealed_for(design, s, o));
    std::vector<Disposition> out;
    if (s.plan.day0 <= s.as_of)
        out.push_back({s.plan.day0, 0, "INFORMED CONSENT OBTAINED", "INFORMED CONSENT OBTAINED", "PROTOCOL MILESTONE",
                       ""});
    // trialcal keeps a free-text reason only: it is DSTERM as written. A
    // discontinuation's reason is not coded, so its DSDECOD is OTHER.
    if (c.discontinued)
        out.push_back({c.discontinued->on, 1, c.discontinued->reason, "OTHER", "DISPOSITION EVENT", "STUDY TREATMENT"});
    if (c.withdrawn)
        out.push_back({c.withdrawn->on, 2, c.withdrawn->reason,
                       c.withdrawn->lost_to_follow_up ? "LOST TO FOLLOW-UP" : "WITHDRAWAL BY SUBJECT",
                       "DISPOSITION EVENT", "STUDY PARTICIPATION"});
    if (c.status == CourseStatus::completed && c.completed_on)
        out.push_back({*c.completed_on, 2, "COMPLETED", "COMPLETED", "DISPOSITION EVENT", "STUDY PARTICIPATION"});
    std::stable_sort(out.begin(), out.end(), [](const Disposition& a, const Disposition& b) {
        return std::tie(a.date, a.order) < std::tie(b.date, b.order);
    });
    const std::string id = usubjid(design.id, s.site, s.patient);
    int seq = 0;
    for (const auto& r : out)
        w.row({design.id, "DS", id, num(++seq), r.term, r.decod, r.cat, r.scat, epoch_on(walked, r.date), iso(r.date),
               num(study_day(r.date, s.plan.day0))});
}

void ds_screen_failure(Rows& w, const Protocol& design, const ScreenFailure& f) {
    std::string term = "Not eligible at screening";
    for (std::size_t i = 0; i < f.failed.size(); ++i) term += (i == 0 ? ": " : "; ") + f.failed[i];
    // No reference start date: a screen failure has no study day.
    w.row({design.id, "DS", usubjid(design.id, f.site, f.patient), "1", term, "SCREEN FAILURE", "DISPOSITION EVENT",
           "STUDY PARTICIPATION", "SCREENING", iso(f.on), ""});
}

void se(Rows& w, const Protocol& design, const TrialDesign& d, const Subject& s, const Options& o) {
    const Course c(s);
    const bool sealed = sealed_for(design, s, o);
    const std::string id = usubjid(design.id, s.site, s.patient);
    int seq = 0;
    for (const Walked& e : walk(d, design, s, c, sealed)) {
        // An element only some arms have would tell the arm: sealed, it is
        // written without its code and name (its order and epoch are every arm's).
        const bool hide = sealed && e.told_apart;
        w.row({design.id, "SE", id, num(++seq), hide ? "" : e.element->etcd, hide ? "" : e.element->name,
               num(e.taetord), e.epoch, iso(e.start), e.end ? iso(*e.end) : "", num(study_day(e.start, s.plan.day0)),
               e.end ? num(study_day(*e.end, s.plan.day0)) : ""});
    }
}

}  // namespace

std::optional<Domain> parse_domain(std::string_view name) noexcept {
    for (Domain d : all_domains) {
        const std::string_view c = code(d);
        if (name.size() == c.size() && iequals(name, c)) return d;
    }
    return std::nullopt;
}

std::string_view code(Domain d) noexcept {
    switch (d) {
    case Domain::TV: return "TV";
    case Domain::TA: return "TA";
    case Domain::TE: return "TE";
    case Domain::SV: return "SV";
    case Domain::EX: return "EX";
    case Domain::DV: return "DV";
    case Domain::DM: return "DM";
    case Domain::DS: return "DS";
    case Domain::SE: return "SE";
    }
    return "";
}

std::string file_name(Domain d, Container c) {
    std::string s(code(d));
    for (char& ch : s) ch = static_cast<char>(ch - 'A' + 'a');
    return s + (c == Container::dataset_json ? ".json" : ".csv");
}

const std::vector<dataset_json::Column>& columns(Domain d) {
    using T = dataset_json::DataType;
    // SDTMIG's labels; study days, sequence numbers and planned orders are
    // integers, visit numbers (SV's 2.01) and doses decimals, --DTC dates
    // (EX's and DM's treatment dates carry the site's wall time).
    static const dataset_json::Column studyid{"STUDYID", "Study Identifier", T::string},
        domain{"DOMAIN", "Domain Abbreviation", T::string}, usubjid_c{"USUBJID", "Unique Subject Identifier", T::string},
        visitnum{"VISITNUM", "Visit Number", T::decimal}, visit{"VISIT", "Visit Name", T::string},
        visitdy{"VISITDY", "Planned Study Day of Visit", T::integer}, armcd{"ARMCD", "Planned Arm Code", T::string},
        arm{"ARM", "Description of Planned Arm", T::string}, etcd{"ETCD", "Element Code", T::string},
        element{"ELEMENT", "Description of Element", T::string},
        taetord{"TAETORD", "Planned Order of Element within Arm", T::integer}, epoch{"EPOCH", "Epoch", T::string};
    static const std::vector<dataset_json::Column> tv{
        studyid, domain, visitnum, visit, visitdy, armcd, arm,
        {"TVSTRL", "Visit Start Rule", T::string}, {"TVENRL", "Visit End Rule", T::string}};
    static const std::vector<dataset_json::Column> ta{
        studyid, domain, armcd, arm, taetord, etcd, element,
        {"TABRANCH", "Branch", T::string}, {"TATRANS", "Transition Rule", T::string}, epoch};
    static const std::vector<dataset_json::Column> te{
        studyid, domain, etcd, element, {"TESTRL", "Rule for Start of Element", T::string},
        {"TEENRL", "Rule for End of Element", T::string}, {"TEDUR", "Planned Duration of Element", T::string}};
    static const std::vector<dataset_json::Column> sv{
        studyid, domain, usubjid_c, visitnum, visit, visitdy,
        {"SVSTDTC", "Start Date/Time of Visit", T::date}, {"SVENDTC", "End Date/Time of Visit", T::date},
        {"SVSTDY", "Study Day of Start of Visit", T::integer}, {"SVENDY", "Study Day of End of Visit", T::integer},
        {"SVPRESP", "Pre-specified", T::string}, {"SVOCCUR", "Occurrence", T::string},
        {"SVREASOC", "Reason for Occur Value", T::string}, {"SVUPDES", "Description of Unplanned Visit", T::string}};
    static const std::vector<dataset_json::Column> ex{
        studyid, domain, usubjid_c, {"EXSEQ", "Sequence Number", T::integer},
        {"EXSPID", "Sponsor-Defined Identifier", T::string}, {"EXTRT", "Name of Treatment", T::string},
        {"EXDOSE", "Dose", T::decimal}, {"EXDOSU", "Dose Units", T::string}, {"EXDOSFRM", "Dose Form", T::string},
        {"EXROUTE", "Route of Administration", T::string}, {"EXLOT", "Lot Number", T::string},
        {"EXSTDTC", "Start Date/Time of Treatment", T::datetime}, {"EXENDTC", "End Date/Time of Treatment", T::datetime},
        {"EXSTDY", "Study Day of Start of Treatment", T::integer}, {"EXENDY", "Study Day of End of Treatment", T::integer},
        visitnum, visit};
    static const std::vector<dataset_json::Column> dv{
        studyid, domain, usubjid_c, {"DVSEQ", "Sequence Number", T::integer},
        {"DVSPID", "Sponsor-Defined Identifier", T::string}, {"DVTERM", "Protocol Deviation Term", T::string},
        {"DVDECOD", "Protocol Deviation Coded Term", T::string}, {"DVCAT", "Category for Protocol Deviation", T::string},
        {"DVSTDTC", "Start Date/Time of Deviation", T::date}, {"DVSTDY", "Study Day of Start of Deviation", T::integer}};
    static const std::vector<dataset_json::Column> dm{
        studyid, domain, usubjid_c, {"SUBJID", "Subject Identifier for the Study", T::string},
        {"RFSTDTC", "Subject Reference Start Date/Time", T::date}, {"RFENDTC", "Subject Reference End Date/Time", T::date},
        {"RFXSTDTC", "Date/Time of First Study Treatment", T::datetime},
        {"RFXENDTC", "Date/Time of Last Study Treatment", T::datetime},
        {"RFICDTC", "Date/Time of Informed Consent", T::date}, {"RFPENDTC", "Date/Time of End of Participation", T::date},
        {"DTHDTC", "Date/Time of Death", T::date}, {"DTHFL", "Subject Death Flag", T::string},
        {"SITEID", "Study Site Identifier", T::string}, {"AGE", "Age", T::integer}, {"AGEU", "Age Units", T::string},
        {"SEX", "Sex", T::string}, {"RACE", "Race", T::string}, {"ETHNIC", "Ethnicity", T::string}, armcd, arm,
        {"ACTARMCD", "Actual Arm Code", T::string}, {"ACTARM", "Description of Actual Arm", T::string},
        {"ARMNRS", "Reason Arm and/or Actual Arm is Null", T::string}, {"COUNTRY", "Country", T::string}};
    static const std::vector<dataset_json::Column> ds{
        studyid, domain, usubjid_c, {"DSSEQ", "Sequence Number", T::integer},
        {"DSTERM", "Reported Term for the Disposition Event", T::string},
        {"DSDECOD", "Standardized Disposition Term", T::string}, {"DSCAT", "Category for Disposition Event", T::string},
        {"DSSCAT", "Subcategory for Disposition Event", T::string}, epoch,
        {"DSSTDTC", "Start Date/Time of Disposition Event", T::date},
        {"DSSTDY", "Study Day of Start of Disposition Event", T::integer}};
    static const std::vector<dataset_json::Column> se{
        studyid, domain, usubjid_c, {"SESEQ", "Sequence Number", T::integer}, etcd, element, taetord, epoch,
        {"SESTDTC", "Start Date/Time of Element", T::date}, {"SEENDTC", "End Date/Time of Element", T::date},
        {"SESTDY", "Study Day of Start of Element", T::integer}, {"SEENDY", "Study Day of End of Element", T::integer}};
    switch (d) {
    case Domain::DM: return dm;
    case Domain::DS: return ds;
    case Domain::SE: return se;
    case Domain::TV: return tv;
    case Domain::TA: return ta;
    case Domain::TE: return te;
    case Domain::SV: return sv;
    case Domain::EX: return ex;
    case Domain::DV: return dv;
    }
    return tv;
}

const std::vector<std::string>& variables(Domain d) {
    static const auto names = [] {
        std::vector<std::vector<std::string>> out;
        for (const Domain each : all_domains) {
            std::vector<std::string> v;
            for (const auto& c : columns(each)) v.push_back(c.name);
            out.push_back(std::move(v));
        }
        return out;
    }();
    for (std::size_t i = 0; i < std::size(all_domains); ++i)
        if (all_domains[i] == d) return names[i];
    return names.front();
}

std::string_view label(Domain d) noexcept {
    switch (d) {
    case Domain::TV: return "Trial Visits";
    case Domain::TA: return "Trial Arms";
    case Domain::TE: return "Trial Elements";
    case Domain::SV: return "Subject Visits";
    case Domain::EX: return "Exposure";
    case Domain::DV: return "Protocol Deviations";
    case Domain::DM: return "Demographics";
    case Domain::DS: return "Disposition";
    case Domain::SE: return "Subject Elements";
    }
    return "";
}

std::string usubjid(std::string_view study, std::string_view site, std::string_view patient) {
    return fmt::format("{}-{}-{}", study, site, patient);
}

std::string route_term(std::string_view route) {
    static const std::pair<std::string_view, std::string_view> terms[] = {
        {"SC", "SUBCUTANEOUS"}, {"subcutaneous", "SUBCUTANEOUS"}, {"oral", "ORAL"},  {"PO", "ORAL"},
        {"IV", "INTRAVENOUS"},  {"intravenous", "INTRAVENOUS"},   {"IM", "INTRAMUSCULAR"},
        {"intramuscular", "INTRAMUSCULAR"}};
    for (const auto& [from, to] : terms)
        if (iequals(route, from)) return std::string(to);
    return upper(route);
}

std::string unit_term(std::string_view unit) {
    if (iequals(unit, "ml")) return "mL";
    return std::string(unit);
}

std::string country_term(std::string_view alpha2) {
    // ISO 3166-1, every country: alpha-2 then alpha-3, by alpha-2
    // (generated from the iso-codes package's iso_3166-1.json).
    static constexpr std::string_view table =
        "ADANDAEAREAFAFGAGATGAIAIAALALBAMARMAOAGOAQATAARARGASASMATAUTAUAUSAWABWAXALAAZAZEBABIHBBBRBBDBGDBEBEL"
        "BFBFABGBGRBHBHRBIBDIBJBENBLBLMBMBMUBNBRNBOBOLBQBESBRBRABSBHSBTBTNBVBVTBWBWABYBLRBZBLZCACANCCCCKCDCOD"
        "CFCAFCGCOGCHCHECICIVCKCOKCLCHLCMCMRCNCHNCOCOLCRCRICUCUBCVCPVCWCUWCXCXRCYCYPCZCZEDEDEUDJDJIDKDNKDMDMA"
        "DODOMDZDZAECECUEEESTEGEGYEHESHERERIESESPETETHFIFINFJFJIFKFLKFMFSMFOFROFRFRAGAGABGBGBRGDGRDGEGEOGFGUF"
        "GGGGYGHGHAGIGIBGLGRLGMGMBGNGINGPGLPGQGNQGRGRCGSSGSGTGTMGUGUMGWGNBGYGUYHKHKGHMHMDHNHNDHRHRVHTHTIHUHUN"
        "IDIDNIEIRLILISRIMIMNININDIOIOTIQIRQIRIRNISISLITITAJEJEYJMJAMJOJORJPJPNKEKENKGKGZKHKHMKIKIRKMCOMKNKNA"
        "KPPRKKRKORKWKWTKYCYMKZKAZLALAOLBLBNLCLCALILIELKLKALRLBRLSLSOLTLTULULUXLVLVALYLBYMAMARMCMCOMDMDAMEMNE"
        "MFMAFMGMDGMHMHLMKMKDMLMLIMMMMRMNMNGMOMACMPMNPMQMTQMRMRTMSMSRMTMLTMUMUSMVMDVMWMWIMXMEXMYMYSMZMOZNANAM"
        "NCNCLNENERNFNFKNGNGANINICNLNLDNONORNPNPLNRNRUNUNIUNZNZLOMOMNPAPANPEPERPFPYFPGPNGPHPHLPKPAKPLPOLPMSPM"
        "PNPCNPRPRIPSPSEPTPRTPWPLWPYPRYQAQATREREUROROURSSRBRURUSRWRWASASAUSBSLBSCSYCSDSDNSESWESGSGPSHSHNSISVN"
        "SJSJMSKSVKSLSLESMSMRSNSENSOSOMSRSURSSSSDSTSTPSVSLVSXSXMSYSYRSZSWZTCTCATDTCDTFATFTGTGOTHTHATJTJKTKTKL"
        "TLTLSTMTKMTNTUNTOTONTRTURTTTTOTVTUVTWTWNTZTZAUAUKRUGUGAUMUMIUSUSAUYURYUZUZBVAVATVCVCTVEVENVGVGBVIVIR"
        "VNVNMVUVUTWFWLFWSWSMYEYEMYTMYTZAZAFZMZMBZWZWE";
    if (alpha2.size() != 2) return {};
    const std::string key = upper(alpha2);
    for (std::size_t i = 0; i + 5 <= table.size(); i += 5)
        if (table.substr(i, 2) == key) return std::string(table.substr(i + 2, 3));
    return {};
}

TrialDesign trial_design(const Protocol& p) {
    const std::vector<Variant> vs = variants(p);
    std::vector<std::vector<Segment>> paths;
    int positions = 0;
    for (const auto& v : vs) {
        paths.push_back(segments(p, v));
        for (const auto& s : paths.back()) positions = std::max(positions, s.position);
    }
    // Distinct elements per slot (kind and position), in first-use order.
    std::vector<const Segment*> distinct;
    for (const auto& path : paths)
        for (const auto& s : path)
            if (std::none_of(distinct.begin(), distinct.end(), [&](const Segment* d) { return d->key() == s.key(); }))
                distinct.push_back(&s);
    auto rank = [](const Segment& s) { return s.kind == ElementKind::screening ? 0 : s.kind == ElementKind::follow_up ? 1 << 20 : s.position; };
    std::stable_sort(distinct.begin(), distinct.end(),
                     [&](const Segment* a, const Segment* b) { return rank(*a) < rank(*b); });
    TrialDesign out;
    for (std::size_t i = 0; i < distinct.size(); ++i) {
        const Segment& s = *distinct[i];
        std::size_t in_slot = 0, slot_size = 0;
        for (std::size_t j = 0; j < distinct.size(); ++j)
            if (distinct[j]->kind == s.kind && distinct[j]->position == s.position) {
                if (j < i) ++in_slot;
                ++slot_size;
            }
        std::string etcd = s.kind == ElementKind::screening ? "SCRN"
                           : s.kind == ElementKind::follow_up ? "FU"
                           : positions > 1 ? fmt::format("TRT{}", s.position)
                                           : "TRT";
        if (slot_size > 1) etcd += letters(in_slot);
        out.elements.push_back({etcd, s.kind, s.name, StudyDay{s.start}, StudyDay{s.end}, s.testrl, s.teenrl});
    }
    for (std::size_t v = 0; v < vs.size(); ++v) {
        DesignArm arm{vs[v].armcd, vs[v].arm, {}};
        for (std::size_t k = 0; k < paths[v].size(); ++k) {
            const Segment& s = paths[v][k];
            std::size_t index = 0;
            for (std::size_t i = 0; i < distinct.size(); ++i)
                if (distinct[i]->key() == s.key()) index = i;
            const std::string epoch = s.kind == ElementKind::screening ? "SCREENING"
                                      : s.kind == ElementKind::follow_up ? "FOLLOW-UP"
                                      : positions > 1 ? fmt::format("TREATMENT {}", s.position)
                                                      : "TREATMENT";
            // The arm is decided at the end of screening (or before the first element without one).
            arm.steps.push_back({index, epoch, k == 0 && s.kind == ElementKind::screening ? vs[v].branch : ""});
        }
        out.arms.push_back(std::move(arm));
    }
    return out;
}

struct DatasetWriter::State {
    Domain domain;
    Options options;
    Rows rows;
    const Protocol* design = nullptr;
    std::optional<VisitNumbers> numbers;
    std::optional<TrialDesign> elements;  // DS, SE: the design's arms and elements, worked out once per study
};

DatasetWriter::DatasetWriter(Domain d, Options o)
    : state_(std::make_unique<State>(State{d, o, Rows(d, o.container), nullptr, {}, {}})) {}
DatasetWriter::~DatasetWriter() = default;
DatasetWriter::DatasetWriter(DatasetWriter&&) noexcept = default;
DatasetWriter& DatasetWriter::operator=(DatasetWriter&&) noexcept = default;

void DatasetWriter::study(const Protocol& design) {
    State& st = *state_;
    st.design = &design;
    st.numbers.emplace(design);
    st.elements.reset();
    if (st.domain == Domain::DM || st.domain == Domain::DS || st.domain == Domain::SE) st.elements.emplace(trial_design(design));
    switch (st.domain) {
    case Domain::TV: tv(st.rows, design); break;
    case Domain::TA: ta(st.rows, design); break;
    case Domain::TE: te(st.rows, design); break;
    case Domain::SV:
    case Domain::EX:
    case Domain::DV:
    case Domain::DM:
    case Domain::DS:
    case Domain::SE: break;
    }
}

void DatasetWriter::subject(const Subject& s) {
    State& st = *state_;
    if (!st.design) return;
    switch (st.domain) {
    case Domain::TV:
    case Domain::TA:
    case Domain::TE: break;
    case Domain::SV: sv(st.rows, *st.design, *st.numbers, s); break;
    case Domain::EX: ex(st.rows, *st.design, *st.numbers, s, st.options); break;
    case Domain::DV: dv(st.rows, *st.design, s); break;
    case Domain::DM: dm(st.rows, *st.design, *st.elements, s, st.options); break;
    case Domain::DS: ds(st.rows, *st.design, *st.elements, s, st.options); break;
    case Domain::SE: se(st.rows, *st.design, *st.elements, s, st.options); break;
    }
}

void DatasetWriter::screen_failure(const ScreenFailure& f) {
    State& st = *state_;
    if (!st.design) return;
    if (st.domain == Domain::DM) dm_screen_failure(st.rows, *st.design, f);
    else if (st.domain == Domain::DS) ds_screen_failure(st.rows, *st.design, f);
}

std::string DatasetWriter::take() { return state_->rows.take(); }
std::size_t DatasetWriter::rows() const noexcept { return state_->rows.count; }

Dataset dataset(Domain d, const std::vector<Study>& studies, const Options& o) {
    DatasetWriter w(d, o);
    for (const Study& st : studies) {
        w.study(st.design);
        for (const Subject& s : st.subjects) w.subject(s);
        for (const ScreenFailure& f : st.screen_failures) w.screen_failure(f);
    }
    return {w.take(), w.rows()};
}

}  // namespace trialcal::sdtm
