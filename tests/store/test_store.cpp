// The SQLite store: schema and pragmas, patients and their stored plans,
// records and voids, the append-only triggers and CHECK constraints, the
// randomisation list, and how Database::open refuses files it must not use
// (docs/storage.md; shared/spec/cli.md for "read-only commands never create it").
#include "core/calendar.hpp"
#include "core/protocol_parser.hpp"
#include "store/audit.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/audit_log.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/error.hpp"
#include "store/store.hpp"
#include "tests/store/fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <date/date.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace trialcal;
using namespace store_test;

// A file database holding one enrolled patient.
void enroll_into(const fs::path& path) {
    auto db = Database::open(path, Mode::write);
    Store s(db, "tester");
    s.write([&] {
        s.save_protocol_file(sha_a, "DF-IL2", "1", "df-il2.toml", "x");
        s.insert_patient(sample_patient(), "2027-03-01T08:00:00Z", "nurse");
        s.append_audit({"nurse", "enroll", "P001", "", "", "", "", "", ""}, "2027-03-01T08:00:00Z");
    });
}

std::string df_il2_text() { return slurp(fs::path(TRIALCAL_SOURCE_DIR) / "calendars" / "df-il2.toml"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(store)

// ---------------------------------------------------------------- schema

BOOST_FIXTURE_TEST_CASE(schema_pragmas_identify_a_trialcal_database, StoreFixture) {
    BOOST_TEST(db.sql().execAndGet("PRAGMA application_id").getInt() == 0x5443414C);
    BOOST_TEST(ts::sqlite::application_id == 0x5443414C);
    BOOST_TEST(db.sql().execAndGet("PRAGMA user_version").getInt() == 4);
    BOOST_TEST(ts::sqlite::schema_version == 4);
    BOOST_TEST(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    for (const char* table : {"protocol_file", "trial_key", "randomization", "patient", "planned_event", "amendment", "record", "void",
                              "site", "audit"})
        BOOST_TEST(count(std::string("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '") + table +
                         "'") == 1,
                   table);
}

BOOST_FIXTURE_TEST_CASE(foreign_keys_refuse_a_patient_without_its_protocol_file, StoreFixture) {
    const std::string msg = sqlite_refusal([&] {
        write([&] { s.insert_patient(sample_patient(), "2027-03-01T08:00:00Z", "nurse"); });
    });
    BOOST_TEST(contains(msg, "FOREIGN KEY"), msg);
    BOOST_TEST(count("SELECT count(*) FROM patient") == 0);
}

BOOST_AUTO_TEST_CASE(journal_mode_is_the_rollback_journal_before_sqlite_3_51_3) {
    const std::string mode = Database::journal_mode();
    if (sqlite3_libversion_number() < 3051003) BOOST_TEST(mode == "delete");
    else BOOST_TEST(mode == "wal");
    // This machine's SQLite (Debian 12: 3.40) is older than the fix.
    BOOST_TEST(sqlite3_libversion_number() < 3051003, "SQLite " << sqlite3_libversion());
    BOOST_TEST(mode == "delete");

    ScratchDir dir;
    auto db = Database::open(dir / "j.db", Mode::write);
    BOOST_TEST(db.sql().execAndGet("PRAGMA journal_mode").getString() == mode);
    BOOST_TEST(db.sql().execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
    BOOST_TEST(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
}

// ---------------------------------------------------------------- patients and plans

BOOST_FIXTURE_TEST_CASE(patient_fields_read_back_exactly, StoreFixture) {
    ts::Patient p = sample_patient();
    p.randomization_number = "R-0042";
    p.cohort = "A";
    enroll(p);
    const auto got = s.patient("P001");
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(got->id == "P001");
    BOOST_TEST(got->protocol == "DF-IL2");
    BOOST_TEST(got->version == "1");
    BOOST_TEST(got->protocol_sha256 == sha_a);
    BOOST_TEST(got->site == "PSL");
    BOOST_TEST((got->day0 == ymd(2027, 3, 1)));
    BOOST_TEST(ts::iso(got->day0) == "2027-03-01");
    BOOST_TEST(got->arm.value_or("") == "IL2-2");
    BOOST_TEST(got->randomization_number.value_or("") == "R-0042");
    BOOST_TEST(got->cohort.value_or("") == "A");
    BOOST_TEST_REQUIRE(got->weight_kg.has_value());
    BOOST_TEST(*got->weight_kg == 72.5);
    BOOST_TEST(got->tz == "Europe/Paris");
    BOOST_TEST(s.protocol_text(sha_a) == "[protocol]\n");
    BOOST_TEST(!s.patient("P999").has_value());

    // Optional fields left out come back as none, not as empty strings.
    ts::Patient q = sample_patient("P002");
    q.arm = std::nullopt;
    q.weight_kg = std::nullopt;
    enroll(q);
    const auto got2 = s.patient("P002");
    BOOST_TEST_REQUIRE(got2.has_value());
    BOOST_TEST(!got2->arm.has_value());
    BOOST_TEST(!got2->randomization_number.has_value());
    BOOST_TEST(!got2->cohort.has_value());
    BOOST_TEST(!got2->weight_kg.has_value());
    const auto all = s.patients();
    BOOST_TEST_REQUIRE(all.size() == 2u);
    BOOST_TEST(all[0].id == "P001");
    BOOST_TEST(all[1].id == "P002");
    // Enroll's audit row and a second save of the same file change nothing.
    write([&] { s.save_protocol_file(sha_a, "DF-IL2", "1", "df-il2.toml", "[protocol]\n"); });
    BOOST_TEST(count("SELECT count(*) FROM protocol_file") == 1);
}

BOOST_FIXTURE_TEST_CASE(unknown_protocol_text_is_not_found, StoreFixture) {
    store_error([&] { (void)s.protocol_text(std::string(64, 'f')); }, Errc::not_found);
}

BOOST_FIXTURE_TEST_CASE(hand_made_plan_round_trips_with_commas_in_procedures, StoreFixture) {
    const ts::Patient p = sample_patient();
    enroll(p);
    const Calendar c = hand_calendar();
    write([&] { s.insert_plan("P001", c); });
    const Calendar got = s.plan(*s.patient("P001"));
    BOOST_TEST(got.protocol == "DF-IL2");
    BOOST_TEST(got.version == "1");
    BOOST_TEST(got.arm.value_or("") == "IL2-2");
    BOOST_TEST((got.day0 == ymd(2027, 3, 1)));
    BOOST_TEST_REQUIRE(got.events.size() == 3u);

    const Event& v = got.events[0];
    BOOST_TEST(v.id == "V-D0");
    BOOST_TEST((v.kind == EventKind::visit));
    BOOST_TEST(v.day.count() == 0);
    BOOST_TEST(ts::iso(v.date) == "2027-03-01");
    BOOST_TEST(ts::iso(v.window.from) == "2027-03-01");
    BOOST_TEST(ts::iso(v.window.to) == "2027-03-01");
    BOOST_TEST(v.name == "Inclusion, baseline");
    BOOST_TEST_REQUIRE(v.procedures.size() == 3u);
    BOOST_TEST(v.procedures[0] == "HbA1c, fasting");
    BOOST_TEST(v.procedures[1] == "mixed-meal tolerance test (C-peptide AUC, 2 h)");
    BOOST_TEST(v.procedures[2] == "Tregs");

    const Event& d1 = got.events[1];
    BOOST_TEST(d1.id == "IL2-D1");
    BOOST_TEST((d1.kind == EventKind::dose));
    BOOST_TEST(d1.day.count() == 1);
    BOOST_TEST(ts::iso(d1.date) == "2027-03-02");
    BOOST_TEST(d1.product == "IL2");
    BOOST_TEST(d1.drug == "aldesleukin");
    BOOST_TEST_REQUIRE(d1.amount.has_value());
    BOOST_TEST(*d1.amount == 0.33);
    BOOST_TEST(d1.unit == "MIU");
    BOOST_TEST(d1.route == "SC");
    BOOST_TEST(d1.intake == "");
    BOOST_TEST(d1.procedures.empty());

    const Event& d2 = got.events[2];
    BOOST_TEST(d2.id == "CSA-D15-PM");
    BOOST_TEST(d2.day.count() == 15);
    BOOST_TEST(ts::iso(d2.date) == "2027-03-16");
    BOOST_TEST(ts::iso(d2.window.from) == "2027-03-15");
    BOOST_TEST(ts::iso(d2.window.to) == "2027-03-17");
    BOOST_TEST(!d2.amount.has_value());
    BOOST_TEST(d2.unit == "mg");
    BOOST_TEST(d2.route == "oral");
    BOOST_TEST(d2.intake == "PM");
}

BOOST_FIXTURE_TEST_CASE(df_il2_expanded_plan_round_trips, StoreFixture) {
    const std::string text = df_il2_text();
    BOOST_TEST_REQUIRE(!text.empty());
    auto parsed = parse_protocol(text);
    BOOST_TEST_REQUIRE(parsed.protocol.has_value());
    auto cal = expand(*parsed.protocol, CalendarRequest{ymd(2027, 3, 1), std::string("IL2-2"), std::nullopt, std::nullopt});
    BOOST_TEST_REQUIRE(cal.has_value());
    const Calendar& c = *cal;
    BOOST_TEST_REQUIRE(c.events.size() == 15u);  // 10 visits, 5 doses

    ts::Patient p = sample_patient();
    p.protocol_sha256 = ts::sha256_hex(text);
    write([&] {
        s.save_protocol_file(p.protocol_sha256, "DF-IL2", "1", "df-il2.toml", text);
        s.insert_patient(p, "2027-03-01T08:00:00Z", "nurse");
        s.insert_plan("P001", c);
    });
    BOOST_TEST(s.protocol_text(p.protocol_sha256) == text);
    const Calendar got = s.plan(*s.patient("P001"));
    BOOST_TEST_REQUIRE(got.events.size() == c.events.size());
    for (std::size_t i = 0; i < c.events.size(); ++i) {
        const Event& a = c.events[i];
        const Event& b = got.events[i];
        BOOST_TEST_CONTEXT("event " << i << " " << a.id) {
            BOOST_TEST(b.id == a.id);
            BOOST_TEST((b.kind == a.kind));
            BOOST_TEST(b.day.count() == a.day.count());
            BOOST_TEST(ts::iso(b.date) == ts::iso(a.date));
            BOOST_TEST(ts::iso(b.window.from) == ts::iso(a.window.from));
            BOOST_TEST(ts::iso(b.window.to) == ts::iso(a.window.to));
            BOOST_TEST(b.name == a.name);
            BOOST_TEST(b.procedures == a.procedures, boost::test_tools::per_element());
            BOOST_TEST(b.product == a.product);
            BOOST_TEST(b.drug == a.drug);
            BOOST_TEST(b.amount.has_value() == a.amount.has_value());
            if (a.amount && b.amount) BOOST_TEST(*b.amount == *a.amount);
            BOOST_TEST(b.unit == a.unit);
            BOOST_TEST(b.route == a.route);
            BOOST_TEST(b.intake == a.intake);
        }
    }
    // The doses the spec names: IL2-D1 … IL2-D5 on 03-02 … 03-06, 1 MIU in arm IL2-2.
    int doses = 0;
    for (const auto& e : got.events)
        if (e.kind == EventKind::dose) {
            ++doses;
            BOOST_TEST(e.id == "IL2-D" + std::to_string(doses));
            BOOST_TEST((e.date == ymd(2027, 3, 1) + date::days{doses}));
            BOOST_TEST((e.window.from == e.date && e.window.to == e.date));
            BOOST_TEST(e.amount.value_or(-1) == 1.0);
            BOOST_TEST(e.unit == "MIU");
        }
    BOOST_TEST(doses == 5);
    // Visit D15 has the [-1, +1] window.
    bool d15 = false;
    for (const auto& e : got.events)
        if (e.kind == EventKind::visit && e.day.count() == 15) {
            d15 = true;
            BOOST_TEST(ts::iso(e.window.from) == "2027-03-15");
            BOOST_TEST(ts::iso(e.date) == "2027-03-16");
            BOOST_TEST(ts::iso(e.window.to) == "2027-03-17");
        }
    BOOST_TEST(d15);
}

BOOST_FIXTURE_TEST_CASE(an_event_id_is_active_once_per_patient, StoreFixture) {
    enroll(sample_patient());
    write([&] { s.insert_plan("P001", hand_calendar()); });
    const std::string msg = sqlite_refusal([&] { write([&] { s.insert_plan("P001", hand_calendar()); }); });
    BOOST_TEST(contains(msg, "UNIQUE"), msg);
    BOOST_TEST(count("SELECT count(*) FROM planned_event") == 3);
}

// One event by its id is the active plan's: the newest revision after a
// shift, the new version's after an amendment, none once retired or unknown.
BOOST_FIXTURE_TEST_CASE(one_planned_event_by_its_id_is_the_active_plans, FullFixture) {
    write([&] { s.move_event("P001", dose("IL2-D8", 8, ymd(2027, 3, 10), "IL2")); }, "shift", "P001");
    const ts::Patient p = *s.patient("P001");
    const Calendar plan = s.plan(p);
    BOOST_TEST_REQUIRE(plan.events.size() == 3u);  // V-D0, IL2-D1, IL2-D8
    for (const Event& e : plan.events) {
        const auto one = s.planned_event(p, e.id);
        BOOST_TEST_REQUIRE(one.has_value(), e.id);
        BOOST_TEST(one->id == e.id);
        BOOST_TEST(ts::iso(one->date) == ts::iso(e.date));
        BOOST_TEST(ts::iso(one->window.from) == ts::iso(e.window.from));
        BOOST_TEST(one->name == e.name);
        BOOST_TEST(one->procedures == e.procedures, boost::test_tools::per_element());
        BOOST_TEST(one->product == e.product);
    }
    BOOST_TEST(ts::iso(s.planned_event(p, "IL2-D8")->date) == "2027-03-10");  // shifted from 03-09
    BOOST_TEST(!s.planned_event(p, "CSA-D15-PM").has_value());               // retired by the amendment
    BOOST_TEST(!s.planned_event(p, "IL2-D99").has_value());
}

// ---------------------------------------------------------------- records

BOOST_FIXTURE_TEST_CASE(records_read_back_and_voided_ones_are_not_live, StoreFixture) {
    enroll(sample_patient());
    write([&] { s.insert_plan("P001", hand_calendar()); });

    ts::StoredRecord d = dose_record("P001", ymd(2027, 3, 2), "2027-03-02T09:00", "2027-03-02T08:00:00Z");
    d.event = "IL2-D1";
    d.amount = 0.33;
    d.unit = "MIU";
    d.kit = "KIT-7";
    d.note = "left arm, no reaction";
    ts::StoredRecord wrong = dose_record("P001", ymd(2027, 3, 3), "2027-03-03T09:10", "2027-03-03T08:10:00Z");
    ts::StoredRecord v;
    v.patient = "P001";
    v.kind = ts::RecordKind::visit;
    v.event = "V-D0";
    v.date = ymd(2027, 3, 1);
    v.recorded_at = "2027-03-01T10:00:00Z";
    v.recorded_by = "nurse";
    ts::StoredRecord k;
    k.patient = "P001";
    k.kind = ts::RecordKind::skip;
    k.event = "CSA-D15-PM";
    k.reason = "hospitalised";
    k.recorded_at = "2027-03-10T12:00:00Z";
    k.recorded_by = "dr";

    std::int64_t id_d = 0, id_wrong = 0, id_v = 0, id_k = 0;
    write([&] {
        id_d = s.insert_record(d);
        id_wrong = s.insert_record(wrong);
        id_v = s.insert_record(v);
        id_k = s.insert_record(k);
    });
    BOOST_TEST(id_d == 1);
    BOOST_TEST(id_wrong == 2);
    BOOST_TEST(id_v == 3);
    BOOST_TEST(id_k == 4);

    const auto r = s.record(id_d);
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->id == id_d);
    BOOST_TEST(r->patient == "P001");
    BOOST_TEST((r->kind == ts::RecordKind::dose));
    BOOST_TEST(r->event.value_or("") == "IL2-D1");
    BOOST_TEST(r->at_local == "2027-03-02T09:00");
    BOOST_TEST(r->at_utc == "2027-03-02T08:00:00Z");
    BOOST_TEST(r->tz == "Europe/Paris");
    BOOST_TEST_REQUIRE(r->date.has_value());
    BOOST_TEST(ts::iso(*r->date) == "2027-03-02");
    BOOST_TEST(r->product == "IL2");
    BOOST_TEST(r->amount.value_or(-1) == 0.33);
    BOOST_TEST(r->unit == "MIU");
    BOOST_TEST(r->kit == "KIT-7");
    BOOST_TEST(r->note == "left arm, no reaction");
    BOOST_TEST(r->recorded_at == "2027-03-10T12:00:00Z");
    BOOST_TEST(r->recorded_by == "nurse");
    BOOST_TEST(!r->voided);
    BOOST_TEST(!s.record(99).has_value());

    const auto sk = s.record(id_k);
    BOOST_TEST_REQUIRE(sk.has_value());
    BOOST_TEST((sk->kind == ts::RecordKind::skip));
    BOOST_TEST(sk->reason == "hospitalised");
    BOOST_TEST(!sk->date.has_value());
    BOOST_TEST(!sk->amount.has_value());

    Records live = s.live_records("P001");
    BOOST_TEST(live.doses.size() == 2u);
    BOOST_TEST(live.visits.size() == 1u);
    BOOST_TEST(live.skips.size() == 1u);

    write([&] { s.insert_void(id_wrong, "entered for the wrong patient", "2027-03-10T12:05:00Z", "nurse"); });
    const auto voided = s.record(id_wrong);
    BOOST_TEST_REQUIRE(voided.has_value());
    BOOST_TEST(voided->voided);
    BOOST_TEST(voided->void_reason == "entered for the wrong patient");
    // It stays in the database …
    const auto all = s.records("P001");
    BOOST_TEST_REQUIRE(all.size() == 4u);
    BOOST_TEST(all[1].id == id_wrong);
    BOOST_TEST(all[1].voided);
    // … and no report counts it.
    live = s.live_records("P001");
    BOOST_TEST_REQUIRE(live.doses.size() == 1u);
    BOOST_TEST(live.doses[0].record == id_d);
    BOOST_TEST(live.doses[0].product == "IL2");
    BOOST_TEST(ts::iso(live.doses[0].date) == "2027-03-02");
    BOOST_TEST(live.doses[0].event.value_or("") == "IL2-D1");
    BOOST_TEST(live.doses[0].amount.value_or(-1) == 0.33);
    // at is UTC seconds since the epoch: 2027-03-02T08:00:00Z.
    const auto expect_at =
        std::chrono::duration_cast<std::chrono::seconds>(ymd(2027, 3, 2).time_since_epoch()).count() + 8 * 3600;
    BOOST_TEST(live.doses[0].at == expect_at);
    BOOST_TEST_REQUIRE(live.visits.size() == 1u);
    BOOST_TEST(live.visits[0].event == "V-D0");
    BOOST_TEST(live.visits[0].record == id_v);
    BOOST_TEST_REQUIRE(live.skips.size() == 1u);
    BOOST_TEST(live.skips[0].event == "CSA-D15-PM");
    BOOST_TEST(live.skips[0].reason == "hospitalised");

    // A record is voided once.
    const std::string msg = sqlite_refusal([&] {
        write([&] { s.insert_void(id_wrong, "again", "2027-03-10T12:06:00Z", "nurse"); });
    });
    BOOST_TEST(contains(msg, "UNIQUE"), msg);
    BOOST_TEST(count("SELECT count(*) FROM void") == 1);
}

BOOST_FIXTURE_TEST_CASE(a_record_for_an_unknown_patient_is_refused, StoreFixture) {
    const std::string msg = sqlite_refusal([&] {
        write([&] { s.insert_record(dose_record("NOBODY", ymd(2027, 3, 2), "2027-03-02T09:00", "2027-03-02T08:00:00Z")); });
    });
    BOOST_TEST(contains(msg, "FOREIGN KEY"), msg);
    BOOST_TEST(count("SELECT count(*) FROM record") == 0);
}

// 130 records: two full 64-row statements and one of 2, ids as given, every
// field as written, the optional ones null where empty.
BOOST_FIXTURE_TEST_CASE(a_batch_of_records_lands_in_many_row_statements_with_the_given_ids, StoreFixture) {
    enroll(sample_patient());
    std::vector<ts::StoredRecord> batch;
    write([&] {
        (void)s.insert_record(dose_record("P001", ymd(2027, 3, 2), "2027-03-02T09:00", "2027-03-02T08:00:00Z"));
        const std::int64_t first = s.next_record_id();
        BOOST_TEST(first == 2);
        for (int i = 0; i < 130; ++i) {
            const date::sys_days day = ymd(2027, 3, 3) + date::days{i};
            const std::string d(ts::IsoDateText(day).view());
            ts::StoredRecord r = dose_record("P001", day, d + "T09:00", d + "T08:00:00Z");
            r.id = first + i;
            if (i % 2 == 0) r.amount = 1.5 + i;
            if (i % 2 == 0) r.unit = "MIU";
            if (i == 129) r.note = "last of the batch";
            batch.push_back(r);
        }
        s.insert_records(batch);
        BOOST_TEST(s.next_record_id() == 132);
    }, "import", "P001");
    BOOST_TEST(count("SELECT count(*) FROM record") == 131);
    BOOST_TEST(count("SELECT count(*) FROM record WHERE amount IS NULL AND unit IS NULL") == 66);
    const auto back = s.records_between(2, 131);
    BOOST_TEST_REQUIRE(back.size() == 130u);
    BOOST_TEST(back[0].id == 2);
    BOOST_TEST(back[0].at_local == "2027-03-03T09:00");
    BOOST_TEST((back[0].date == ymd(2027, 3, 3)));
    BOOST_TEST(back[0].amount.value_or(0) == 1.5);
    BOOST_TEST(back[64].id == 66);
    BOOST_TEST((back[64].date == ymd(2027, 5, 6)));
    BOOST_TEST(back[129].id == 131);
    BOOST_TEST(back[129].at_utc == "2027-07-10T08:00:00Z");
    BOOST_TEST(back[129].note == "last of the batch");
    BOOST_TEST(!back[129].amount.has_value());
    // One audit row accounts for the single record and the whole batch.
    const auto audit = s.audit_rows(std::string("P001"));
    BOOST_TEST_REQUIRE(audit.size() == 2u);
    BOOST_TEST(audit[1].rows == 131);
    const auto check = s.verify_audit();
    BOOST_TEST(check.intact(), listed(break_texts()));
    BOOST_TEST(check.table_rows == 2 + 131);
}

// The digest of a write is of its rows, not of the order they went in: the
// same batch inserted backwards gives the same digest; one note changed, another.
BOOST_AUTO_TEST_CASE(a_writes_digest_is_of_its_rows_whatever_their_order) {
    const auto digest_of = [](bool backwards, const std::string& note) {
        StoreFixture f;
        f.enroll(sample_patient());
        std::vector<ts::StoredRecord> batch;
        for (int i = 0; i < 70; ++i) {
            ts::StoredRecord r = first_dose();
            r.id = 1 + i;
            r.note = i == 69 ? note : "";
            batch.push_back(r);
        }
        if (backwards) std::reverse(batch.begin(), batch.end());
        f.write([&] { f.s.insert_records(batch); }, "import", "P001");
        BOOST_TEST(f.s.verify_audit().intact(), listed(f.break_texts()));
        const auto row = f.s.audit_row(2);
        BOOST_TEST_REQUIRE(row.has_value());
        BOOST_TEST(row->rows == 70);
        return row->digest;
    };
    const std::string forwards = digest_of(false, "last");
    BOOST_TEST(forwards.size() == 64u);
    BOOST_TEST(digest_of(true, "last") == forwards);
    BOOST_TEST(digest_of(false, "last.") != forwards);
}

BOOST_FIXTURE_TEST_CASE(a_void_of_an_unknown_record_is_refused, StoreFixture) {
    const std::string msg = sqlite_refusal([&] { write([&] { s.insert_void(42, "why", "2027-03-10T12:00:00Z", "nurse"); }); });
    BOOST_TEST(contains(msg, "FOREIGN KEY"), msg);
}

// ---------------------------------------------------------------- append-only

struct WrittenFixture : FullFixture {
    // `sql` refused by a trigger whose message says so; the row is unchanged.
    void refused(const std::string& sql) {
        BOOST_TEST_CONTEXT(sql) {
            const std::string before = dump();
            const std::string msg = sqlite_refusal([&] { db.sql().exec(sql); });
            BOOST_TEST((contains(msg, "append-only") || contains(msg, "never") || contains(msg, "kept as enrolled")),
                       msg);
            BOOST_TEST(dump() == before);
        }
    }
    std::string dump() {
        std::string out;
        for (const char* q : {"SELECT group_concat(id || '|' || coalesce(at_local,'') || '|' || coalesce(product,''), ';') FROM record",
                              "SELECT group_concat(record || '|' || reason, ';') FROM void",
                              "SELECT group_concat(seq || '|' || new || '|' || hash, ';') FROM audit",
                              "SELECT group_concat(id || '|' || site || '|' || day0, ';') FROM patient",
                              "SELECT group_concat(event_id || '|' || revision || '|' || date, ';') FROM planned_event",
                              "SELECT group_concat(id || '|' || name, ';') FROM trial_key",
                              "SELECT group_concat(number || '|' || sealed_arm, ';') FROM randomization",
                              "SELECT group_concat(sha256 || '|' || text, ';') FROM protocol_file",
                              "SELECT group_concat(id || '|' || reason, ';') FROM amendment"}) {
            const auto c = db.sql().execAndGet(q);
            out += (c.isNull() ? std::string("<null>") : c.getString()) + "\n";
        }
        return out;
    }
    std::int64_t rec = 0;
};

BOOST_FIXTURE_TEST_CASE(triggers_refuse_update_and_delete_of_records, WrittenFixture) {
    refused("UPDATE record SET at_local = '2027-03-02T10:00' WHERE id = 1");
    refused("UPDATE record SET recorded_by = 'someone else'");
    refused("DELETE FROM record WHERE id = 1");
    refused("DELETE FROM record");
}

BOOST_FIXTURE_TEST_CASE(triggers_refuse_update_and_delete_of_voids, WrittenFixture) {
    refused("UPDATE void SET reason = 'other' WHERE record = 1");
    refused("DELETE FROM void WHERE record = 1");
}

BOOST_FIXTURE_TEST_CASE(triggers_refuse_update_and_delete_of_the_audit_trail, WrittenFixture) {
    refused("UPDATE audit SET new = 'at=2027-03-02T10:00' WHERE seq = 1");
    refused("UPDATE audit SET hash = 'x'");
    refused("DELETE FROM audit WHERE seq = 1");
    refused("DELETE FROM audit");
}

BOOST_FIXTURE_TEST_CASE(triggers_refuse_changing_patients_and_deleting_planned_events, WrittenFixture) {
    refused("UPDATE patient SET arm = 'IL2-4' WHERE id = 'P001'");
    refused("UPDATE patient SET day0 = '2027-03-02'");
    refused("DELETE FROM patient WHERE id = 'P001'");
    refused("DELETE FROM planned_event WHERE patient = 'P001'");
    refused("UPDATE planned_event SET date = '2027-03-05' WHERE event_id = 'IL2-D8'");
    BOOST_TEST(s.patient("P001").has_value());
}

BOOST_FIXTURE_TEST_CASE(triggers_refuse_changing_keys_lists_protocol_texts_and_amendments, WrittenFixture) {
    refused("UPDATE trial_key SET public_key = '" + std::string(44, 'M') + "'");
    refused("DELETE FROM trial_key");
    refused("UPDATE randomization SET sealed_arm = 'other' WHERE number = 'R001'");
    refused("DELETE FROM randomization WHERE number = 'R002'");
    refused("UPDATE protocol_file SET text = 'edited'");
    refused("DELETE FROM protocol_file WHERE sha256 = '" + sha_b + "'");
    refused("UPDATE amendment SET reason = 'other'");
    refused("DELETE FROM amendment");
    BOOST_TEST(s.verify_audit().intact(), listed(break_texts()));
}

BOOST_FIXTURE_TEST_CASE(a_refused_statement_rolls_back_the_whole_write, WrittenFixture) {
    const std::string before = dump();
    sqlite_refusal([&] {
        write([&] {
            s.insert_record(dose_record("P001", ymd(2027, 3, 3), "2027-03-03T09:00", "2027-03-03T08:00:00Z"));
            db.sql().exec("DELETE FROM record WHERE id = 1");
        });
    });
    BOOST_TEST(dump() == before);
    BOOST_TEST(count("SELECT count(*) FROM record") == 2);
    BOOST_TEST(rows_of("audit") == 6);
}

// ---------------------------------------------------------------- CHECK constraints

// Raw SQL that puts `value` in patient.day0 / record.date.
std::string patient_with_day0(const std::string& id, const std::string& value) {
    return "INSERT INTO patient (id, protocol, version, protocol_sha256, site, day0, tz, enrolled_at, enrolled_by, "
           "audit_seq) "
           "VALUES ('" + id + "', 'DF-IL2', '1', '" + sha_a + "', 'PSL', '" + value +
           "', 'Europe/Paris', '2027-03-01T08:00:00Z', 'nurse', 1)";
}
std::string visit_on(const std::string& value) {
    return "INSERT INTO record (patient, kind, event_id, date, recorded_at, recorded_by, audit_seq) "
           "VALUES ('P001', 'visit', 'V-D0', '" + value + "', '2027-03-10T12:00:00Z', 'nurse', 1)";
}

BOOST_FIXTURE_TEST_CASE(check_constraints_accept_real_dates, StoreFixture) {
    enroll(sample_patient());
    db.sql().exec(patient_with_day0("P002", "2028-02-29"));
    db.sql().exec(visit_on("2027-03-01"));
    BOOST_TEST(count("SELECT count(*) FROM patient") == 2);
    BOOST_TEST(count("SELECT count(*) FROM record") == 1);
}

// Text that is not a date at all: date() gives NULL there, and a CHECK that
// is NULL passes, so `date(x) = x` alone lets it in.
BOOST_FIXTURE_TEST_CASE(check_constraints_refuse_unparseable_dates, StoreFixture) {
    enroll(sample_patient());
    int n = 0;
    for (const std::string bad : {"2027-13-01", "1 March 2027", "2027-03-01T09:00", "tomorrow"}) {
        BOOST_TEST_CONTEXT(bad) {
            std::string msg = sqlite_refusal([&] { db.sql().exec(patient_with_day0("X" + std::to_string(++n), bad)); });
            BOOST_TEST(contains(msg, "CHECK"), msg);
            msg = sqlite_refusal([&] { db.sql().exec(visit_on(bad)); });
            BOOST_TEST(contains(msg, "CHECK"), msg);
        }
    }
    BOOST_TEST(count("SELECT count(*) FROM patient") == 1);
    BOOST_TEST(count("SELECT count(*) FROM record") == 0);
}

// A well-formed day that is not in the calendar: SQLite 3.40's date() returns
// '2027-02-30' unchanged, so `date(x) = x` lets it in too.
BOOST_FIXTURE_TEST_CASE(check_constraints_refuse_days_not_in_the_calendar, StoreFixture) {
    enroll(sample_patient());
    int n = 0;
    for (const std::string bad : {"2027-02-30", "2027-04-31", "2027-02-29"}) {
        BOOST_TEST_CONTEXT(bad) {
            std::string msg = sqlite_refusal([&] { db.sql().exec(patient_with_day0("X" + std::to_string(++n), bad)); });
            BOOST_TEST(contains(msg, "CHECK"), msg);
            msg = sqlite_refusal([&] { db.sql().exec(visit_on(bad)); });
            BOOST_TEST(contains(msg, "CHECK"), msg);
        }
    }
    BOOST_TEST(count("SELECT count(*) FROM patient") == 1);
    BOOST_TEST(count("SELECT count(*) FROM record") == 0);
}

BOOST_FIXTURE_TEST_CASE(check_constraints_refuse_a_window_without_its_date, StoreFixture) {
    enroll(sample_patient());
    Calendar c = hand_calendar();
    c.events[1].window.from = c.events[1].date + date::days{1};
    std::string msg = sqlite_refusal([&] { write([&] { s.insert_plan("P001", c); }); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    c = hand_calendar();
    c.events[2].window.to = c.events[2].date - date::days{1};
    msg = sqlite_refusal([&] { write([&] { s.insert_plan("P001", c); }); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    BOOST_TEST(count("SELECT count(*) FROM planned_event") == 0);
}

BOOST_FIXTURE_TEST_CASE(check_constraints_refuse_impossible_values, StoreFixture) {
    enroll(sample_patient());
    ts::Patient heavy = sample_patient("P002");
    heavy.weight_kg = 400;
    std::string msg = sqlite_refusal([&] { write([&] { s.insert_patient(heavy, "2027-03-01T08:00:00Z", "nurse"); }); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    ts::StoredRecord neg = dose_record("P001", ymd(2027, 3, 2), "2027-03-02T09:00", "2027-03-02T08:00:00Z");
    neg.amount = -1;
    msg = sqlite_refusal([&] { write([&] { s.insert_record(neg); }); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    ts::StoredRecord nobody = dose_record("P001", ymd(2027, 3, 2), "2027-03-02T09:00", "2027-03-02T08:00:00Z");
    nobody.recorded_by = "";
    msg = sqlite_refusal([&] { write([&] { s.insert_record(nobody); }); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    BOOST_TEST(count("SELECT count(*) FROM record") == 0);
    BOOST_TEST(count("SELECT count(*) FROM patient") == 1);
}

// A skip must say why (compliance.md: "skip: ... reason"). An empty reason is
// stored as NULL, and length(NULL) > 0 is NULL, which a CHECK lets through.
BOOST_FIXTURE_TEST_CASE(check_constraints_refuse_a_skip_without_reason, StoreFixture) {
    enroll(sample_patient());
    std::string msg;
    ts::StoredRecord skip;
    skip.patient = "P001";
    skip.kind = ts::RecordKind::skip;
    skip.event = "IL2-D1";
    skip.recorded_at = "2027-03-10T12:00:00Z";
    skip.recorded_by = "nurse";  // no reason
    msg = sqlite_refusal([&] { write([&] { s.insert_record(skip); }); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    msg = sqlite_refusal([&] {
        db.sql().exec("INSERT INTO record (patient, kind, event_id, reason, recorded_at, recorded_by, audit_seq) "
                      "VALUES ('P001', 'skip', 'IL2-D1', NULL, '2027-03-10T12:00:00Z', 'nurse', 1)");
    });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    BOOST_TEST(count("SELECT count(*) FROM record") == 0);
}

BOOST_FIXTURE_TEST_CASE(translate_turns_a_constraint_into_refused, StoreFixture) {
    const std::string msg = store_error(
        [&] {
            ts::sqlite::translate("enroll P001", [&] {
                ts::Patient heavy = sample_patient();
                heavy.weight_kg = 351;
                s.save_protocol_file(sha_a, "DF-IL2", "1", "df-il2.toml", "x");
                s.insert_patient(heavy, "2027-03-01T08:00:00Z", "nurse");
            });
        },
        Errc::refused);
    BOOST_TEST(contains(msg, "enroll P001"), msg);
}

// ---------------------------------------------------------------- randomisation

BOOST_FIXTURE_TEST_CASE(randomization_list_insert_and_lookup, StoreFixture) {
    std::int64_t key = 0;
    write([&] { key = s.install_key(unblinding_key()); }, "install key");
    BOOST_TEST(key == 1);
    write([&] {
        s.insert_randomization(slot("R002", 2, key));
        s.insert_randomization(slot("R001", 1, key));
        s.insert_randomization(slot("R003", 3, key));
    });
    const auto r1 = s.randomization("DF-IL2", "R001");
    BOOST_TEST_REQUIRE(r1.has_value());
    BOOST_TEST(r1->protocol == "DF-IL2");
    BOOST_TEST(r1->number == "R001");
    BOOST_TEST(!r1->site.has_value());
    BOOST_TEST(r1->ord == 1);
    BOOST_TEST(r1->sealed_arm == "sealed-box-of-R001");
    BOOST_TEST(r1->key == key);
    BOOST_TEST(!r1->patient.has_value());
    BOOST_TEST(!s.randomization("DF-IL2", "R009").has_value());
    BOOST_TEST(!s.randomization("TRANSREG", "R001").has_value());
    BOOST_TEST(s.randomization_list("DF-IL2").numbers == 3);
    BOOST_TEST(!s.randomization_list("DF-IL2").by_site);
    BOOST_TEST(s.randomization_list("TRANSREG").numbers == 0);
    // The lowest unused number comes next, by `ord`, not by insertion.
    BOOST_TEST(s.next_randomization("DF-IL2", std::nullopt).value_or(ts::RandomizationSlot{}).number == "R001");

    // A number is in a protocol's list once.
    const std::string msg = sqlite_refusal([&] { write([&] { s.insert_randomization(slot("R001", 9, key)); }); });
    BOOST_TEST(contains(msg, "UNIQUE"), msg);
    BOOST_TEST(s.randomization("DF-IL2", "R001")->sealed_arm == "sealed-box-of-R001");

    // And is given to one patient, whose arm stays sealed.
    ts::Patient p = sample_patient("P001");
    p.randomization_number = "R001";
    p.arm = std::nullopt;
    p.sealed_arm = "sealed-box-of-R001";
    p.key = key;
    enroll(p);
    BOOST_TEST(s.randomization("DF-IL2", "R001")->patient.value_or("") == "P001");
    BOOST_TEST(s.next_randomization("DF-IL2", std::nullopt).value_or(ts::RandomizationSlot{}).number == "R002");
    const auto got = s.patient("P001");
    BOOST_TEST_REQUIRE(got.has_value());
    BOOST_TEST(!got->arm.has_value());
    BOOST_TEST(got->sealed_arm.value_or("") == "sealed-box-of-R001");
    BOOST_TEST(got->key.value_or(0) == key);
    ts::Patient q = sample_patient("P002");
    q.randomization_number = "R001";
    const std::string msg2 = sqlite_refusal([&] { write([&] { s.insert_patient(q, "2027-03-01T08:00:00Z", "nurse"); }); });
    BOOST_TEST(contains(msg2, "UNIQUE"), msg2);
    BOOST_TEST(!s.patient("P002").has_value());
    BOOST_TEST(s.verify_audit().intact(), listed(break_texts()));
}

BOOST_FIXTURE_TEST_CASE(a_plain_arm_beside_a_sealed_one_is_refused, StoreFixture) {
    std::int64_t key = 0;
    write([&] { key = s.install_key(unblinding_key()); }, "install key");
    ts::Patient both = sample_patient();
    both.sealed_arm = "sealed-box";
    both.key = key;
    const std::string msg = sqlite_refusal([&] { enroll(both); });
    BOOST_TEST(contains(msg, "CHECK"), msg);
    BOOST_TEST(!s.patient("P001").has_value());
}

// A refused insert must leave its statement usable: SqliteStore::statement()
// calls SQLite::Statement::reset(), which rethrows the error of the
// statement's last step (sqlite3_reset returns it), so the next, valid insert
// through the same statement fails with the old refusal.
BOOST_FIXTURE_TEST_CASE(a_refused_insert_leaves_the_next_one_working, StoreFixture,
                        *boost::unit_test::expected_failures(1)) {
    enroll(sample_patient());
    ts::StoredRecord neg = first_dose();
    neg.amount = -1;
    BOOST_TEST(contains(sqlite_refusal([&] { write([&] { s.insert_record(neg); }, "dose", "P001"); }), "CHECK"));
    try {
        write([&] { s.insert_record(first_dose()); }, "dose", "P001");
    } catch (const std::exception& e) {
        BOOST_ERROR("a valid record after a refused one: " << e.what());
    }
}

// A list by site: each site's block is given in its own order.
BOOST_FIXTURE_TEST_CASE(a_list_by_site_gives_each_sites_lowest_unused_number, StoreFixture) {
    std::int64_t key = 0;
    write([&] { key = s.install_key(unblinding_key()); }, "install key");
    write([&] {
        s.insert_randomization(slot("PSL-1", 1, key, "PSL"));
        s.insert_randomization(slot("PSL-2", 2, key, "PSL"));
        s.insert_randomization(slot("LYO-1", 1, key, "LYO"));
    });
    BOOST_TEST(s.randomization_list("DF-IL2").numbers == 3);
    BOOST_TEST(s.randomization_list("DF-IL2").by_site);
    BOOST_TEST(s.next_randomization("DF-IL2", std::string("PSL")).value_or(ts::RandomizationSlot{}).number == "PSL-1");
    BOOST_TEST(s.next_randomization("DF-IL2", std::string("LYO")).value_or(ts::RandomizationSlot{}).number == "LYO-1");
    BOOST_TEST(!s.next_randomization("DF-IL2", std::string("NICE")).has_value());
    BOOST_TEST(!s.next_randomization("DF-IL2", std::nullopt).has_value());
    ts::Patient p = sample_patient();
    p.randomization_number = "LYO-1";
    enroll(p);
    BOOST_TEST(!s.next_randomization("DF-IL2", std::string("LYO")).has_value());
    BOOST_TEST(s.next_randomization("DF-IL2", std::string("PSL")).value_or(ts::RandomizationSlot{}).number == "PSL-1");
}

BOOST_FIXTURE_TEST_CASE(keys_install_in_order_and_the_newest_of_a_kind_is_current, StoreFixture) {
    BOOST_TEST(!s.current_key("unblinding").has_value());
    std::int64_t first = 0, second = 0, signer = 0;
    write([&] { first = s.install_key(unblinding_key()); }, "install key");
    ts::InstalledKey next = unblinding_key();
    next.public_key = std::string(43, 'L') + "=";
    ts::InstalledKey sign = unblinding_key();
    sign.kind = "signing";
    sign.name = "Dr A. Martin";
    write([&] {
        second = s.install_key(next);
        signer = s.install_key(sign);
    }, "install key");
    BOOST_TEST(first == 1);
    BOOST_TEST(second == 2);
    BOOST_TEST(signer == 3);
    const auto current = s.current_key("unblinding");
    BOOST_TEST_REQUIRE(current.has_value());
    BOOST_TEST(current->id == 2);
    BOOST_TEST(current->public_key == next.public_key);
    BOOST_TEST(s.current_key("signing").value_or(ts::InstalledKey{}).name == "Dr A. Martin");
    const auto old = s.installed_key(1);
    BOOST_TEST_REQUIRE(old.has_value());
    BOOST_TEST(old->kind == "unblinding");
    BOOST_TEST(old->public_key == unblinding_key().public_key);
    BOOST_TEST(old->fingerprint == "0123456789abcdef");
    BOOST_TEST(old->installed_at == "2027-02-01T08:00:00Z");
    BOOST_TEST(old->installed_by == "pharmacist");
    BOOST_TEST(!s.installed_key(4).has_value());
    // A key of the wrong length or kind is refused.
    ts::InstalledKey bad = unblinding_key();
    bad.public_key = "short";
    BOOST_TEST(contains(sqlite_refusal([&] { write([&] { (void)s.install_key(bad); }); }), "CHECK"));
    bad = unblinding_key();
    bad.kind = "master";
    BOOST_TEST(contains(sqlite_refusal([&] { write([&] { (void)s.install_key(bad); }); }), "CHECK"));
    BOOST_TEST(rows_of("trial_key") == 3);
}

// ---------------------------------------------------------------- dates as stored

BOOST_AUTO_TEST_CASE(stored_dates_are_iso_text_both_ways) {
    for (const auto& [d, text] : std::vector<std::pair<date::sys_days, std::string>>{
             {ymd(2028, 2, 29), "2028-02-29"}, {ymd(2027, 12, 31), "2027-12-31"}, {ymd(2027, 1, 1), "2027-01-01"},
             {ymd(999, 3, 7), "0999-03-07"},   {ymd(9999, 12, 31), "9999-12-31"}}) {
        BOOST_TEST(ts::IsoDateText(d).view() == text);
        BOOST_TEST(std::string(ts::IsoDateText(d).c_str()) == text);
        BOOST_TEST(ts::iso(d) == text);
        BOOST_TEST((ts::from_iso(text) == d), text);
    }
}

// ---------------------------------------------------------------- opening files

BOOST_AUTO_TEST_CASE(open_refuses_a_file_that_is_not_a_database) {
    ScratchDir dir;
    const fs::path path = dir / "notes.db";
    std::string garbage;
    for (int i = 0; i < 400; ++i) garbage += "this is not an SQLite database, just some notes\n";
    std::ofstream(path, std::ios::binary) << garbage;
    for (Mode mode : {Mode::read, Mode::write}) {
        const std::string msg = store_error([&] { (void)Database::open(path, mode); }, Errc::not_trialcal);
        BOOST_TEST(contains(msg, path.string()), msg);
    }
    BOOST_TEST(slurp(path) == garbage);  // and it is left alone
}

BOOST_AUTO_TEST_CASE(open_refuses_another_programs_sqlite_database) {
    ScratchDir dir;
    const fs::path path = dir / "other.db";
    {
        SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        other.exec("CREATE TABLE t (x INTEGER)");
        other.exec("PRAGMA application_id = 1234");
    }
    for (Mode mode : {Mode::read, Mode::write}) {
        const std::string msg = store_error([&] { (void)Database::open(path, mode); }, Errc::not_trialcal);
        BOOST_TEST(contains(msg, path.string()), msg);
    }
    SQLite::Database other(path.string(), SQLite::OPEN_READONLY);
    BOOST_TEST(other.execAndGet("SELECT count(*) FROM sqlite_schema").getInt() == 1);
}

BOOST_AUTO_TEST_CASE(open_refuses_a_database_from_a_newer_trialcal) {
    ScratchDir dir;
    const fs::path path = dir / "newer.db";
    {
        SQLite::Database newer(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        newer.exec("CREATE TABLE patient (id TEXT)");
        newer.exec("PRAGMA application_id = 1413693772");  // 0x5443414C
        newer.exec("PRAGMA user_version = 99");
    }
    for (Mode mode : {Mode::read, Mode::write}) {
        const std::string msg = store_error([&] { (void)Database::open(path, mode); }, Errc::newer_schema);
        BOOST_TEST(contains(msg, "99"), msg);
    }
    SQLite::Database newer(path.string(), SQLite::OPEN_READONLY);
    BOOST_TEST(newer.execAndGet("PRAGMA user_version").getInt() == 99);
}

BOOST_AUTO_TEST_CASE(read_mode_on_a_missing_file_does_not_create_it) {
    ScratchDir dir;
    const fs::path path = dir / "missing.db";
    const std::string msg = store_error([&] { (void)Database::open(path, Mode::read); }, Errc::no_database);
    BOOST_TEST(contains(msg, path.string()), msg);
    BOOST_TEST(!fs::exists(path));
    BOOST_TEST(fs::is_empty(dir.path()));
}

BOOST_AUTO_TEST_CASE(write_mode_creates_a_file_that_read_mode_then_opens) {
    ScratchDir dir;
    const fs::path path = dir / "t.db";
    enroll_into(path);
    BOOST_TEST(fs::exists(path));
    auto db = Database::open(path, Mode::read);
    BOOST_TEST(db.sql().execAndGet("PRAGMA application_id").getInt() == ts::sqlite::application_id);
    BOOST_TEST(db.sql().execAndGet("PRAGMA user_version").getInt() == ts::sqlite::schema_version);
    BOOST_TEST(db.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
    Store s(db, "tester");
    BOOST_TEST(s.patient("P001").has_value());
    // A second write-mode open leaves the schema as it is.
    auto again = Database::open(path, Mode::write);
    BOOST_TEST(Store(again, "tester").patients().size() == 1u);
    // Read mode cannot write.
    const std::string msg = sqlite_refusal([&] { db.sql().exec("INSERT INTO randomization VALUES ('X', '1', NULL, 1, 'A', 1, 1)"); });
    BOOST_TEST(contains(msg, "readonly"), msg);
}

// A writer killed mid-commit leaves a hot journal beside the file; the next
// reader must roll it back, not fail with "readonly" (a CI run saw that after
// a kill in import's commit). The pair is copied while a transaction that has
// spilled pages to the file is still open: the copy is exactly that crash.
BOOST_AUTO_TEST_CASE(read_mode_rolls_back_the_hot_journal_of_a_killed_writer) {
    ScratchDir dir;
    const fs::path path = dir / "t.db";
    enroll_into(path);
    const std::string before = slurp(path);
    const fs::path crashed = dir / "crashed.db";
    {
        SQLite::Database writer(path.string(), SQLite::OPEN_READWRITE);
        writer.exec("PRAGMA journal_mode = DELETE");
        writer.exec("PRAGMA cache_size = 1");  // spill dirty pages to the file before commit
        writer.exec("BEGIN IMMEDIATE");
        writer.exec("CREATE TABLE filler (x BLOB)");
        for (int i = 0; i < 64; ++i) writer.exec("INSERT INTO filler VALUES (zeroblob(4000))");
        BOOST_TEST_REQUIRE(fs::exists(path.string() + "-journal"));
        BOOST_TEST_REQUIRE(slurp(path) != before);  // the file holds uncommitted pages
        fs::copy_file(path, crashed);
        fs::copy_file(path.string() + "-journal", crashed.string() + "-journal");
    }
    {
        auto db = Database::open(crashed, Mode::read);
        BOOST_TEST(Store(db, "tester").patients().size() == 1u);
        BOOST_TEST(db.sql().execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'filler'").getInt() == 0);
        // Still read-only after the rollback.
        const std::string msg = sqlite_refusal([&] { db.sql().exec("INSERT INTO randomization VALUES ('X', '1', NULL, 1, 'A', 1, 1)"); });
        BOOST_TEST(contains(msg, "readonly"), msg);
    }
    BOOST_TEST(!fs::exists(crashed.string() + "-journal"));
    BOOST_TEST(slurp(crashed) == before);
}

BOOST_AUTO_TEST_CASE(read_mode_refuses_an_empty_file) {
    ScratchDir dir;
    const fs::path path = dir / "empty.db";
    std::ofstream(path, std::ios::binary).flush();
    BOOST_TEST_REQUIRE(fs::exists(path));
    store_error([&] { (void)Database::open(path, Mode::read); }, Errc::not_trialcal);
}

BOOST_AUTO_TEST_SUITE_END()
