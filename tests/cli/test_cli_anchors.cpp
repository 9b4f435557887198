// End-to-end: anchors followed (course.md, Anchors). In NCT05153070 v2 the
// daily course D64-D67 and the D67 visit count from the first injection
// ILT101-D63, the weekly injections from the fifth, ILT101-D67. Recording
// the first injection k days late moves every one of them by exactly k
// days (windows too), one audited "re-project" row, SEQUENCE up by one in
// the feed; voiding the record moves them back; a later dose is judged
// against the re-projected date; an event shifted by hand keeps its shift on
// top of the re-projection.
#include "tests/support/clinic.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <date/date.h>

#include <stdexcept>
#include <string>
#include <vector>

using namespace trialcal::test;
namespace bdata = boost::unit_test::data;

namespace {

// N1 enrolled on 1 March 2027 (a Monday) at a site closed on no day, so that
// every date below is the protocol's own: D63 = 3 May 2027.
struct Nct : Clinic {
    Nct() {
        now = "2027-05-20T12:00:00Z";
        ok({"enroll", "N1", "--protocol", "NCT05153070@2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
            "--weight", "60"});
    }
    [[nodiscard]] Json calendar() const { return parse_json(ok({"calendar", "N1", "--format", "json"})); }
};

const Json& event_of(const Json& calendar, const std::string& id) {
    for (const Json& e : calendar.at("events").items())
        if (e.at("id").str() == id) return e;
    BOOST_FAIL("no event " << id);
    throw std::logic_error("unreachable");
}

// 1 March 2027 + day + late, as YYYY-MM-DD.
std::string day_date(int day, int late) {
    using namespace date;
    return format("%F", sys_days{2027_y / March / 1} + days{day + late});
}

// The feed's SEQUENCE of one event.
std::string sequence_of(const std::string& ics, const std::string& id) {
    const std::size_t uid = ics.find("UID:NCT05153070-N1-" + id + "@trialcal\r\n");
    if (uid == std::string::npos) return "no event " + id;
    const std::size_t s = ics.find("SEQUENCE:", uid);
    return ics.substr(s + 9, ics.find("\r\n", s) - s - 9);
}

// Every anchored event, with its study day: what the first injection moves.
struct Anchored {
    std::string id;
    int day;
};
std::vector<Anchored> anchored_events() {
    std::vector<Anchored> out{{"V-D67", 67}};
    for (int d = 64; d <= 67; ++d) out.push_back({"ILT101-D" + std::to_string(d), d});
    for (int d = 74; d <= 354; d += 7) out.push_back({"ILT101-D" + std::to_string(d), d});
    return out;  // 46 events
}

void check_dates(const Json& calendar, int late, const std::string& when) {
    BOOST_TEST_CONTEXT(when << ", late by " << late) {
        for (const auto& [id, day] : anchored_events()) {
            const Json& e = event_of(calendar, id);
            BOOST_TEST(e.at("date").str() == day_date(day, late), id);
            // Windows move with the date: [0, 0] for the course and the
            // visit, [-1, +1] for the weekly injections.
            const int half = day >= 74 ? 1 : 0;
            BOOST_TEST(e.at("window").at("from").str() == day_date(day - half, late), id);
            BOOST_TEST(e.at("window").at("to").str() == day_date(day + half, late), id);
        }
        // What counts from day 0 stays: the anchor itself, the D63 visit,
        // ciclosporin, the M3 visit.
        BOOST_TEST(event_of(calendar, "ILT101-D63").at("date").str() == "2027-05-03");
        BOOST_TEST(event_of(calendar, "V-D63").at("date").str() == "2027-05-03");
        BOOST_TEST(event_of(calendar, "V-D88").at("date").str() == "2027-05-28");
    }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_anchors)

BOOST_DATA_TEST_CASE_F(Nct, first_injection_late_by_k_days_moves_every_anchored_event_by_k_and_void_restores,
                       bdata::make({0, 1, 2, 3}), late) {
    check_dates(calendar(), 0, "as enrolled");
    const std::string given = ok({"dose", "N1", "--at", day_date(63, late) + "T09:00", "--event", "ILT101-D63"});
    BOOST_TEST(contains(given, "Recorded R1"), given);
    if (late > 0)
        BOOST_TEST(contains(given, "46 events counting from it moved with it"), given);
    else
        BOOST_TEST(!contains(given, "moved"), given);
    check_dates(calendar(), late, "after the first injection");
    const std::string moved = late > 0 ? "1" : "0";
    std::string ics = ok({"calendar", "N1", "--format", "ics"});
    BOOST_TEST(sequence_of(ics, "ILT101-D64") == moved);
    BOOST_TEST(sequence_of(ics, "ILT101-D354") == moved);
    BOOST_TEST(sequence_of(ics, "V-D67") == moved);
    BOOST_TEST(sequence_of(ics, "ILT101-D63") == "0");
    BOOST_TEST(sequence_of(ics, "V-D88") == "0");
    std::string trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",re-project,N1,") == (late > 0 ? 1u : 0u), trail);
    if (late > 0)
        BOOST_TEST(contains(trail, "events=46 ILT101-D64 2027-05-04->" + day_date(64, late)), trail);

    // Voided: back to the protocol's dates, and a new SEQUENCE again.
    const std::string voided = ok({"void", "R1", "--reason", "entered for the wrong patient"});
    if (late > 0) BOOST_TEST(contains(voided, "46 events that counted from it moved back"), voided);
    check_dates(calendar(), 0, "after the void");
    ics = ok({"calendar", "N1", "--format", "ics"});
    BOOST_TEST(sequence_of(ics, "ILT101-D64") == (late > 0 ? "2" : "0"));
    trail = ok({"audit", "--format", "csv"});
    BOOST_TEST(count(trail, ",re-project,N1,") == (late > 0 ? 2u : 0u), trail);
    BOOST_TEST(contains(ok({"audit", "verify"}), "audit trail intact"));
}

