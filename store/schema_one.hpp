#pragma once
// A schema-1 database (before issue 13: arms in plain text, no row digests)
// as its migration reads it, engine-neutral. The migration itself is a use
// case (trial/migration.cpp): it decides what is sealed and writes schema 2's
// rows through store::Store as any write does; the engine only reads the old
// rows, checks their chain and drops them (Store::migrate_schema_one).
#include "store/audit.hpp"
#include "store/store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace trialcal::store {

struct OldProtocolFile {
    std::string sha256, protocol, version, path, text;
};

// One number of a schema-1 randomisation list: its arm in plain text.
struct OldRandomization {
    std::string protocol, number, arm;
};

// A schema-1 patient: `patient.arm` is plain whatever the protocol;
// `patient.version` and `protocol_sha256` are the enrollment's.
struct OldPatient {
    Patient patient;
    std::string enrolled_at, enrolled_by;
};

// A planned-event row as stored, for a schema-2 revision: schema 1 moved
// rows in place (a shift) and retired them (`retired` = the amendment's id).
struct PlanRow {
    std::string event_id;
    std::int64_t revision = 0;
    std::int64_t retired = 0;
    std::string version;
    std::int64_t ord = 0;
    std::string kind;  // "visit" or "dose"
    std::int64_t day = 0;
    std::string date, window_from, window_to;
    std::int64_t sequence = 0;
    std::string name, procedures, product, drug;
    std::optional<double> amount;
    std::string unit, route, intake;
};

struct AmendmentRow {
    std::int64_t id = 0;
    std::string patient, version, protocol_sha256, on_date, at, by, reason;
};

struct OldVoid {
    std::int64_t record = 0;
    std::string reason, voided_at, voided_by;
};

// The schema-1 chain as checked: SHA-256 over each row's v1 canonical form.
struct OldChain {
    std::int64_t rows = 0;
    Head head;                 // the last row (seq, hash) as stored
    std::optional<Break> broken;  // the first row that breaks it
};

// The old tables, read while they are migrated (inside the migration's
// transaction). Per-patient reads keep a network's records out of memory.
class SchemaOne {
public:
    virtual ~SchemaOne() = default;
    [[nodiscard]] virtual OldChain check_chain() = 0;
    // The v1 audit rows in order; `hash` and `prev_hash` are schema 1's.
    [[nodiscard]] virtual std::vector<AuditRow> audit_rows() = 0;
    [[nodiscard]] virtual std::vector<OldProtocolFile> protocol_files() = 0;
    [[nodiscard]] virtual std::vector<OldRandomization> randomization() = 0;
    [[nodiscard]] virtual std::vector<OldPatient> patients() = 0;
    // An event's rows come together, in the order of its schema-2 revisions:
    // retired ones by amendment, then the active one.
    [[nodiscard]] virtual std::vector<PlanRow> plan(const std::string& patient) = 0;
    [[nodiscard]] virtual std::vector<AmendmentRow> amendments(const std::string& patient) = 0;
    [[nodiscard]] virtual std::vector<StoredRecord> records(const std::string& patient) = 0;
    [[nodiscard]] virtual std::vector<OldVoid> voids(const std::string& patient) = 0;
};

}  // namespace trialcal::store
