#pragma once
// The steps of enrolling a patient and recording a dose: shared by the use
// cases of one record (trial/records.hpp) and the imports (every row of a
// file in one transaction). Errors name their Origin: the flag or the CSV cell.
#include "trial/catalog.hpp"
#include "trial/origin.hpp"
#include "trial/patient.hpp"
#include "trial/sites.hpp"
#include "trial/text.hpp"
#include "core/calendar.hpp"
#include "store/store.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace trialcal::trial {

struct EnrollInput {
    // tz: only from an import's tz column, which must then be the site's zone.
    std::string patient, protocol, site, day0, arm, randomization, cohort, weight, tz;
    bool randomize = false;  // the next free number of the list (of the site's block)
};

// An enrollment checked as far as it can be without the database.
struct Enrollment {
    EnrollInput input;
    Origin origin;
    const ProtocolFile* file = nullptr;
    CalendarRequest request;
    std::optional<Selection> selection;  // none until the randomization list gives the arm
};

[[nodiscard]] Enrollment prepare_enrollment(const Zones& zones, const Catalog& catalog, const EnrollInput& in, const Origin& origin);

// Inside a write transaction: refuses an unknown site, a patient already
// enrolled or a randomisation number already used, stores patient, plan
// (its site events placed off the site's closed days) and audit row.
// Returns the one-line summary (never the arm of a blinded protocol).
std::string commit_enrollment(store::Store& s, const SiteBook& sites, Enrollment& e, const std::string& by,
                              const std::string& now);

struct DoseInput {
    std::string patient, at, drug, amount, event, kit, note;
};

// One administration checked against the patient and the protocol, ready to
// store. `shown` (the blinded plan) is needed only when it names an event:
// an import reads a patient's plan only for such rows.
struct CheckedDose {
    store::StoredRecord record;
    const Product* product = nullptr;
    const Event* named = nullptr;  // into `shown`
    date::sys_seconds at;
    date::local_time<std::chrono::minutes> local;  // the site's wall time, to the minute
};
[[nodiscard]] CheckedDose check_dose(const Zones& zones, const store::Patient& patient, const Protocol& protocol, const Calendar* shown,
                                     const DoseInput& in, const Origin& origin, date::sys_seconds now);
// Refuses a named event that another live administration names, or that is
// skipped, held or cancelled (compliance.md). Being merely matched to an
// unnamed record does not close it: naming comes first.
void refuse_taken_event(const Records& live, const Event& named, const Origin& origin);
// Refuses a record or a move of an event a status change cancelled (course.md);
// `field` names where the event was given ("--event"), or is empty.
void refuse_cancelled(const Records& live, std::string_view event, std::string_view field = {});
// "from 2027-03-10 until resumed", "from 2027-03-10 to 2027-03-20".
[[nodiscard]] std::string hold_span(date::sys_days first, date::sys_days last);

// The live administrations of one patient by product and site-local minute:
// a second one at the same minute is a duplicate (compliance.md), refused
// naming the other record, or the earlier row of the same file.
class DoseMinutes {
public:
    explicit DoseMinutes(const Records& live);
    void refuse_duplicate(const CheckedDose& d, const Origin& origin) const;
    // A row of an import, not yet stored, that later rows must not repeat.
    void add(const CheckedDose& d, int line);

private:
    struct Taken {
        std::int64_t record = 0;
        int line = 0;  // the file's line when it is a row of this import
    };
    std::map<std::pair<std::string, std::int64_t>, Taken> taken_;  // (product, local minutes since the epoch)
};

// Inside a write transaction: stores the record (not its audit row: one
// dose writes one, an import one per patient); returns its id.
std::int64_t store_dose(store::Store& s, CheckedDose& d, const std::string& by, const std::string& now);

// What the audit trail says of an administration: "at=… (zone) utc=… product=…
// amount=… event=… kit=… note=…".
[[nodiscard]] std::string dose_details(const store::StoredRecord& r);

// What a write recorded: the line to show, and warnings about a record
// that was accepted but may be a mistake. Values, not printing: the front
// end decides where warnings go (trialcal: stderr).
struct Recorded {
    std::string summary;
    std::vector<std::string> warnings;
};

// Inside a write transaction: checks and stores one administration with its
// audit row; says what it was matched to (or why it is extra), and warns when
// another live administration of the product is in the same slot.
Recorded record_dose(const Env& env, store::Store& s, const PatientPlan& pp, const DoseInput& in, const Origin& origin,
                     const std::string& by, const std::string& now);

// Shared checks (and check_line of trial/text.hpp). check_line for a value of
// an Origin: the field's name is made only when refused (an import checks a
// million rows).
void check_line(const Origin& o, std::string_view flag, std::string_view column, std::string_view text,
                Lines lines = Lines::one);
void check_id(const std::string& what, const std::string& id);
// A patient id: check_id, and only ASCII letters, digits, '-', '_' and '.'.
void check_patient_id(const std::string& what, const std::string& id);
// Randomisation numbers are given lowest first: all-digit numbers by value
// ("9" before "10"), others as text. An import and the schema-1 migration
// order a list by it.
[[nodiscard]] bool lower_randomization_number(const std::string& a, const std::string& b);
void check_text(const std::string& what, const std::string& text, std::size_t max, Lines lines = Lines::one);
// A --reason the write needs: given (else missing input naming `command`), one line of at most 2000 bytes.
void check_reason(const std::string& command, const std::string& reason);
[[nodiscard]] const Event& find_event(const Calendar& plan, const std::string& patient, const std::string& id);
[[nodiscard]] std::string timing_text(const Event& e, date::sys_days d);

// A core calendar error as the use case's error, naming the field at fault.
[[noreturn]] void fail_calendar(const CalendarError& e, const Origin& origin = {});

// Values typed by a person, parsed with errors that name the field.
[[nodiscard]] date::sys_days parse_date_option(std::string_view flag, const std::string& text);
[[nodiscard]] double parse_number_option(std::string_view flag, const std::string& text);
// "1 MIU", "0.5 MIU": a number from 0 to a million, a space, a unit.
struct Amount {
    double value;
    std::string unit;
};
[[nodiscard]] Amount parse_amount(const std::string& field, const std::string& text);

// Opens the store for a write that needs what is already recorded: with
// no database there is nothing to act on, and the refusal must not create one.
[[nodiscard]] std::unique_ptr<store::Store> open_existing(const Env& env, const std::string& missing);

// A use case that changes what is recorded: opens the existing store (else
// `missing` is the error), runs `body` in one write transaction, and returns
// what `body` returned once committed.
template <class Body>
[[nodiscard]] auto write_recorded(const Env& env, const std::string& missing, const Body& body) {
    decltype(body(std::declval<store::Store&>())) out;
    with_store([&] {
        auto s = open_existing(env, missing);
        s->write([&] { out = body(*s); });
    });
    return out;
}

}  // namespace trialcal::trial