// The second injection given on the re-projected date is on time, and its
// own record moves nothing (nothing counts from it).
BOOST_FIXTURE_TEST_CASE(a_later_dose_is_judged_against_the_re_projected_date, Nct) {
    ok({"dose", "N1", "--at", "2027-05-05T09:00", "--event", "ILT101-D63"});  // late by 2
    const std::string second = ok({"dose", "N1", "--at", "2027-05-06T09:00", "--event", "ILT101-D64"});
    BOOST_TEST(contains(second, "matched to ILT101-D64 (D64 2027-05-06), on time"), second);
    BOOST_TEST(!contains(second, "moved"), second);
    // On the protocol's own date it would now be early.
    const std::string early = ok({"dose", "N1", "--at", "2027-05-05T10:00", "--event", "ILT101-D65"});
    BOOST_TEST(contains(early, "matched to ILT101-D65 (D65 2027-05-07), early by 2 day(s)"), early);
}

// A shift by hand (which moves the event and every later one) is kept on
// top of the re-projection; what comes before it moves by the re-projection
// only.
BOOST_FIXTURE_TEST_CASE(a_shifted_anchored_event_moves_from_its_re_projected_date, Nct) {
    // Shifted on 4 May, while its window is still to come.
    ok_at("2027-05-04T12:00:00Z", {"shift", "N1", "ILT101-D74", "--days", "1", "--reason", "site closed for a strike"});
    BOOST_TEST(event_of(calendar(), "ILT101-D74").at("date").str() == "2027-05-15");
    ok({"dose", "N1", "--at", "2027-05-05T09:00", "--event", "ILT101-D63"});  // late by 2
    const Json after = calendar();
    BOOST_TEST(event_of(after, "ILT101-D74").at("date").str() == "2027-05-17");  // D74 + 1 + 2
    // `shift` moves the events after it too: D81 + 1 + 2.
    BOOST_TEST(event_of(after, "ILT101-D81").at("date").str() == "2027-05-24");
    BOOST_TEST(event_of(after, "ILT101-D67").at("date").str() == "2027-05-09");  // D67 + 2
    ok({"void", "R1", "--reason", "wrong time"});
    BOOST_TEST(event_of(calendar(), "ILT101-D74").at("date").str() == "2027-05-15");  // the shift stays
}

// An anchored event with a record keeps its date when its anchor's record
// comes later (entered out of order): it happened when it happened.
BOOST_FIXTURE_TEST_CASE(an_event_with_its_record_does_not_move, Nct) {
    ok({"dose", "N1", "--at", "2027-05-04T09:00", "--event", "ILT101-D64"});
    ok({"dose", "N1", "--at", "2027-05-06T09:00", "--event", "ILT101-D63"});  // late by 3, entered second
    const Json after = calendar();
    BOOST_TEST(event_of(after, "ILT101-D64").at("date").str() == "2027-05-04");
    BOOST_TEST(event_of(after, "ILT101-D65").at("date").str() == "2027-05-08");
    BOOST_TEST(event_of(after, "V-D67").at("date").str() == "2027-05-10");
}

BOOST_AUTO_TEST_SUITE_END()
