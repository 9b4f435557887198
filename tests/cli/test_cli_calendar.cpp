// End-to-end: trialcal calendar --protocol … (a preview), cli.md's JSON shape,
// exit codes and blinding; protocols.md's checks (every protocol, arm, cohort
// and version, on leap, year-end and daylight-saving day 0s).
#include "tests/support/check.hpp"
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace trialcal::test;

namespace {

// ---------------------------------------------------------------------------
// Calendar dates, computed here independently of the code under test
// (days from civil, H. Hinnant's algorithm).

long long days_from_civil(long long y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long long era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long long>(doe) - 719468;
}

std::string civil_from_days(long long z) {
    z += 719468;
    const long long era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long long y = static_cast<long long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", y + (m <= 2), m, d);
    return buf;
}

long long serial(const std::string& iso) {
    return days_from_civil(std::stoll(iso.substr(0, 4)), static_cast<unsigned>(std::stoul(iso.substr(5, 2))),
                           static_cast<unsigned>(std::stoul(iso.substr(8, 2))));
}

std::string plus_days(const std::string& iso, long long n) { return civil_from_days(serial(iso) + n); }

// ---------------------------------------------------------------------------
// What protocols.md says each calendar holds.

struct Look {  // a dose as the viewer sees it
    std::string drug;
    std::optional<std::string> amount;  // as written in the JSON; none: null
    std::optional<std::string> unit;
    std::string route;
    bool blinded = false;
};

struct Planned {
    std::string id;
    bool visit = true;
    long long day = 0;
    long long before = 0, after = 0;
    std::string intake;
    Look look;
};

struct Variant {
    std::string protocol;  // as typed
    std::string id, version;
    std::optional<std::string> arm;     // as typed
    std::optional<std::string> cohort;  // as typed
    std::optional<std::string> weight;
    std::string shown_arm;              // "blinded", the canonical arm, or "" for null
    std::vector<Planned> events;        // in the contract's order
    std::size_t visits = 0;
    std::map<std::string, std::size_t> doses_by_drug;
};

void add_visit(Variant& v, long long day, long long window) {
    v.events.push_back({"V-D" + std::to_string(day), true, day, window, window, "", {}});
}

void add_doses(Variant& v, const std::string& product, long long first, long long last, long long every,
               long long window, const std::vector<std::string>& intakes, const Look& look) {
    for (long long d = first; d <= last; d += every) {
        const std::string base = product + "-D" + std::to_string(d);
        if (intakes.empty()) v.events.push_back({base, false, d, window, window, "", look});
        for (const auto& i : intakes) v.events.push_back({base + "-" + i, false, d, window, window, i, look});
    }
}

// By day, visits before doses; otherwise in the order added (the file's).
void finish(Variant& v) {
    std::stable_sort(v.events.begin(), v.events.end(), [](const Planned& a, const Planned& b) {
        if (a.day != b.day) return a.day < b.day;
        return a.visit && !b.visit;
    });
}

Variant df_il2(std::optional<std::string> arm) {
    Variant v{"DF-IL2", "DF-IL2", "1", arm, std::nullopt, std::nullopt, "blinded", {}, 10, {}};
    for (long long d : {0, 1, 2, 3, 4, 5, 6}) add_visit(v, d, 0);
    add_visit(v, 15, 1);
    add_visit(v, 22, 1);
    add_visit(v, 60, 3);
    Look look{"aldesleukin or placebo", std::nullopt, std::nullopt, "SC", true};
    if (arm) {
        v.shown_arm = *arm;
        if (*arm == "IL2-1") look = {"aldesleukin", "0.33", "MIU", "SC", false};
        if (*arm == "IL2-2") look = {"aldesleukin", "1", "MIU", "SC", false};
        if (*arm == "IL2-3") look = {"aldesleukin", "3", "MIU", "SC", false};
        if (*arm == "IL2-4") look = {"placebo", std::nullopt, std::nullopt, "SC", false};
    }
    add_doses(v, "IL2", 1, 5, 1, 0, {}, look);
    v.doses_by_drug[look.drug] = 5;
    finish(v);
    return v;
}

Variant nct05153070(int version, std::optional<std::string> arm) {
    const std::string ver = std::to_string(version);
    Variant v{"NCT05153070@" + ver, "NCT05153070", ver, arm, std::nullopt, "60", "blinded", {}, 9, {}};
    for (long long d : {0, 63, 67}) add_visit(v, d, 0);
    for (long long d : {88, 179, 270, 361}) add_visit(v, d, 7);
    for (long long d : {536, 719}) add_visit(v, d, 14);
    // 60 kg: version 1, 7 mg/kg = 420 -> 425 mg a day; version 2, 5 mg/kg = 300 mg twice a day.
    const Look csa{"ciclosporin", version == 1 ? "425" : "300", "mg", "oral", false};
    add_doses(v, "CSA", 1, 60, 1, 0, version == 1 ? std::vector<std::string>{} : std::vector<std::string>{"AM", "PM"},
              csa);
    Look ilt{"ILT-101 or placebo", "1", "ml", "SC", true};
    if (arm) {
        v.shown_arm = *arm;
        ilt = *arm == "ILT-101" ? Look{"ILT-101", "1", "MIU", "SC", false} : Look{"placebo", "1", "ml", "SC", false};
    }
    add_doses(v, "ILT101", 63, 67, 1, 0, {}, ilt);
    add_doses(v, "ILT101", 74, 354, 7, 1, {}, ilt);
    v.doses_by_drug["ciclosporin"] = version == 1 ? 60 : 120;
    v.doses_by_drug[ilt.drug] = 46;
    finish(v);
    return v;
}

Variant transreg(const std::string& cohort) {
    Variant v{"TRANSREG", "TRANSREG", "1", std::nullopt, cohort, std::nullopt, "", {}, 10, {}};
    for (long long d : {0, 1, 8}) add_visit(v, d, 0);
    for (long long d : {15, 29}) add_visit(v, d, 2);
    for (long long d : {85, 183, 240}) add_visit(v, d, 7);
    for (long long d : {360, 540}) add_visit(v, d, 14);
    const Look il2{"aldesleukin (Proleukin)", "1", "MIU", "SC", false};
    add_doses(v, "IL2", 1, 5, 1, 0, {}, il2);
    if (cohort == "SLE") add_doses(v, "IL2", 8, 183, 7, 1, {}, il2);
    else add_doses(v, "IL2", 15, 183, 14, 2, {}, il2);
    v.doses_by_drug[il2.drug] = cohort == "SLE" ? 31 : 18;
    finish(v);
    return v;
}

Variant ms_il2(std::optional<std::string> arm) {
    Variant v{"MS-IL2", "MS-IL2", "1", arm, std::nullopt, std::nullopt, "blinded", {}, 4, {}};
    for (long long d : {0, 1, 5}) add_visit(v, d, 0);
    add_visit(v, 183, 7);
    Look look{"IL-2 or placebo", std::nullopt, std::nullopt, "SC", true};
    if (arm) {
        v.shown_arm = *arm;
        look = *arm == "IL-2" ? Look{"aldesleukin", "1", "MIU", "SC", false}
                              : Look{"placebo", std::nullopt, std::nullopt, "SC", false};
    }
    add_doses(v, "IL2", 1, 5, 1, 0, {}, look);
    add_doses(v, "IL2", 15, 183, 14, 2, {}, look);
    v.doses_by_drug[look.drug] = 18;
    finish(v);
    return v;
}

const std::vector<std::string> transreg_cohorts{"RA", "AS",  "SLE", "PSO", "BD", "GPA", "TAK",
                                                "CD", "UC",  "AIH", "PSC", "SS", "ITP", "SSC"};

// Day 0s: an ordinary Monday, a leap day, a year end, the Sunday clocks go
// forward in Europe.
const std::vector<std::string> day0s{"2027-03-01", "2028-02-29", "2027-12-31", "2027-03-28"};

std::vector<std::string> preview_args(const Variant& v, const std::string& day0, const std::string& format = "json") {
    std::vector<std::string> args{"calendar", "--protocol", v.protocol, "--day0", day0, "--format", format};
    if (v.arm) args.insert(args.end(), {"--arm", *v.arm});
    if (v.cohort) args.insert(args.end(), {"--cohort", *v.cohort});
    if (v.weight) args.insert(args.end(), {"--weight", *v.weight});
    return args;
}

std::string optional_text(const Json& j) { return j.is_null() ? "null" : j.type() == Json::Type::number ? j.number_text() : j.str(); }

// Invariants of every calendar, read from the output alone: cli.md's order,
// unique ids, each date day0 + day and inside its window.
void check_invariants(const Json& cal) {
    const std::string day0 = cal.at("day0").str();
    std::set<std::string> ids;
    std::string last_date;
    bool dose_seen_on_date = false;
    for (const auto& e : cal.at("events").items()) {
        const std::string id = e.at("id").str(), date = e.at("date").str(), kind = e.at("kind").str();
        BOOST_TEST_CONTEXT("event " << id) {
            BOOST_TEST(ids.insert(id).second, "duplicate id " << id);
            BOOST_TEST(date == plus_days(day0, e.at("day").integer()));
            BOOST_TEST(date >= last_date, "events out of date order");
            if (date != last_date) dose_seen_on_date = false;
            BOOST_TEST((kind == "visit" || kind == "dose"));
            if (kind == "visit") BOOST_TEST(!dose_seen_on_date, "visit after a dose on " << date);
            else dose_seen_on_date = true;
            last_date = date;
            const std::string from = e.at("window").at("from").str(), to = e.at("window").at("to").str();
            BOOST_TEST(from <= date);
            BOOST_TEST(date <= to);
        }
    }
}

// The whole calendar against the model: header, every event and field, counts.
void check_calendar(const Variant& v, const std::string& day0) {
    BOOST_TEST_CONTEXT(v.protocol << " arm " << v.arm.value_or("-") << " cohort " << v.cohort.value_or("-")
                                  << " day0 " << day0) {
        const Json cal = ok_json(preview_args(v, day0));
        BOOST_TEST(cal.keys() == (std::vector<std::string>{"patient", "protocol", "version", "arm", "cohort", "day0",
                                                           "events"}),
                   boost::test_tools::per_element());
        BOOST_TEST(cal.at("patient").is_null());
        BOOST_TEST(cal.at("protocol").str() == v.id);
        BOOST_TEST(cal.at("version").str() == v.version);
        BOOST_TEST(optional_text(cal.at("arm")) == (v.shown_arm.empty() ? "null" : v.shown_arm));
        BOOST_TEST(optional_text(cal.at("cohort")) == v.cohort.value_or("null"));
        BOOST_TEST(cal.at("day0").str() == day0);
        check_invariants(cal);

        const Json& events = cal.at("events");
        std::size_t visits = 0;
        std::map<std::string, std::size_t> doses;
        for (const auto& e : events.items()) {
            if (e.at("kind").str() == "visit") ++visits;
            else ++doses[e.at("drug").str()];
        }
        BOOST_TEST(visits == v.visits);
        auto listed = [](const std::map<std::string, std::size_t>& m) {
            std::vector<std::string> out;
            for (const auto& [drug, n] : m) out.push_back(drug + ": " + std::to_string(n));
            return out;
        };
        BOOST_TEST(listed(doses) == listed(v.doses_by_drug), boost::test_tools::per_element());
        BOOST_TEST_REQUIRE(events.size() == v.events.size());
        for (std::size_t i = 0; i < v.events.size(); ++i) {
            const Planned& p = v.events[i];
            const Json& e = events.at(i);
            BOOST_TEST_CONTEXT("event #" << i << " " << p.id) {
                BOOST_TEST(e.at("id").str() == p.id);
                BOOST_TEST(e.at("kind").str() == (p.visit ? "visit" : "dose"));
                BOOST_TEST(e.at("day").integer() == p.day);
                const std::string date = plus_days(day0, p.day);
                BOOST_TEST(e.at("date").str() == date);
                BOOST_TEST(e.at("window").keys() == (std::vector<std::string>{"from", "to"}), boost::test_tools::per_element());
                BOOST_TEST(e.at("window").at("from").str() == plus_days(date, -p.before));
                BOOST_TEST(e.at("window").at("to").str() == plus_days(date, p.after));
                if (p.visit) {
                    BOOST_TEST(e.keys() == (std::vector<std::string>{"id", "kind", "day", "date", "window", "placed_date", "closed_day", "anchor", "status", "name",
                                                                     "procedures"}),
                               boost::test_tools::per_element());
                    BOOST_TEST(!e.at("name").str().empty());
                    BOOST_TEST(e.at("procedures").size() > 0u);
                } else {
                    std::vector<std::string> keys{"id", "kind", "day", "date", "window", "placed_date", "closed_day", "anchor", "status", "drug", "amount", "unit", "route"};
                    if (!p.intake.empty()) keys.push_back("intake");
                    keys.push_back("blinded");
                    BOOST_TEST(e.keys() == keys, boost::test_tools::per_element());
                    BOOST_TEST(e.at("drug").str() == p.look.drug);
                    BOOST_TEST(optional_text(e.at("amount")) == p.look.amount.value_or("null"));
                    BOOST_TEST(optional_text(e.at("unit")) == p.look.unit.value_or("null"));
                    BOOST_TEST(e.at("route").str() == p.look.route);
                    if (!p.intake.empty()) BOOST_TEST(e.at("intake").str() == p.intake);
                    BOOST_TEST(e.at("blinded").boolean() == p.look.blinded);
                }
            }
        }
    }
}

void check_every_day0(const Variant& v) {
    for (const auto& d : day0s) check_calendar(v, d);
}

// The event with this id in a calendar.
const Json& event(const Json& cal, const std::string& id) {
    for (const auto& e : cal.at("events").items())
        if (e.at("id").str() == id) return e;
    throw std::runtime_error("no event " + id);
}

std::size_t index_of(const Json& cal, const std::string& id) {
    const auto& es = cal.at("events").items();
    for (std::size_t i = 0; i < es.size(); ++i)
        if (es[i].at("id").str() == id) return i;
    throw std::runtime_error("no event " + id);
}

// "date from..to" of one event.
std::string when(const Json& cal, const std::string& id) {
    const Json& e = event(cal, id);
    return e.at("date").str() + " " + e.at("window").at("from").str() + ".." + e.at("window").at("to").str();
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
    a.insert(a.end(), more.begin(), more.end());
    return a;
}

// A preview of NCT05153070 (newest version) for this weight; more flags follow.
std::vector<std::string> nct_preview(const std::string& weight, const std::string& day0 = "2027-03-01") {
    return {"calendar", "--protocol", "NCT05153070", "--day0", day0, "--weight", weight};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_calendar)

// ---------------------------------------------------------------------------
// The JSON reader the checks rely on

BOOST_AUTO_TEST_CASE(json_reader_reads_one_document_and_refuses_malformed_ones) {
    const Json j = parse_json(" {\"a\": [1, -2.5e1, true, false, null], \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\"}\n");
    BOOST_TEST(j.keys() == (std::vector<std::string>{"a", "s"}), boost::test_tools::per_element());
    BOOST_TEST(j.at("a").at(0).integer() == 1);
    BOOST_TEST(j.at("a").at(1).number() == -25.0);
    BOOST_TEST(j.at("a").at(2).boolean() == true);
    BOOST_TEST(j.at("a").at(3).boolean() == false);
    BOOST_TEST(j.at("a").at(4).is_null());
    BOOST_TEST(j.at("s").str() == "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80");
    BOOST_TEST(parse_json("\"Beh\xc3\xa7" "et\"").str() == "Beh\xc3\xa7" "et");
    for (const char* bad : {"", " ", "{}{}", "{} x", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "\"\\x\"",
                            "\"tab\there\"", "\"open", "01", "1.", ".5", "-", "+1", "1e", "1e400", "tru", "nul",
                            "NaN", "[", "{\"a\":1,\"a\":2}", "\"\\ud83d\"", "\"\\ude00\"", "\"\\u12\"", "\"\xc3\"",
                            "\"\xff\"", "\"\xc0\xaf\"", "'x'"})
        BOOST_CHECK_THROW(parse_json(bad), JsonError);
    BOOST_CHECK_THROW((void)j.at("missing"), JsonError);
    BOOST_CHECK_THROW((void)j.at("s").number(), JsonError);
    BOOST_CHECK_THROW((void)j.at("a").at(9), JsonError);
    BOOST_CHECK_THROW((void)parse_json("0.5").integer(), JsonError);
}

// ---------------------------------------------------------------------------
// protocols.md: every protocol, arm, cohort and version, on every day 0

BOOST_AUTO_TEST_CASE(df_il2_every_arm_and_day0) {
    for (const auto& arm :
         {std::optional<std::string>{}, std::optional<std::string>{"IL2-1"}, std::optional<std::string>{"IL2-2"},
          std::optional<std::string>{"IL2-3"}, std::optional<std::string>{"IL2-4"}})
        check_every_day0(df_il2(arm));
}

BOOST_AUTO_TEST_CASE(nct05153070_v1_every_arm_and_day0) {
    for (const auto& arm :
         {std::optional<std::string>{}, std::optional<std::string>{"ILT-101"}, std::optional<std::string>{"placebo"}})
        check_every_day0(nct05153070(1, arm));
}

BOOST_AUTO_TEST_CASE(nct05153070_v2_every_arm_and_day0) {
    for (const auto& arm :
         {std::optional<std::string>{}, std::optional<std::string>{"ILT-101"}, std::optional<std::string>{"placebo"}})
        check_every_day0(nct05153070(2, arm));
}

BOOST_AUTO_TEST_CASE(transreg_every_cohort_and_day0) {
    BOOST_TEST_REQUIRE(transreg_cohorts.size() == 14u);
    for (const auto& c : transreg_cohorts) check_every_day0(transreg(c));
}

BOOST_AUTO_TEST_CASE(ms_il2_every_arm_and_day0) {
    for (const auto& arm :
         {std::optional<std::string>{}, std::optional<std::string>{"IL-2"}, std::optional<std::string>{"placebo"}})
        check_every_day0(ms_il2(arm));
}

BOOST_AUTO_TEST_CASE(leap_day_day0) {
    const Json df = ok_json({"calendar", "--protocol", "DF-IL2", "--day0", "2028-02-29", "--format", "json"});
    BOOST_TEST(when(df, "V-D0") == "2028-02-29 2028-02-29..2028-02-29");
    BOOST_TEST(when(df, "IL2-D1") == "2028-03-01 2028-03-01..2028-03-01");
    BOOST_TEST(when(df, "V-D60") == "2028-04-29 2028-04-26..2028-05-02");
    const Json nct = ok_json(with(nct_preview("60", "2028-02-29"), {"--format", "json"}));
    BOOST_TEST(nct.at("day0").str() == "2028-02-29");
    BOOST_TEST(when(nct, "V-D361") == "2029-02-24 2029-02-17..2029-03-03");
    BOOST_TEST(when(nct, "ILT101-D354") == "2029-02-17 2029-02-16..2029-02-18");
    BOOST_TEST(when(nct, "V-D719") == "2030-02-17 2030-02-03..2030-03-03");
    const Json tr = ok_json({"calendar", "--protocol", "TRANSREG", "--day0", "2027-12-31", "--cohort", "RA", "--format", "json"});
    // A 2027-12-31 day 0 puts D60-ish dates across 2028-02-29.
    BOOST_TEST(when(tr, "IL2-D57") == "2028-02-26 2028-02-24..2028-02-28");
    BOOST_TEST(when(tr, "IL2-D71") == "2028-03-11 2028-03-09..2028-03-13");
}

BOOST_AUTO_TEST_CASE(year_end_day0) {
    const Json df = ok_json({"calendar", "--protocol", "DF-IL2", "--day0", "2027-12-31", "--arm", "IL2-2", "--format", "json"});
    BOOST_TEST(when(df, "V-D0") == "2027-12-31 2027-12-31..2027-12-31");
    BOOST_TEST(when(df, "IL2-D1") == "2028-01-01 2028-01-01..2028-01-01");
    BOOST_TEST(when(df, "V-D60") == "2028-02-29 2028-02-26..2028-03-03");
    const Json ms = ok_json({"calendar", "--protocol", "MS-IL2", "--day0", "2027-12-31", "--format", "json"});
    BOOST_TEST(when(ms, "V-D183") == "2028-07-01 2028-06-24..2028-07-08");
    const Json nct = ok_json(with(nct_preview("60", "2027-12-31"), {"--format", "json"}));
    BOOST_TEST(when(nct, "CSA-D60-PM") == "2028-02-29 2028-02-29..2028-02-29");
    BOOST_TEST(when(nct, "V-D361") == "2028-12-26 2028-12-19..2029-01-02");
    BOOST_TEST(when(nct, "V-D719") == "2029-12-19 2029-12-05..2030-01-02");
}

BOOST_AUTO_TEST_CASE(daylight_saving_day0) {
    const Json df = ok_json({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-28", "--format", "json"});
    BOOST_TEST(when(df, "V-D0") == "2027-03-28 2027-03-28..2027-03-28");
    BOOST_TEST(when(df, "IL2-D1") == "2027-03-29 2027-03-29..2027-03-29");
    BOOST_TEST(when(df, "V-D15") == "2027-04-12 2027-04-11..2027-04-13");
    const Json tr = ok_json({"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-28", "--cohort", "SLE", "--format", "json"});
    BOOST_TEST(when(tr, "IL2-D8") == "2027-04-05 2027-04-04..2027-04-06");
    BOOST_TEST(when(tr, "V-D540") == "2028-09-18 2028-09-04..2028-10-02");
    // The autumn change (2027-10-31) too.
    const Json autumn = ok_json({"calendar", "--protocol", "DF-IL2", "--day0", "2027-10-31", "--format", "json"});
    BOOST_TEST(when(autumn, "IL2-D1") == "2027-11-01 2027-11-01..2027-11-01");
    BOOST_TEST(when(autumn, "V-D0") == "2027-10-31 2027-10-31..2027-10-31");
}

BOOST_AUTO_TEST_CASE(event_ids_are_the_same_for_every_day0) {
    auto ids = [](const Json& cal) {
        std::vector<std::string> out;
        for (const auto& e : cal.at("events").items()) out.push_back(e.at("id").str());
        return out;
    };
    const auto a = ids(ok_json(with(nct_preview("60"), {"--format", "json"})));
    const auto b = ids(ok_json(with(nct_preview("80", "2028-02-29"), {"--format", "json", "--arm", "placebo"})));
    BOOST_TEST(a.size() == 175u);
    BOOST_TEST(a == b, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(twice_daily_doses_are_two_events_on_one_date) {
    const Json cal = ok_json(with(nct_preview("60"), {"--format", "json"}));
    const Json& am = event(cal, "CSA-D1-AM");
    const Json& pm = event(cal, "CSA-D1-PM");
    BOOST_TEST(am.at("intake").str() == "AM");
    BOOST_TEST(pm.at("intake").str() == "PM");
    BOOST_TEST(am.at("date").str() == "2027-03-02");
    BOOST_TEST(pm.at("date").str() == "2027-03-02");
    BOOST_TEST(index_of(cal, "CSA-D1-PM") == index_of(cal, "CSA-D1-AM") + 1);
    // Once a day in version 1: no intake field, no suffix.
    const Json v1 = ok_json({"calendar", "--protocol", "NCT05153070@1", "--day0", "2027-03-01", "--weight", "60", "--format", "json"});
    BOOST_TEST(!event(v1, "CSA-D1").has("intake"));
}

BOOST_AUTO_TEST_CASE(visits_come_before_doses_on_a_date) {
    const Json tr = ok_json({"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "ra", "--format", "json"});
    BOOST_TEST(index_of(tr, "V-D1") + 1 == index_of(tr, "IL2-D1"));
    BOOST_TEST(index_of(tr, "V-D15") + 1 == index_of(tr, "IL2-D15"));
    BOOST_TEST(index_of(tr, "V-D183") + 1 == index_of(tr, "IL2-D183"));
    const Json ms = ok_json({"calendar", "--protocol", "MS-IL2", "--day0", "2027-03-01", "--format", "json"});
    BOOST_TEST(index_of(ms, "V-D5") + 1 == index_of(ms, "IL2-D5"));
}

// ---------------------------------------------------------------------------
// Header, blinding, arms

BOOST_AUTO_TEST_CASE(nct05153070_v2_preview_has_175_blinded_events) {
    const auto r = ok({"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "60", "--format", "json"});
    BOOST_TEST(count(r.out, "\"kind\": ") == 175u);
    BOOST_TEST(count(r.out, "\"kind\": \"visit\"") == 9u);
    BOOST_TEST(contains(r.out, "\"patient\": null"));
    BOOST_TEST(contains(r.out, "\"arm\": \"blinded\""));
    BOOST_TEST(count(r.out, "\"drug\": \"ciclosporin\"") == 120u);
    BOOST_TEST(count(r.out, "\"amount\": 300") == 120u);
    BOOST_TEST(count(r.out, "\"drug\": \"ILT-101 or placebo\"") == 46u);
    BOOST_TEST(count(r.out, "\"unit\": \"ml\"") == 46u);
    BOOST_TEST(count(r.out, "\"blinded\": true") == 46u);
    BOOST_TEST(r.out.find("\"id\": \"V-D0\"") < r.out.find("\"id\": \"CSA-D1-AM\""));
    BOOST_TEST(contains(r.out, "\"id\": \"V-D719\""));
    BOOST_TEST(contains(r.out, "\"date\": \"2029-02-17\""));
}

BOOST_AUTO_TEST_CASE(preview_with_arm_shows_the_product) {
    const auto r = ok({"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "60", "--arm",
                       "ilt-101", "--format", "json"});
    BOOST_TEST(contains(r.out, "\"arm\": \"ILT-101\""));
    BOOST_TEST(count(r.out, "\"unit\": \"MIU\"") == 46u);
    BOOST_TEST(count(r.out, "\"blinded\": true") == 0u);
}

BOOST_AUTO_TEST_CASE(version_1_preview_has_115_events_at_425_mg) {
    const auto r = ok({"calendar", "--protocol", "NCT05153070@1", "--day0", "2027-03-01", "--weight", "60", "--format", "json"});
    BOOST_TEST(count(r.out, "\"kind\": ") == 115u);
    BOOST_TEST(count(r.out, "\"amount\": 425") == 60u);
}

BOOST_AUTO_TEST_CASE(unblinded_previews_of_two_arms_differ_blinded_ones_do_not) {
    const std::vector<std::string> base{"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "json"};
    auto run_with = [&](std::vector<std::string> more) { return ok(with(base, more)).out; };
    BOOST_TEST(run_with({"--arm", "IL2-1"}) != run_with({"--arm", "IL2-4"}));
    BOOST_TEST(contains(run_with({"--arm", "IL2-1"}), "\"amount\": 0.33"));
    BOOST_TEST(contains(run_with({}), "\"drug\": \"aldesleukin or placebo\""));
}

BOOST_AUTO_TEST_CASE(blinded_previews_name_no_arm) {
    struct Blinded {
        std::string protocol, label;
        std::vector<std::string> arms;
    };
    for (const auto& b : std::vector<Blinded>{{"DF-IL2", "aldesleukin or placebo", {"IL2-1", "IL2-2", "IL2-3", "IL2-4"}},
                                              {"MS-IL2", "IL-2 or placebo", {"IL-2", "placebo"}},
                                              {"NCT05153070", "ILT-101 or placebo", {"ILT-101", "placebo"}}}) {
        BOOST_TEST_CONTEXT(b.protocol) {
            const std::vector<std::string> args{"calendar", "--protocol", b.protocol, "--day0", "2027-03-01", "--weight", "60"};
            const Json j = ok_json(with(args, {"--format", "json"}));
            BOOST_TEST(j.at("arm").str() == "blinded");
            for (const auto& e : j.at("events").items()) {
                if (e.at("kind").str() != "dose" || e.at("drug").str() == "ciclosporin") continue;
                BOOST_TEST(e.at("drug").str() == b.label);
                BOOST_TEST(e.at("blinded").boolean());
                BOOST_TEST(optional_text(e.at("unit")) != "MIU");
            }
            const auto raw = ok(with(args, {"--format", "json"})).out;
            for (const auto& a : b.arms) BOOST_TEST(!contains(raw, "\"" + a + "\""), a << " shown");
            BOOST_TEST(!contains(raw, "MIU"));
            const auto csv = lines(ok(with(args, {"--format", "csv"})).out);
            for (std::size_t i = 1; i < csv.size(); ++i) {
                const auto f = csv_fields(csv[i]);
                BOOST_TEST(f.at(3) == "blinded");
                BOOST_TEST((f.at(14).empty() || f.at(14) == b.label || f.at(14) == "ciclosporin"));
                BOOST_TEST(f.at(16) != "MIU");
            }
            const auto table = ok(args);
            BOOST_TEST(contains(lines(table.out).at(0), " · arm blinded · "));
            BOOST_TEST(!contains(table.out, "MIU"));
        }
    }
}

BOOST_AUTO_TEST_CASE(preview_header_fields) {
    const Json df = ok_json({"calendar", "--protocol", "NCT01353833", "--day0", "2027-03-01", "--format", "json"});
    BOOST_TEST(df.at("protocol").str() == "DF-IL2");
    BOOST_TEST(df.at("version").str() == "1");
    BOOST_TEST(df.at("arm").str() == "blinded");
    BOOST_TEST(df.at("cohort").is_null());
    BOOST_TEST(df.at("patient").is_null());
    BOOST_TEST(!df.has("site"));
    const Json tr = ok_json({"calendar", "--protocol", "nct01988506", "--day0", "2027-03-01", "--cohort", "Gpa", "--format", "json"});
    BOOST_TEST(tr.at("protocol").str() == "TRANSREG");
    BOOST_TEST(tr.at("arm").is_null());
    BOOST_TEST(tr.at("cohort").str() == "GPA");
    const Json v1 = ok_json({"calendar", "--protocol", "nct05153070@1", "--day0", "2027-03-01", "--weight", "60", "--format", "json"});
    BOOST_TEST(v1.at("protocol").str() == "NCT05153070");
    BOOST_TEST(v1.at("version").str() == "1");
}

BOOST_AUTO_TEST_CASE(arm_is_case_insensitive_and_shown_canonical) {
    const std::vector<std::string> df{"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--arm", "il2-3"};
    const Json j = ok_json(with(df, {"--format", "json"}));
    BOOST_TEST(j.at("arm").str() == "IL2-3");
    BOOST_TEST(event(j, "IL2-D1").at("amount").number_text() == "3");
    BOOST_TEST(ok(with(df, {"--format", "json"})).out ==
               ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--arm", "IL2-3", "--format", "json"}).out);
    BOOST_TEST(lines(ok(df).out).at(0) == "DF-IL2 version 1 · arm IL2-3 · day 0 2027-03-01 (Mon)");
    const auto csv = lines(ok(with(df, {"--format", "csv"})).out);
    BOOST_TEST(csv_fields(csv.at(1)).at(3) == "IL2-3");
    BOOST_TEST(ok_json({"calendar", "--protocol", "MS-IL2", "--day0", "2027-03-01", "--arm", "PLACEBO", "--format", "json"})
                   .at("arm").str() == "placebo");
    BOOST_TEST(ok_json({"calendar", "--protocol", "MS-IL2", "--day0", "2027-03-01", "--arm", "il-2", "--format", "json"})
                   .at("arm").str() == "IL-2");
    BOOST_TEST(ok_json(with(nct_preview("60"), {"--arm", "Ilt-101", "--format", "json"})).at("arm").str() == "ILT-101");
}

BOOST_AUTO_TEST_CASE(transreg_sle_cohort_in_any_case) {
    const auto r = ok({"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "sle", "--format", "json"});
    BOOST_TEST(count(r.out, "\"kind\": \"visit\"") == 10u);
    BOOST_TEST(count(r.out, "\"kind\": \"dose\"") == 31u);
    BOOST_TEST(contains(r.out, "\"cohort\": \"SLE\""));
}

// ---------------------------------------------------------------------------
// --weight

BOOST_AUTO_TEST_CASE(weight_of_350_is_accepted_and_one_that_doses_nothing_is_not) {
    auto csa = [](const std::string& spec, const std::string& weight, const std::string& id) {
        const Json j = ok_json({"calendar", "--protocol", spec, "--day0", "2027-03-01", "--weight", weight, "--format", "json"});
        return event(j, id).at("amount").number_text();
    };
    BOOST_TEST(csa("NCT05153070@1", "350", "CSA-D1") == "2450");  // 7 mg/kg x 350
    BOOST_TEST(csa("NCT05153070@2", "350", "CSA-D1-AM") == "1750");  // 5 mg/kg x 350
    // 3.5 mg and 2.5 mg round to the nearest 25 mg: 0, which no one plans.
    fails(65, {"calendar", "--protocol", "NCT05153070@1", "--day0", "2027-03-01", "--weight", "0.5"},
          "0.5 kg gives 0 mg of ciclosporin after rounding to 25 mg");
    // 2.5 kg x 5 mg/kg = 12.5 mg, half a step: rounded up to 25 mg.
    BOOST_TEST(csa("NCT05153070@2", "2.5", "CSA-D60-PM") == "25");
    BOOST_TEST(csa("NCT05153070@2", "1e2", "CSA-D1-AM") == "500");
}

BOOST_AUTO_TEST_CASE(weight_rounds_to_the_nearest_25_mg) {
    auto csa = [](const std::string& spec, const std::string& weight, const std::string& id) {
        const Json j = ok_json({"calendar", "--protocol", spec, "--day0", "2027-03-01", "--weight", weight, "--format", "json"});
        BOOST_TEST(event(j, id).at("unit").str() == "mg");
        return event(j, id).at("amount").number_text();
    };
    BOOST_TEST(csa("NCT05153070@2", "61", "CSA-D1-AM") == "300");   // 305
    BOOST_TEST(csa("NCT05153070@2", "63", "CSA-D1-PM") == "325");   // 315
    BOOST_TEST(csa("NCT05153070@1", "61", "CSA-D1") == "425");      // 427
    BOOST_TEST(csa("NCT05153070@1", "64", "CSA-D60") == "450");     // 448
    BOOST_TEST(csa("NCT05153070@1", "72.5", "CSA-D30") == "500");   // 507.5
}

BOOST_AUTO_TEST_CASE(weight_out_of_range_or_malformed_exits_65) {
    for (const char* w : {"350.5", "-5", "0", "nan", "inf", "1e400", " 60", "60kg", "60 ", "abc", "-0"})
        BOOST_TEST_CONTEXT("--weight '" << w << "'") {
            const auto r = fails(65, nct_preview(w), std::string("'") + w + "'");
            BOOST_TEST(contains(r.err, "--weight"));
        }
    // The bound holds for a protocol that does not dose by weight too.
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--weight", "350.5"}, "'350.5'");
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--weight", "60kg"}, "'60kg'");
}

BOOST_AUTO_TEST_CASE(empty_weight_is_treated_as_not_given) {
    // Weight-based dosing: the same refusal as no --weight at all.
    const auto empty = fails(2, nct_preview(""), "--weight");
    const auto none = fails(2, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01"}, "--weight");
    BOOST_TEST(empty.err == none.err);
    BOOST_TEST(contains(empty.err, "missing weight"));
    // No weight-based dosing: the same calendar as without --weight.
    const std::vector<std::string> df{"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "json"};
    BOOST_TEST(ok(with(df, {"--weight", ""})).out == ok(df).out);
}

BOOST_AUTO_TEST_CASE(weight_for_a_protocol_not_dosed_by_weight_changes_nothing) {
    const std::vector<std::string> tr{"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "RA", "--format", "json"};
    BOOST_TEST(ok(with(tr, {"--weight", "60"})).out == ok(tr).out);
    const std::vector<std::string> df{"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--arm", "IL2-2", "--format", "csv"};
    BOOST_TEST(ok(with(df, {"--weight", "350"})).out == ok(df).out);
}

// ---------------------------------------------------------------------------
// CSV and table

BOOST_AUTO_TEST_CASE(csv_and_table_shapes) {
    const auto c = ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "csv"});
    BOOST_TEST(count(c.out, "\n") == 16u);
    BOOST_TEST(c.out.rfind("patient,protocol,version,arm,cohort,day0,event,kind,day,date,window_from,window_to,", 0) == 0u);
    const auto t = ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01"});
    BOOST_TEST(contains(t.out, "2027-03-02"));
    BOOST_TEST(contains(t.out, "IL2-D1"));
}

BOOST_AUTO_TEST_CASE(csv_rows_are_exact) {
    const auto rows = lines(ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--arm", "IL2-1", "--format", "csv"}).out);
    BOOST_TEST_REQUIRE(rows.size() == 16u);
    BOOST_TEST(rows[0] == "patient,protocol,version,arm,cohort,day0,event,kind,day,date,window_from,window_to,name,"
                          "procedures,drug,amount,unit,route,intake,blinded,placed_date,closed_day,status,unscheduled");
    BOOST_TEST(rows[1] == ",DF-IL2,1,IL2-1,,2027-03-01,V-D0,visit,0,2027-03-01,2027-03-01,2027-03-01,Inclusion,"
                          "T-cell immunophenotyping; transcriptomics sample; tolerance check; mixed-meal tolerance test,"
                          ",,,,,,,false,planned,false");
    BOOST_TEST(rows[3] == ",DF-IL2,1,IL2-1,,2027-03-01,IL2-D1,dose,1,2027-03-02,2027-03-02,2027-03-02,,,aldesleukin,"
                          "0.33,MIU,SC,,false,,false,planned,false");
    BOOST_TEST(rows[15] == ",DF-IL2,1,IL2-1,,2027-03-01,V-D60,visit,60,2027-04-30,2027-04-27,2027-05-03,"
                           "\"D60, end of study\",T-cell immunophenotyping; transcriptomics sample; tolerance check; "
                           "mixed-meal tolerance test,,,,,,,,false,planned,false");
    for (const auto& r : rows) BOOST_TEST(csv_fields(r).size() == 24u);
    const auto v2 = lines(ok(with(nct_preview("60"), {"--format", "csv"})).out);
    BOOST_TEST(v2.size() == 176u);
    BOOST_TEST(v2[2] == ",NCT05153070,2,blinded,,2027-03-01,CSA-D1-AM,dose,1,2027-03-02,2027-03-02,2027-03-02,,,"
                        "ciclosporin,300,mg,oral,AM,false,,false,planned,false");
    const auto tr = lines(ok({"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "sle", "--format", "csv"}).out);
    BOOST_TEST(tr.size() == 42u);
    BOOST_TEST(csv_fields(tr.at(1)).at(4) == "SLE");
    BOOST_TEST(csv_fields(tr.at(1)).at(3) == "");
}

BOOST_AUTO_TEST_CASE(csv_quotes_fields_with_commas) {
    // Visit names with a comma are quoted, and read back whole.
    const auto rows = lines(ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "csv"}).out);
    BOOST_TEST(contains(rows.at(12), ",\"D6, end of treatment phase\","));
    BOOST_TEST(csv_fields(rows.at(12)).at(12) == "D6, end of treatment phase");
    // A procedure with a comma, if any protocol has one, is quoted too.
    std::size_t with_comma = 0;
    for (const char* spec : {"DF-IL2", "NCT05153070@1", "NCT05153070@2", "TRANSREG", "MS-IL2"}) {
        const Json p = ok_json({"protocol", "show", spec, "--format", "json"});
        for (const auto& v : p.at("visits").items()) {
            const auto procedures = v.at("procedures").strings();
            if (std::none_of(procedures.begin(), procedures.end(),
                             [](const std::string& s) { return contains(s, ","); }))
                continue;
            ++with_comma;
            std::vector<std::string> args{"calendar", "--protocol", spec, "--day0", "2027-03-01", "--format", "csv",
                                          "--weight", "60"};
            if (!p.at("cohorts").items().empty()) args.insert(args.end(), {"--cohort", p.at("cohorts").at(0).at("id").str()});
            std::string joined;
            for (const auto& s : procedures) joined += (joined.empty() ? "" : "; ") + s;
            bool found = false;
            for (const auto& row : lines(ok(args).out)) {
                const auto f = csv_fields(row);
                if (f.at(6) != v.at("id").str()) continue;
                found = true;
                BOOST_TEST(f.at(13) == joined);
            }
            BOOST_TEST(found);
        }
    }
    if (with_comma == 0) BOOST_TEST_MESSAGE("no bundled procedure has a comma: procedure quoting not exercised");
}

BOOST_AUTO_TEST_CASE(table_header_line) {
    const auto t = lines(ok({"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01"}).out);
    BOOST_TEST_REQUIRE(t.size() >= 6u);
    BOOST_TEST(t[0] == "DF-IL2 version 1 · arm blinded · day 0 2027-03-01 (Mon)");
    BOOST_TEST(t[1] == "10 visits, 5 doses");
    BOOST_TEST(t[2] == "");
    std::vector<std::string> words;
    for (std::size_t i = 0, j; i < t[3].size(); i = j) {
        i = t[3].find_first_not_of(' ', i);
        if (i == std::string::npos) break;
        j = std::min(t[3].find(' ', i), t[3].size());
        words.push_back(t[3].substr(i, j - i));
    }
    BOOST_TEST(words == (std::vector<std::string>{"Date", "Day", "Event", "Window", "What"}), boost::test_tools::per_element());
    BOOST_TEST(t[4].find_first_not_of('-') == std::string::npos);
    BOOST_TEST(t.size() == 5u + 15u);
    BOOST_TEST(t[5].rfind("2027-03-01  Mon", 0) == 0u);

    BOOST_TEST(lines(ok({"calendar", "--protocol", "TRANSREG", "--day0", "2028-02-29", "--cohort", "sle"}).out).at(0) ==
               "TRANSREG version 1 · cohort SLE · day 0 2028-02-29 (Tue)");
    BOOST_TEST(lines(ok({"calendar", "--protocol", "TRANSREG", "--day0", "2028-02-29", "--cohort", "sle"}).out).at(1) ==
               "10 visits, 31 doses");
    BOOST_TEST(lines(ok(nct_preview("60")).out).at(1) == "9 visits, 166 doses");
    BOOST_TEST(lines(ok({"calendar", "--protocol", "MS-IL2", "--day0", "2027-12-31", "--arm", "IL-2"}).out).at(0) ==
               "MS-IL2 version 1 · arm IL-2 · day 0 2027-12-31 (Fri)");
}

BOOST_AUTO_TEST_CASE(table_is_the_default_format) {
    const std::vector<std::string> args{"calendar", "--protocol", "MS-IL2", "--day0", "2027-03-28"};
    BOOST_TEST(ok(args).out == ok(with(args, {"--format", "table"})).out);
}

// ---------------------------------------------------------------------------
// Refusals

BOOST_AUTO_TEST_CASE(bad_values_exit_with_the_contract_codes) {
    const std::vector<std::string> df{"calendar", "--protocol", "DF-IL2", "--day0"};
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-02-30"}, "2027-02-30");
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "03/01/2027"}, "03/01/2027");
    fails(65, {"calendar", "--protocol", "XX", "--day0", "2027-03-01"}, "'XX'");
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--arm", "IL2-9"}, "IL2-1, IL2-2, IL2-3, IL2-4");
    fails(65, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "XYZ"}, "SLE");
    fails(2, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01"}, "--cohort");
    fails(2, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01"}, "--weight");
    fails(65, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "abc"}, "'abc'");
    fails(65, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "0"}, "--weight");
    fails(65, {"calendar", "--protocol", "NCT05153070", "--day0", "2027-03-01", "--weight", "400"}, "400");
    fails(65, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "RA", "--arm", "X"}, "'X'");
    fails(2, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--format", "xml"}, "xml");
    fails(2, {"calendar"}, "PATIENT");
}

BOOST_AUTO_TEST_CASE(day0_must_be_a_calendar_date) {
    for (const char* d : {"2027-02-29", "2027-13-01", "2027-00-10", "2027-04-31", "2027-3-1", "2027-03-01T10:00",
                          " 2027-03-01", "20270301"})
        BOOST_TEST_CONTEXT("--day0 '" << d << "'") {
            const auto r = fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", d}, std::string("'") + d + "'");
            BOOST_TEST(contains(r.err, "--day0"));
        }
    fails(2, {"calendar", "--protocol", "DF-IL2", "--day0", ""}, "--day0");
    fails(2, {"calendar", "--protocol", "DF-IL2"}, "--day0");
}

BOOST_AUTO_TEST_CASE(arm_or_cohort_the_protocol_does_not_have_exits_65) {
    fails(65, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--cohort", "RA"}, "'RA'");
    const auto r = fails(65, {"calendar", "--protocol", "MS-IL2", "--day0", "2027-03-01", "--arm", "IL2-1"}, "'IL2-1'");
    BOOST_TEST(contains(r.err, "IL-2, placebo"));
    fails(65, {"calendar", "--protocol", "TRANSREG", "--day0", "2027-03-01", "--cohort", "SL"}, "'SL'");
    fails(65, {"calendar", "--protocol", "NCT05153070@3", "--day0", "2027-03-01", "--weight", "60"}, "versions: 1, 2");
}

BOOST_AUTO_TEST_CASE(preview_flags_without_protocol_or_with_a_patient_exit_2) {
    fails(2, {"calendar", "--day0", "2027-03-01"}, "--protocol");
    fails(2, {"calendar", "--weight", "60"}, "--protocol");
    fails(2, {"calendar", "P001", "--protocol", "DF-IL2", "--day0", "2027-03-01"}, "P001");
    fails(2, {"calendar", "--protocol", "DF-IL2", "--day0", "2027-03-01", "--frobnicate"}, "--frobnicate");
}

BOOST_AUTO_TEST_SUITE_END()
