#pragma once
// The tables whose rows the audit trail accounts for, and the columns that
// make up a row's canonical form: the same list feeds the RETURNING clause of
// every insert (the digest of what a write wrote) and the reading of
// `audit verify` (the digest of what is there now), so the two cannot drift.
#include "store/sql_text.hpp"

#include <array>
#include <cstddef>
#include <string_view>

namespace trialcal::store {

struct Table {
    const char* name;
    const char* columns;
    // How many of `columns` every row's canonical form holds; the columns
    // after them were added by a later schema (ALTER TABLE … ADD COLUMN) and
    // enter it only when they hold a value, so the rows written before they
    // existed keep their digest. 0: all of them.
    int always = 0;
};

// The order is part of the digest's definition: never reorder, only append.
enum class TableId : unsigned char {
    protocol_file, trial_key, randomization, patient, planned_event, amendment, record, void_, site, enrollment_void, screening
};

// Each table's columns, in canonical order; audit_seq is not among them.
inline constexpr char protocol_file_columns[] = "sha256, protocol, version, path, text";
inline constexpr char trial_key_columns[] = "id, kind, public_key, fingerprint, name, installed_at, installed_by";
inline constexpr char randomization_columns[] = "protocol, number, site, ord, sealed_arm, key";
inline constexpr char patient_columns[] =
    "id, protocol, version, protocol_sha256, site, day0, arm, sealed_arm, key, randomization_number, cohort, "
    "weight_kg, tz, enrolled_at, enrolled_by";
inline constexpr char planned_event_columns[] =
    "patient, event_id, revision, retired, version, ord, kind, day, date, window_from, window_to, sequence, name, "
    "procedures, product, drug, amount, unit, route, intake, placed, closed_day";
// Schema 2's: placed and closed_day came with schema 3.
inline constexpr int planned_event_v2_columns = 20;
inline constexpr char amendment_columns[] = "id, patient, version, protocol_sha256, on_date, at, by, reason, day0";
// Schema 3's: day0 came with schema 4.
inline constexpr int amendment_v3_columns = 8;
inline constexpr char record_row_columns[] =
    "id, patient, kind, event_id, at_local, at_utc, tz, date, product, amount, unit, kit, note, reason, "
    "recorded_at, recorded_by, until, kg, lost_to_follow_up, name";
// Schema 3's: until, kg, lost_to_follow_up and name came with schema 4.
inline constexpr int record_v3_columns = 16;
inline constexpr char void_columns[] = "record, reason, voided_at, voided_by";
inline constexpr char site_columns[] = "code, revision, name, tz, country, closed, holidays, holiday_file, at, by";
inline constexpr char enrollment_void_columns[] = "patient, reason, at, by";
inline constexpr char screening_columns[] =
    "id, patient, protocol, version, protocol_sha256, site, on_date, \"values\", eligible, at, by";

// The audit trail's own columns, in AuditRow order (store/audit.hpp).
inline constexpr char audit_columns[] =
    "seq, at, account, by, action, patient, target, old, new, sealed, reason, source, rows, digest, prev_hash, hash";

inline constexpr std::array<Table, 11> audited_tables{{
    {"protocol_file", protocol_file_columns},
    {"trial_key", trial_key_columns},
    {"randomization", randomization_columns},
    {"patient", patient_columns},
    {"planned_event", planned_event_columns, planned_event_v2_columns},
    {"amendment", amendment_columns, amendment_v3_columns},
    {"record", record_row_columns, record_v3_columns},
    {"void", void_columns},
    {"site", site_columns},
    {"enrollment_void", enrollment_void_columns},
    {"screening", screening_columns},
}};

[[nodiscard]] constexpr const Table& table(TableId id) noexcept { return audited_tables[static_cast<std::size_t>(id)]; }

}  // namespace trialcal::store
