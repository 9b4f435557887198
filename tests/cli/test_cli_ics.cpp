// End-to-end: iCalendar feeds read back by ical.js, an independent parser:
// event counts and dates, UIDs stable across exports, SEQUENCE after a
// shift, cancellations, and text with commas and non-ASCII round-tripping.
#include "tests/support/clinic.hpp"
#include "tests/support/network.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <map>
#include <set>

using namespace trialcal::test;

namespace {

struct Feed : Clinic {
    Feed() {
        now = "2027-03-10T12:00:00Z";
        // Open every day: these tests are about the feed, not placement.
        ok({"site", "add", "LSHD", "--name", "Lyon-Sud-Hôtel-Dieu", "--tz", "Europe/Paris", "--closed", "none"});
        ok({"site", "add", "PSL", "--name", "Hôpital Pitié-Salpêtrière, Paris", "--tz", "Europe/Paris", "--closed",
            "none"});
        ok({"enroll", "P001", "--protocol", "DF-IL2", "--site", "LSHD", "--day0", "2027-03-01", "--arm",
            "IL2-2"});
    }
    // The export, as ical.js reads it.
    Json read(const std::vector<std::string>& args, const std::string& at = "") const {
        BOOST_TEST_REQUIRE(fs::exists(TRIALCAL_ICALJS), "tools/test installs ical.js");
        const std::string ics = at.empty() ? ok(args) : ok_at(at, args);
        const auto file = dir.write("feed.ics", ics);
        const std::string cmd = "node " + sh_quote(fs::path(TRIALCAL_SOURCE_DIR) / "tests/ics/read_ics.mjs") + " " +
                                sh_quote(TRIALCAL_ICALJS) + " " + sh_quote(file.string());
        const RunResult r = run_shell(cmd);
        BOOST_TEST_REQUIRE(r.code == 0, "ical.js could not read the feed: " << r.out);
        return parse_json(r.out);
    }
    static const Json& event(const Json& feed, const std::string& uid) {
        for (const auto& e : feed.at("events").items())
            if (e.at("uid").str() == uid) return e;
        BOOST_FAIL("no event " << uid);
        throw;
    }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_ics)

BOOST_FIXTURE_TEST_CASE(a_patient_feed_has_every_event_all_day, Feed) {
    const Json f = read({"calendar", "P001", "--format", "ics"});
    BOOST_TEST(f.at("version").str() == "2.0");
    BOOST_TEST(f.at("prodid").str() == "-//trialcal//trialcal calendar//EN");
    BOOST_TEST(f.at("events").size() == 15u);
    const Json& d15 = event(f, "DF-IL2-P001-V-D15@trialcal");
    BOOST_TEST(d15.at("start").str() == "2027-03-16");
    BOOST_TEST(d15.at("end").str() == "2027-03-17");
    BOOST_TEST(d15.at("all_day").boolean());
    BOOST_TEST(d15.at("status").str() == "CONFIRMED");
    BOOST_TEST(d15.at("sequence").integer() == 0);
    BOOST_TEST(d15.at("summary").str() == "DF-IL2 · visit D15 · D15");
    BOOST_TEST(d15.at("description").str() ==
               "On time from 2027-03-15 to 2027-03-17\nProcedures: T-cell immunophenotyping, transcriptomics sample, "
               "tolerance check\nEvent V-D15");
    const Json& dose = event(f, "DF-IL2-P001-IL2-D3@trialcal");
    BOOST_TEST(dose.at("summary").str() == "DF-IL2 · aldesleukin or placebo SC · D3");
    BOOST_TEST(dose.at("start").str() == "2027-03-04");
}

BOOST_FIXTURE_TEST_CASE(commas_and_non_ascii_round_trip, Feed) {
    const Json f = read({"calendar", "P001", "--format", "ics"});
    // A comma in the visit name, "·" in every summary, "ô" in the site.
    BOOST_TEST(event(f, "DF-IL2-P001-V-D6@trialcal").at("summary").str() == "DF-IL2 · visit D6 · D6, end of treatment phase");
    BOOST_TEST(event(f, "DF-IL2-P001-V-D6@trialcal").at("location").str() == "Lyon-Sud-Hôtel-Dieu (LSHD)");
}

BOOST_FIXTURE_TEST_CASE(the_file_is_exact_to_the_rfc, Feed) {
    const std::string ics = ok({"calendar", "P001", "--format", "ics"});
    BOOST_TEST(ics.rfind("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 0) == 0u);
    BOOST_TEST(ics.substr(ics.size() - 15) == "END:VCALENDAR\r\n");
    std::size_t start = 0, lines = 0;
    while (start < ics.size()) {
        const std::size_t end = ics.find("\r\n", start);
        BOOST_TEST_REQUIRE(end != std::string::npos);
        BOOST_TEST(end - start <= 75u, "line of " << end - start << " octets: " << ics.substr(start, end - start));
        BOOST_TEST(ics.substr(start, end - start).find('\n') == std::string::npos);
        start = end + 2;
        ++lines;
    }
    BOOST_TEST(lines > 200u);
    BOOST_TEST(contains(ics, "DTSTAMP:20270310T120000Z\r\n"));
    BOOST_TEST(contains(ics, "\r\n "));  // long descriptions are folded
}

BOOST_FIXTURE_TEST_CASE(uids_are_stable_and_a_shift_raises_the_sequence, Feed) {
    const Json before = read({"calendar", "P001", "--format", "ics"});
    ok({"shift", "P001", "V-D15", "--days", "2", "--reason", "back late from holiday"});
    const Json after = read({"calendar", "P001", "--format", "ics"}, "2027-03-11T08:00:00Z");
    std::set<std::string> a, b;
    for (const auto& e : before.at("events").items()) a.insert(e.at("uid").str());
    for (const auto& e : after.at("events").items()) b.insert(e.at("uid").str());
    BOOST_TEST((a == b));  // the same events: a client updates them in place
    BOOST_TEST(event(after, "DF-IL2-P001-V-D15@trialcal").at("start").str() == "2027-03-18");
    BOOST_TEST(event(after, "DF-IL2-P001-V-D15@trialcal").at("sequence").integer() == 1);
    BOOST_TEST(event(after, "DF-IL2-P001-V-D60@trialcal").at("sequence").integer() == 1);
    BOOST_TEST(event(after, "DF-IL2-P001-V-D6@trialcal").at("sequence").integer() == 0);  // before the shift
    BOOST_TEST(event(after, "DF-IL2-P001-V-D15@trialcal").at("stamp").str() == "2027-03-11T08:00:00Z");
}

BOOST_FIXTURE_TEST_CASE(skipped_and_amended_events_are_cancelled, Feed) {
    ok({"skip", "P001", "IL2-D5", "--reason", "adverse event"});
    const Json f = read({"calendar", "P001", "--format", "ics"});
    const Json& skipped = event(f, "DF-IL2-P001-IL2-D5@trialcal");
    BOOST_TEST(skipped.at("status").str() == "CANCELLED");
    BOOST_TEST(skipped.at("sequence").integer() == 1);
    BOOST_TEST(skipped.at("description").str().rfind("Cancelled: skipped (adverse event)", 0) == 0u);

    ok({"enroll", "N1", "--protocol", "NCT05153070@1", "--site", "PSL", "--day0", "2027-03-01", "--arm", "placebo",
        "--weight", "60"});
    ok({"reconsent", "N1", "--version", "2", "--on", "2027-03-10", "--reason", "amendment 2"});
    const Json n = read({"calendar", "N1", "--format", "ics"});
    // v1 once a day after D9 is gone (51 days), v2 twice a day comes instead (102).
    std::map<std::string, int> status;
    for (const auto& e : n.at("events").items()) ++status[e.at("status").str()];
    BOOST_TEST(status["CANCELLED"] == 51);
    BOOST_TEST(status["CONFIRMED"] == 9 + 9 + 102 + 46);
    BOOST_TEST(event(n, "NCT05153070-N1-CSA-D30@trialcal").at("status").str() == "CANCELLED");
    BOOST_TEST(event(n, "NCT05153070-N1-CSA-D30-AM@trialcal").at("status").str() == "CONFIRMED");
    const std::string raw = ok({"calendar", "N1", "--format", "ics"});
    BOOST_TEST(!contains(raw, "Give: placebo"));  // blinded labels only ("Give: ILT-101 or placebo 1 ml")
    BOOST_TEST(contains(raw, "Give: ILT-101 or placebo 1 ml SC"));
}

BOOST_FIXTURE_TEST_CASE(a_site_feed_names_each_patient_and_filters_by_date, Feed) {
    ok({"enroll", "P002", "--protocol", "DF-IL2", "--site", "LSHD", "--day0", "2027-03-02", "--arm",
        "IL2-4"});
    ok({"enroll", "Q001", "--protocol", "TRANSREG", "--site", "PSL", "--day0", "2027-03-01", "--cohort", "RA"});
    const Json all = read({"export", "ics", "--site", "LSHD"});
    BOOST_TEST(all.at("events").size() == 30u);
    BOOST_TEST(all.at("name").str() == "trialcal · site LSHD");
    BOOST_TEST(event(all, "DF-IL2-P002-V-D0@trialcal").at("summary").str() == "P002 · DF-IL2 · visit D0 · Inclusion");
    // 2027-03-02 and 03-03: P001 D1, D2 (visit and dose each), P002 D0, D1 (visit; dose on D1).
    const Json two = read({"export", "ics", "--site", "LSHD", "--from", "2027-03-02", "--days", "2"});
    BOOST_TEST(two.at("events").size() == 7u);
    // The same UIDs as the patient's own feed: one event in any calendar.
    BOOST_TEST(event(two, "DF-IL2-P001-IL2-D1@trialcal").at("start").str() == "2027-03-02");
    // Blinded: nothing tells the arms apart.
    const std::string raw = ok({"export", "ics", "--site", "LSHD"});
    for (const std::string tell : {"IL2-2", "IL2-4", "Give: placebo", "· placebo", "MIU"}) BOOST_TEST(!contains(raw, tell), tell);
    refused(65, "'Nowhere'", {"export", "ics", "--site", "Nowhere"});
    refused(2, "--from", {"export", "ics", "--site", "PSL", "--days", "3"});
}

BOOST_FIXTURE_TEST_CASE(a_preview_feed_reads_too, Feed) {
    const Json f = read({"calendar", "--protocol", "MS-IL2", "--day0", "2027-03-01", "--format", "ics"});
    BOOST_TEST(f.at("events").size() == 22u);
    BOOST_TEST(event(f, "MS-IL2-preview-20270301-blinded-IL2-D183@trialcal").at("start").str() == "2027-08-31");
}

// A site's feed is written a patient at a time; every byte must stay what
// the feed assembled whole printed, a skipped dose's cancellation and a
// date filter included.
BOOST_FIXTURE_TEST_CASE(a_streamed_site_feed_is_byte_for_byte_the_one_built_whole, TwoSiteNetwork) {
    BOOST_TEST(ok({"export", "ics", "--site", "PSL"}) == expected_output("ics_psl.ics"));
    BOOST_TEST(ok({"export", "ics", "--site", "LYON", "--from", "2027-03-10", "--days", "20"}) ==
               expected_output("ics_lyon.ics"));
}

BOOST_AUTO_TEST_SUITE_END()
