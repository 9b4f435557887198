// Issue 13: ids, names, reasons, notes, kit numbers, who acts and every cell
// of an import refuse control and bidirectional characters and bytes that
// are not UTF-8 (trust.md, "Who acts"): each field × each character through
// the real CLI, exit 65, stderr naming the field and the code point, the
// database byte for byte what it was. Stored text that holds such characters
// (written before these checks, or by another program) is shown escaped on a
// terminal and kept exact in JSON.
#include "tests/support/check.hpp"
#include "tests/support/clinic.hpp"
#include "tests/support/run.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <vector>

namespace {

namespace bdata = boost::unit_test::data;
using namespace trialcal::test;
using Args = std::vector<std::string>;

struct Char {
    std::string name;   // what stderr names: U+XXXX, or the byte
    std::string bytes;  // as typed
};
std::ostream& operator<<(std::ostream& os, const Char& c) { return os << c.name; }

const std::vector<Char> chars{
    {"U+0007", "\x07"},           {"U+001B", "\x1b"},           {"U+007F", "\x7f"},
    {"U+0085", "\xc2\x85"},       {"U+200E", "\xe2\x80\x8e"},   {"U+202E", "\xe2\x80\xae"},
    {"U+2066", "\xe2\x81\xa6"},   {"U+2069", "\xe2\x81\xa9"},   {"0xFF", "\xff"},
};

// A field and the command that types `v` into it; `names` is what stderr must say.
struct Field {
    std::string name;
    std::string names;
    Args (*args)(const std::string& v);
    bool user = false;  // v is $TRIALCAL_USER
    std::string csv;    // v goes into this file, written first ({v} replaced)
};
std::ostream& operator<<(std::ostream& os, const Field& f) { return os << f.name; }

Args enroll_t(const std::string& flag, const std::string& v) {
    Args a{"enroll", "Q1", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA"};
    if (flag == "patient") a[1] = v;
    for (std::size_t i = 0; i + 1 < a.size(); ++i)
        if (a[i] == flag) a[i + 1] = v;
    return a;
}

const std::vector<Field> fields{
    {"patient id", "patient", [](const std::string& v) { return enroll_t("patient", v); }},
    {"site", "--site", [](const std::string& v) { return enroll_t("--site", v); }},
    {"protocol id", "--protocol", [](const std::string& v) { return enroll_t("--protocol", v); }},
    {"cohort", "--cohort", [](const std::string& v) { return enroll_t("--cohort", v); }},
    {"site name", "--name",
     [](const std::string& v) { return Args{"site", "add", "X", "--name", v, "--tz", "Europe/Paris"}; }},
    {"site zone", "--tz", [](const std::string& v) { return Args{"site", "add", "X", "--name", "x", "--tz", v}; }},
    {"arm", "--arm",
     [](const std::string& v) {
         return Args{"enroll", "Q2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", v};
     }},
    {"randomization number", "--randomization-number",
     [](const std::string& v) {
         return Args{"enroll", "Q2", "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01",
                     "--randomization-number", v};
     }},
    {"dose patient", "patient", [](const std::string& v) { return Args{"dose", v, "--at", "2027-03-04T09:00"}; }},
    {"dose note", "--note",
     [](const std::string& v) { return Args{"dose", "P001", "--at", "2027-03-04T09:00", "--note", "a" + v}; }},
    {"kit number", "--kit",
     [](const std::string& v) { return Args{"dose", "P001", "--at", "2027-03-04T09:00", "--kit", "K" + v}; }},
    {"dose event id", "--event",
     [](const std::string& v) { return Args{"dose", "P001", "--at", "2027-03-04T09:00", "--event", "IL2-D3" + v}; }},
    {"drug", "--drug",
     [](const std::string& v) { return Args{"dose", "P001", "--at", "2027-03-04T09:00", "--drug", "IL2" + v}; }},
    {"visit event id", "event", [](const std::string& v) { return Args{"visit", "P001", "V-D2" + v, "--at", "2027-03-03"}; }},
    {"skip reason", "--reason",
     [](const std::string& v) { return Args{"skip", "P001", "IL2-D3", "--reason", "ill" + v + "ness"}; }},
    {"void reason", "--reason", [](const std::string& v) { return Args{"void", "R1", "--reason", "twice" + v}; }},
    {"record id", "record", [](const std::string& v) { return Args{"void", "R1" + v, "--reason", "twice"}; }},
    {"shift reason", "--reason",
     [](const std::string& v) { return Args{"shift", "P001", "V-D7", "--days", "1", "--reason", "away" + v}; }},
    {"unblinding reason", "--reason",
     [](const std::string& v) { return Args{"calendar", "P001", "--unblinded", "--reason", "DSMB" + v}; }},
    {"export reason", "--reason",
     [](const std::string& v) {
         return Args{"export", "sdtm", "EX", "--out", "sdtm-out", "--unblinded", "--reason", "DSMB" + v};
     }},
    {"--by", "--by",
     [](const std::string& v) { return Args{"dose", "P001", "--at", "2027-03-04T09:00", "--by", "nurse" + v}; }},
    {"$TRIALCAL_USER", "$TRIALCAL_USER", [](const std::string&) { return Args{"dose", "P001", "--at", "2027-03-04T09:00"}; },
     true},
    {"imported patient", "p.csv:3:3: column patient",
     [](const std::string&) { return Args{"import", "patients", "p.csv"}; }, false,
     "patient,protocol,site,day0,cohort\nQ3,TRANSREG,LYON,2027-03-01,RA\nQ4{v},TRANSREG,LYON,2027-03-01,RA\n"},
    {"imported note", "d.csv:3:5: column note", [](const std::string&) { return Args{"import", "doses", "d.csv"}; }, false,
     "patient,at,drug,note\nP001,2027-03-04T09:00,IL2,\"line 1\nline{v}\"\n"},
    {"imported kit", "d.csv:2:28: column kit", [](const std::string&) { return Args{"import", "doses", "d.csv"}; }, false,
     "patient,at,drug,kit\nP001,2027-03-04T09:00,IL2,K{v}\n"},
    {"randomization list", "r.csv:3:2: column randomization_number",
     [](const std::string&) { return Args{"randomization", "import", "r.csv", "--protocol", "DF-IL2"}; }, false,
     "randomization_number,arm\n1,IL2-1\n2{v},IL2-2\n"},
};

// One patient with a dose (R1); built once: a refusal leaves it as it was.
Clinic& clinic() {
    static Clinic c;
    static const bool seeded = [] {
        c.enroll("P001", "IL2-2");
        c.ok({"dose", "P001", "--at", "2027-03-02T09:00"});
        return true;
    }();
    (void)seeded;
    return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_text_hygiene)

BOOST_DATA_TEST_CASE(every_field_refuses_every_forbidden_character, bdata::make(fields) * bdata::make(chars), field, ch) {
    Clinic& c = clinic();
    const std::string user = c.user;
    if (field.user) c.user = "nurse" + ch.bytes;
    std::string csv_name;
    if (!field.csv.empty()) {
        const Args a = field.args("");
        csv_name = a[0] == "randomization" ? "r.csv" : a[1] == "patients" ? "p.csv" : "d.csv";
        c.dir.write(csv_name, replace_all(field.csv, "{v}", ch.bytes));
    }
    c.refused(65, field.names, field.args(ch.bytes));
    const RunResult r = c.run(field.args(ch.bytes));
    BOOST_TEST(contains(r.err, ch.name), r.err);
    BOOST_TEST(r.out.empty());
    // What was typed is never echoed raw: the message is shown escaped.
    BOOST_TEST(!contains(r.err, ch.bytes), r.err);
    c.user = user;
}

// Stored before these checks (or by another program): shown escaped in a
// table and in messages, exact in JSON (as \uXXXX, so a raw view shows it too).
BOOST_AUTO_TEST_CASE(stored_controls_are_escaped_on_a_terminal_and_exact_in_json) {
    Clinic c;
    c.enroll("P001", "IL2-2");
    c.ok({"dose", "P001", "--at", "2027-03-02T09:00", "--kit", "K1"});
    // What another program could have written into the file.
    c.raw_sql("DROP TRIGGER audit_no_update; UPDATE audit SET reason = 'x' || char(27) || '[31m' || char(8238) || 'y', "
              "by = 'n' || char(8238) || 'urse'");
    const RunResult table = c.run({"audit"});
    BOOST_TEST(table.code == 0, table.err);
    BOOST_TEST(!contains(table.out, "\x1b"), table.out);
    BOOST_TEST(!contains(table.out, "\xe2\x80\xae"), table.out);
    BOOST_TEST(contains(table.out, "n\\u{202E}urse"), table.out);
    const RunResult json = c.run({"audit", "--format", "json"});
    BOOST_TEST(contains(json.out, "\"n\\u202eurse\""), json.out);
    BOOST_TEST(contains(json.out, "x\\u001b[31m\\u202ey"), json.out);
}

// The build's clock (cli/clock.hpp): the tests are a test build, so
// $TRIALCAL_NOW pins the time a write records, and --version says so.
BOOST_AUTO_TEST_CASE(test_build_pins_the_clock_and_says_so) {
    Clinic c;
    const std::string version = c.ok({"--version"});
    BOOST_TEST(contains(version, "clock: test"), version);
    c.enroll("P001", "IL2-2");
    const std::string audit = c.ok_at("2027-03-05T08:07:09Z", {"audit", "--format", "json"});
    c.ok_at("2027-03-05T08:07:09Z", {"dose", "P001", "--at", "2027-03-04T09:00"});
    const std::string after = c.ok({"audit", "--format", "json"});
    BOOST_TEST(contains(after, "2027-03-05T08:07:09Z"), after);
    const RunResult r = c.run({"protocols"});
    BOOST_TEST(!contains(r.err, "TRIALCAL_NOW ignored"), r.err);
}

BOOST_AUTO_TEST_SUITE_END()
