// Reads pinned to the audit row they started at (Database::pin): a read
// store sees the trail as it stood when opened, whatever is written after,
// and holds its read lock only briefly (a statement, or a batch of about
// 20 ms while it walks the patients), so a writer in another connection
// commits while a long read is under way (issue 14).
#include "tests/store/fixture.hpp"
#include <atomic>
#include <chrono>
#include <thread>

namespace store_test {
namespace {

// Two connections to one file, as two trialcal processes have: a writer
// and, opened when the test says, a reader.
struct TwoConnections {
    ScratchDir dir;
    fs::path file = dir / "trial.db";
    Database db = Database::open(file, Mode::write);
    Store w{db, "coordinator"};
    int minutes = 0;

    void write(const std::function<void()>& body, const std::string& action, const std::string& patient = "") {
        w.write([&] {
            body();
            ++minutes;
            w.append_audit({"nurse", action, patient, "", "", "", "", "", ""},
                           fmt::format("2027-03-10T{:02}:{:02}:00Z", 8 + minutes / 60, minutes % 60));
        });
    }
    void enroll(const std::string& id) {
        write(
            [&] {
                ts::Patient p = sample_patient(id);
                s_sha(p);
                w.insert_patient(p, "2027-03-01T08:00:00Z", "nurse");
                w.insert_plan(id, hand_calendar());
            },
            "enroll", id);
    }
    // The protocol text, once.
    void s_sha(const ts::Patient& p) {
        if (!saved) w.save_protocol_file(p.protocol_sha256, p.protocol, p.version, "df-il2.toml", "[protocol]\n");
        saved = true;
    }
    bool saved = false;
    [[nodiscard]] std::unique_ptr<ts::Store> reader() const { return ts::sqlite::open(file, Mode::read, "monitor"); }
};

std::vector<std::string> ids(ts::Store& s) {
    std::vector<std::string> out;
    s.for_each_patient([&](const ts::Patient& p) { out.push_back(p.id); });
    return out;
}

std::vector<std::string> event_dates(const Calendar& c) {
    std::vector<std::string> out;
    for (const Event& e : c.events) out.push_back(e.id + "@" + ts::iso(e.date));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(snapshot)

BOOST_AUTO_TEST_CASE(a_read_store_sees_the_trail_as_it_stood_when_it_was_opened) {
    TwoConnections t;
    t.write([&] { (void)t.w.install_key(unblinding_key()); }, "install key");
    t.enroll("P001");
    std::int64_t first = 0;
    t.write([&] { first = t.w.insert_record(first_dose()); }, "dose", "P001");
    const auto r = t.reader();
    const ts::Head pinned = r->audit_head();
    BOOST_TEST(pinned.seq == 3);

    // Everything a trial writes next, through the other connection.
    t.enroll("P002");
    t.write([&] { (void)t.w.insert_record(dose_record("P001", ymd(2027, 3, 3), "2027-03-03T09:00", "2027-03-03T08:00:00Z")); },
            "dose", "P001");
    t.write([&] { t.w.insert_void(first, "typo", "2027-03-10T12:00:00Z", "nurse"); }, "void", "P001");
    t.write(
        [&] {
            Event moved = hand_calendar().events[1];
            moved.date = moved.window.from = moved.window.to = ymd(2027, 3, 4);
            t.w.move_event("P001", moved);
        },
        "shift", "P001");
    t.write(
        [&] {
            t.w.save_protocol_file(sha_b, "DF-IL2", "2", "df-il2-v2.toml", "[protocol v2]\n");
            t.w.amend_plan("P001", ymd(2027, 3, 1), amended_calendar(), sha_b, "2027-03-10T12:00:00Z", "dr", "amendment 2");
        },
        "amend", "P001");
    t.write([&] { (void)t.w.install_key({0, "signing", std::string(43, 'S') + "=", "fedcba9876543210", "Dr A. Martin",
                                         "2027-03-10T12:00:00Z", "dr"}); },
            "install key");

    // The reader still sees seq 3: one patient, one live dose, the plan as enrolled.
    BOOST_TEST(r->audit_head().text() == pinned.text());
    BOOST_TEST(r->audit_rows(std::nullopt).size() == 3u);
    BOOST_TEST(ids(*r) == std::vector<std::string>{"P001"});
    BOOST_TEST(!r->patient("P002").has_value());
    const auto p = r->patient("P001");
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->version == "1");
    BOOST_TEST(p->protocol_sha256 == sha_a);
    const auto recs = r->records("P001");
    BOOST_TEST_REQUIRE(recs.size() == 1u);
    BOOST_TEST(!recs[0].voided);
    BOOST_TEST(r->live_records("P001").doses.size() == 1u);
    BOOST_TEST(event_dates(r->plan(*p)) == event_dates(hand_calendar()), boost::test_tools::per_element());
    BOOST_TEST(event_dates(r->plan_for_judging(*p)) == event_dates(hand_calendar()), boost::test_tools::per_element());
    BOOST_TEST(r->replaced_events(*p).empty());
    BOOST_TEST(!r->current_key("signing").has_value());
    BOOST_TEST(!r->audit_row(4).has_value());

    // A reader opened now sees all of it.
    const auto now = t.reader();
    BOOST_TEST(now->audit_head().seq == 9);
    BOOST_TEST((ids(*now) == std::vector<std::string>{"P001", "P002"}));
    const auto p_now = now->patient("P001");
    BOOST_TEST(p_now->version == "2");
    const auto recs_now = now->records("P001");
    BOOST_TEST_REQUIRE(recs_now.size() == 2u);
    BOOST_TEST(recs_now[0].voided);
    BOOST_TEST(now->live_records("P001").doses.size() == 1u);
    BOOST_TEST(now->live_records("P001").doses[0].record == recs_now[1].id);
    BOOST_TEST(event_dates(now->plan(*p_now)) != event_dates(hand_calendar()));
    BOOST_TEST(now->current_key("signing").has_value());
}

// With the rollback journal, a read transaction holds the read lock and a
// writer's commit waits for it. The walk reads in batches of about 20 ms:
// here each patient takes 120 ms, so each batch ends after one patient, and a
// writer in another thread, told to wait 0.2 s at most, commits during the
// walk; a read that held its lock across the walk would fail the writes.
BOOST_AUTO_TEST_CASE(a_writer_commits_while_a_reader_walks_the_patients) {
    TwoConnections t;
    for (const char* id : {"P001", "P002", "P003"}) t.enroll(id);
    t.db.sql().setBusyTimeout(200);
    const auto r = t.reader();
    std::vector<std::string> seen;
    std::atomic<int> written = 0;
    std::atomic<bool> walking = false;
    std::string failure;
    std::thread writer([&] {
        while (!walking) std::this_thread::yield();
        try {
            for (const char* id : {"P001", "P002", "P003"}) {
                t.write([&] { (void)t.w.insert_record(first_dose(id)); }, "dose", id);
                ++written;
            }
        } catch (const std::exception& e) {
            failure = e.what();  // read once the thread is joined
        }
    });
    try {
        r->for_each_patient([&](const ts::Patient& p) {
            seen.push_back(p.id);
            (void)r->plan_for_judging(p);
            walking = true;
            std::this_thread::sleep_for(std::chrono::milliseconds(120));
            // The reader never sees what was written after it was opened.
            BOOST_TEST(r->live_records(p.id).doses.empty());
            (void)r->patient(p.id);
        });
    } catch (...) {
        writer.join();
        throw;
    }
    writer.join();
    BOOST_TEST((seen == std::vector<std::string>{"P001", "P002", "P003"}));
    BOOST_TEST(failure == "");
    BOOST_TEST(written == 3);
    BOOST_TEST(t.reader()->live_records("P003").doses.size() == 1u);
}

BOOST_AUTO_TEST_CASE(single_row_reads_leave_no_read_lock_behind) {
    TwoConnections t;
    t.write([&] { (void)t.w.install_key(unblinding_key()); }, "install key");
    t.enroll("P001");
    t.db.sql().setBusyTimeout(200);
    const auto r = t.reader();
    // Each read returns on its row; the next write must not wait for it.
    BOOST_TEST(r->patient("P001").has_value());
    t.write([&] { (void)t.w.insert_record(first_dose()); }, "dose", "P001");
    BOOST_TEST(r->current_key("unblinding").has_value());
    t.write([&] { (void)t.w.insert_record(dose_record("P001", ymd(2027, 3, 3), "2027-03-03T09:00", "2027-03-03T08:00:00Z")); },
            "dose", "P001");
    BOOST_TEST(r->protocol_text(sha_a) == "[protocol]\n");
    BOOST_TEST(r->record(1).has_value() == false);  // written after the reader was opened
    t.write([&] { t.w.insert_void(1, "typo", "2027-03-10T12:00:00Z", "nurse"); }, "void", "P001");
    BOOST_TEST(r->audit_row(2).has_value());
    t.write([&] { (void)t.w.insert_record(first_dose()); }, "dose", "P001");
    BOOST_TEST(t.reader()->audit_head().seq == 6);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace store_test
