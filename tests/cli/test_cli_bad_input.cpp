// The bad-input battery of issue 6: well over 60 bad inputs through the real
// CLI, as one table. Each refusal asserts the exit code of shared/spec/cli.md
// (1 a rule, 2 usage, 65 bad data, 66 unreadable input, 70 internal), that
// nothing is printed on stdout, that stderr names the value (or
// file:line:column), and that the database file is byte for byte what it was
// (or still absent). The database starts with three enrolled patients, doses,
// a visit, a skip and a void, so "unchanged" means something.
//
// SQL metacharacters and very long values go into every text field. For each,
// the table records which of the two clean outcomes the CLI gives: a refusal
// (65 naming the field) or a success that stores the value verbatim, read back
// through `audit --format json` (parsed strictly: one UTF-8 document) with
// `audit verify` still passing.
#include "tests/support/check.hpp"
#include "tests/support/clinic.hpp"
#include "tests/support/run.hpp"

#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <ostream>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;
using namespace trialcal::test;
using Args = std::vector<std::string>;

// ---------------------------------------------------------------- the table

enum class Db {
    seeded,          // the seeded trialcal database
    absent,          // no file at all
    random_bytes,    // 8 KiB of noise
    foreign_sqlite,  // an SQLite database of another application (application_id 1)
    newer_schema,    // a copy of the seed with PRAGMA user_version = 99
    empty_file,      // a 0-byte file (`touch trialcal.db`)
    directory,       // the path is a folder
    read_only,       // the seed, made unwritable (chattr +i, or run as nobody)
};

enum class Outcome {
    refused,  // exit `code`, stderr names every string of `names`, database unchanged
    stored,   // exit 0, `names[0]` reads back verbatim from the audit trail
};

struct Case {
    std::string name;
    Args args;                       // "{dir}": the case's folder, "{db}": the database path
    int code = 0;                    // the exit code of a refusal
    std::vector<std::string> names;  // refused: stderr contains each; stored: the value stored
    Outcome outcome = Outcome::refused;
    Db db = Db::seeded;
    std::vector<std::pair<std::string, std::string>> files;  // written into {dir} first
    bool anonymous = false;                                  // no $TRIALCAL_USER
    Args readback;  // stored: a command whose JSON "patient" must be the value

    Case& on(Db d) { db = d; return *this; }
    Case& with_file(std::string file, std::string text) { files.emplace_back(std::move(file), std::move(text)); return *this; }
    Case& without_user() { anonymous = true; return *this; }
    Case& read_back(Args a) { readback = std::move(a); return *this; }
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

Case refuse(std::string name, int code, std::vector<std::string> names, Args args) {
    Case c;
    c.name = std::move(name);
    c.code = code;
    c.names = std::move(names);
    c.args = std::move(args);
    return c;
}

Case store(std::string name, std::string value, Args args) {
    Case c;
    c.name = std::move(name);
    c.names = {std::move(value)};
    c.args = std::move(args);
    c.outcome = Outcome::stored;
    return c;
}

// A value that marks a flag for removal in `with`.
const std::string drop = "\x01drop";

// `base` with each flag set to a new value (appended when absent, removed
// when the value is `drop`).
Args with(Args base, std::initializer_list<std::pair<std::string, std::string>> changes) {
    for (const auto& [flag, value] : changes) {
        bool found = false;
        for (std::size_t i = 0; i + 1 < base.size(); ++i)
            if (base[i] == flag) {
                found = true;
                if (value == drop) base.erase(base.begin() + static_cast<long>(i), base.begin() + static_cast<long>(i) + 2);
                else base[i + 1] = value;
                break;
            }
        if (!found && value != drop) {
            base.push_back(flag);
            base.push_back(value);
        }
    }
    return base;
}

Args enroll_transreg(const std::string& patient, std::initializer_list<std::pair<std::string, std::string>> changes = {}) {
    return with({"enroll", patient, "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA"},
                changes);
}
Args enroll_dfil2(const std::string& patient, std::initializer_list<std::pair<std::string, std::string>> changes = {}) {
    return with({"enroll", patient, "--protocol", "DF-IL2", "--site", "PSL", "--day0", "2027-03-01", "--arm", "IL2-1"},
                changes);
}
Args enroll_nct(const std::string& patient, std::initializer_list<std::pair<std::string, std::string>> changes = {}) {
    return with({"enroll", patient, "--protocol", "NCT05153070", "--site", "PSL", "--day0", "2027-03-01", "--arm",
                 "placebo", "--weight", "60"},
                changes);
}
// P001 (DF-IL2, day 0 2027-03-01): IL2-D3 on 03-04 is free, so the plain dose would succeed.
Args dose_p001(std::initializer_list<std::pair<std::string, std::string>> changes = {}) {
    return with({"dose", "P001", "--at", "2027-03-04T09:00"}, changes);
}

const std::string sql = "'; DROP TABLE record; --";
// SQL metacharacters with no space, so that id checks (no spaces) let them in.
const std::string sql_id = "x');DROP/**/TABLE/**/record;--\"\\";
const std::string quotes = "'; DROP TABLE record; -- \"quoted\" \\back\\slash O'Brien %_ ; --";
std::string long_value(char first) { return first + std::string(9999, 'x'); }
std::string prefix(const std::string& s) { return s.substr(0, 40); }

const std::string good_doses = "patient,at,drug\nP001,2027-03-04T09:00,IL2\n";
const std::string bad_toml = "[protocol\nid = \"X\"\n";

std::string dfil2_toml_with(const std::string& from, const std::string& to) {
    return replace_all(slurp(source_calendars() / "df-il2.toml"), from, to);
}

std::string binary_bytes(std::size_t n, unsigned seed) {
    std::mt19937 gen(seed);
    std::string out(n, '\0');
    for (auto& ch : out) ch = static_cast<char>(gen() & 0xff);
    return out;
}

std::vector<Case> battery() {
    std::vector<Case> t;
    auto add = [&](Case c) { t.push_back(std::move(c)); };

    // ------------------------------------------------ malformed and impossible dates and times (65)
    const auto at = [&](const std::string& name, const std::string& value) {
        add(refuse("dose --at " + name, 65, {"--at: '" + value + "'"}, dose_p001({{"--at", value}})));
    };
    at("29 February of a common year", "2027-02-29T09:00");
    at("month 13", "2027-13-01T09:00");
    at("day 32", "2027-03-32T09:00");
    at("24:00", "2027-03-04T24:00");
    at("minute 60", "2027-03-04T09:60");
    at("second 60", "2027-03-04T09:00:60");
    at("one-digit month", "2027-3-4T09:00");
    at("one-digit hour", "2027-03-04T9:00");
    at("trailing garbage", "2027-03-04T09:00xyz");
    at("trailing space", "2027-03-04T09:00 ");
    at("empty", "");
    at("a date without a time", "2027-03-04");
    at("impossible offset", "2027-03-04T09:00+25:00");
    at("day-first date", "04/03/2027 09:00");
    add(refuse("dose --at in the spring-forward gap", 65, {"2027-03-28T02:30 does not exist in Europe/Paris"},
               dose_p001({{"--at", "2027-03-28T02:30"}})));
    add(refuse("visit --at 29 February", 65, {"--at: '2027-02-29'"}, {"visit", "P001", "V-D1", "--at", "2027-02-29"}));
    add(refuse("visit --at trailing space", 65, {"--at: '2027-03-02 '"}, {"visit", "P001", "V-D1", "--at", "2027-03-02 "}));
    add(refuse("visit --at empty", 65, {"--at: ''"}, {"visit", "P001", "V-D1", "--at", ""}));
    add(refuse("visit --at with a time", 65, {"--at: '2027-03-02T09:00'"},
               {"visit", "P001", "V-D1", "--at", "2027-03-02T09:00"}));
    add(refuse("enroll --day0 30 February", 65, {"--day0: '2027-02-30'"}, enroll_transreg("Q1", {{"--day0", "2027-02-30"}})));
    add(refuse("enroll --day0 one-digit month", 65, {"--day0: '2027-3-1'"}, enroll_transreg("Q1", {{"--day0", "2027-3-1"}})));
    add(refuse("enroll --day0 empty", 65, {"--day0: ''"}, enroll_transreg("Q1", {{"--day0", ""}})));
    add(refuse("report --as-of 29 February", 65, {"--as-of: '2027-02-29'"},
               {"report", "compliance", "--as-of", "2027-02-29"}));
    add(refuse("due --from month 13", 65, {"--from: '2027-13-01'"}, {"due", "--from", "2027-13-01"}));
    add(refuse("calendar preview --day0 month 0", 65, {"--day0: '2027-00-10'"},
               {"calendar", "--protocol", "DF-IL2", "--day0", "2027-00-10"}));

    // ------------------------------------------------ unknown patients, protocols, versions, arms, cohorts, events, records (65)
    add(refuse("dose for an unknown patient", 65, {"unknown patient 'NOPE'"}, {"dose", "NOPE", "--at", "2027-03-04T09:00"}));
    add(refuse("visit of an unknown patient", 65, {"unknown patient 'NOPE'"}, {"visit", "NOPE", "V-D1", "--at", "2027-03-02"}));
    add(refuse("skip for an unknown patient", 65, {"unknown patient 'NOPE'"}, {"skip", "NOPE", "IL2-D3", "--reason", "x"}));
    add(refuse("calendar of an unknown patient", 65, {"unknown patient 'NOPE'"}, {"calendar", "NOPE"}));
    add(refuse("audit --patient unknown", 65, {"--patient: unknown patient 'NOPE'"}, {"audit", "--patient", "NOPE"}));
    add(refuse("report --patient unknown", 65, {"unknown patient 'NOPE'"}, {"report", "compliance", "--patient", "NOPE"}));
    add(refuse("report --protocol unknown", 65, {"NOPE"}, {"report", "compliance", "--protocol", "NOPE"}));
    add(refuse("enroll in an unknown protocol", 65, {"unknown protocol 'NOPE'"}, enroll_transreg("Q1", {{"--protocol", "NOPE"}})));
    add(refuse("enroll in an unknown version", 65, {"unknown version '7'"}, enroll_transreg("Q1", {{"--protocol", "TRANSREG@7"}})));
    add(refuse("enroll in an unknown arm", 65, {"unknown arm 'IL2-9'"}, enroll_dfil2("Q1", {{"--arm", "IL2-9"}})));
    add(refuse("enroll in an unknown cohort", 65, {"unknown cohort 'XYZ'"}, enroll_transreg("Q1", {{"--cohort", "XYZ"}})));
    add(refuse("enroll with a cohort the protocol has not", 65, {"--cohort", "'SLE'"}, enroll_dfil2("Q1", {{"--cohort", "SLE"}})));
    add(refuse("enroll with an arm the protocol has not", 65, {"--arm", "'IL2-1'"}, enroll_transreg("Q1", {{"--arm", "IL2-1"}})));
    add(refuse("a site in an unknown time zone", 65, {"'Mars/Olympus'"},
               {"site", "add", "MARS", "--name", "Olympus", "--tz", "Mars/Olympus"}));
    add(refuse("enroll at an unknown site", 65, {"--site: unknown site 'MARS' (sites: LYO, LYON, PSL)"},
               enroll_transreg("Q1", {{"--site", "MARS"}})));
    add(refuse("enroll with an unknown randomization number", 65, {"--randomization-number 7"},
               enroll_dfil2("Q1", {{"--arm", drop}, {"--randomization-number", "7"}})));
    add(refuse("protocol show unknown", 65, {"unknown protocol 'NOPE'"}, {"protocol", "show", "NOPE"}));
    add(refuse("calendar preview of an unknown protocol", 65, {"unknown protocol 'NOPE'"},
               {"calendar", "--protocol", "NOPE", "--day0", "2027-03-01"}));
    add(refuse("dose --event unknown", 65, {"unknown event 'IL2-D9'"}, dose_p001({{"--event", "IL2-D9"}})));
    add(refuse("dose --event that is a visit", 65, {"V-D1 is a visit"}, dose_p001({{"--event", "V-D1"}})));
    add(refuse("visit of an unknown event", 65, {"unknown event 'V-D99'"}, {"visit", "P001", "V-D99", "--at", "2027-03-02"}));
    add(refuse("visit of a dose event", 65, {"IL2-D2 is a dose"}, {"visit", "P001", "IL2-D2", "--at", "2027-03-03"}));
    add(refuse("skip of an unknown event", 65, {"unknown event 'NOPE-1'"}, {"skip", "P001", "NOPE-1", "--reason", "x"}));
    add(refuse("void an unknown record", 65, {"unknown record 'R999'"}, {"void", "R999", "--reason", "x"}));
    add(refuse("void a record id that is not one", 65, {"'Rx' is not a record id"}, {"void", "Rx", "--reason", "x"}));
    add(refuse("void R0", 65, {"'R0' is not a record id"}, {"void", "R0", "--reason", "x"}));
    add(refuse("void -1", 65, {"'-1' is not a record id"}, {"void", "-1", "--reason", "x"}));
    add(refuse("dose --drug unknown", 65, {"--drug: 'penicillin'"}, dose_p001({{"--drug", "penicillin"}})));

    // ------------------------------------------------ duplicates and rules (1)
    add(refuse("enroll a patient twice", 1, {"patient 'P001' is already enrolled"}, enroll_transreg("P001")));
    add(refuse("dose at the minute of a live dose", 1, {"--at 2027-03-02T09:00: duplicate of record R1"},
               dose_p001({{"--at", "2027-03-02T09:00"}})));
    add(refuse("dose at the minute of a live dose, in UTC", 1, {"duplicate of record R1"},
               dose_p001({{"--at", "2027-03-02T08:00Z"}})));
    add(refuse("visit recorded twice", 1, {"visit V-D0 is already recorded"}, {"visit", "P001", "V-D0", "--at", "2027-03-01"}));
    add(refuse("skip a dose that was given", 1, {"dose IL2-D1 was given (R1)"}, {"skip", "P001", "IL2-D1", "--reason", "x"}));
    add(refuse("skip twice", 1, {"IL2-D5 is already skipped"}, {"skip", "P001", "IL2-D5", "--reason", "x"}));
    add(refuse("skip a visit that was done", 1, {"visit V-D0 was done"}, {"skip", "P001", "V-D0", "--reason", "x"}));
    add(refuse("void twice", 1, {"R5 is already voided"}, {"void", "R5", "--reason", "again"}));
    add(refuse("dose --event that was skipped", 1, {"--event IL2-D5 was skipped"}, dose_p001({{"--event", "IL2-D5"}})));
    add(refuse("dose --event of another drug", 1, {"--event ILT101-D63 is a dose of ILT-101 or placebo"},
               {"dose", "N001", "--drug", "ciclosporin", "--at", "2027-03-03T08:00", "--event", "ILT101-D63"}));
    add(refuse("dose before day 0", 1, {"--at 2027-02-28T09:00: before day 0"}, dose_p001({{"--at", "2027-02-28T09:00"}})));
    // Years outside 1900-2199 are typing mistakes, refused as data before any rule (issue 14).
    add(refuse("dose in year 0", 65, {"--at: '0000-01-01T00:00': '0000-01-01' is outside 1900-01-01 to 2199-12-31"},
               dose_p001({{"--at", "0000-01-01T00:00"}})));
    add(refuse("dose in the future at the site", 65, {"--at 2027-03-10T13:01: in the future"},
               dose_p001({{"--at", "2027-03-10T13:01"}})));
    add(refuse("dose on the last day of year 9999", 65, {"--at: '9999-12-31T23:59': '9999-12-31' is outside 1900-01-01"},
               dose_p001({{"--at", "9999-12-31T23:59"}})));
    add(refuse("dose --at in the hour repeated in autumn", 65, {"2027-10-31T02:30", "+02:00", "+01:00"},
               dose_p001({{"--at", "2027-10-31T02:30"}})));
    add(refuse("visit before day 0", 1, {"--at 2027-02-27: before day 0"}, {"visit", "P001", "V-D1", "--at", "2027-02-27"}));
    add(refuse("visit in the future", 1, {"--at 2027-03-16: more than a day in the future"},
               {"visit", "P001", "V-D15", "--at", "2027-03-16"}));
    add(refuse("import patients: the same patient twice in a file", 1, {"twice.csv:3: patient 'Q1' is already enrolled"},
               {"import", "patients", "{dir}/twice.csv"})
            .with_file("twice.csv", "patient,protocol,site,day0,cohort\nQ1,TRANSREG,LYON,2027-03-01,RA\n"
                                    "Q1,TRANSREG,LYON,2027-03-01,RA\n"));
    add(refuse("import patients: a patient already in the database", 1, {"again.csv:2: patient 'P001' is already enrolled"},
               {"import", "patients", "{dir}/again.csv"})
            .with_file("again.csv", "patient,protocol,site,day0,cohort\nP001,TRANSREG,LYON,2027-03-01,RA\n"));
    add(refuse("import doses: the same minute twice in a file", 1,
               {"dup.csv:3: column at 2027-03-04T09:00: duplicate of line 2 of this file"},
               {"import", "doses", "{dir}/dup.csv"})
            .with_file("dup.csv", "patient,at,drug\nP001,2027-03-04T09:00,IL2\nP001,2027-03-04T09:00,IL2\n"));
    add(refuse("import doses: at now", 65, {"now.csv:2: column at: 'now' is for trialcal dose"},
               {"import", "doses", "{dir}/now.csv"})
            .with_file("now.csv", "patient,at,drug\nP001,now,IL2\n"));
    add(refuse("import doses: the minute of a live dose", 1, {"again.csv:2: column at 2027-03-02T09:00: duplicate of record R1"},
               {"import", "doses", "{dir}/again.csv"})
            .with_file("again.csv", "patient,at,drug\nP001,2027-03-02T09:00,IL2\n"));
    add(refuse("import doses: the same event twice in a file", 1,
               {"twice.csv:3: column event IL2-D3 is already named by line 2 of this file"},
               {"import", "doses", "{dir}/twice.csv"})
            .with_file("twice.csv", "patient,at,drug,event\nP001,2027-03-04T09:00,IL2,IL2-D3\n"
                                    "P001,2027-03-04T10:00,IL2,IL2-D3\n"));

    // ------------------------------------------------ amounts, weights, units (65)
    const auto amount = [&](const std::string& name, const std::string& value, const std::string& names) {
        add(refuse("dose --amount " + name, 65, {names}, dose_p001({{"--amount", value}})));
    };
    amount("negative", "-1 MIU", "--amount: '-1 MIU' is not a possible amount");
    amount("absurd", "1e9 MIU", "--amount: '1e9 MIU' is not a possible amount");
    amount("NaN", "nan MIU", "--amount: 'nan MIU'");
    amount("infinite", "inf MIU", "--amount: 'inf MIU'");
    amount("not a number", "abc MIU", "--amount: 'abc MIU'");
    amount("decimal comma", "1,5 MIU", "--amount: '1,5 MIU'");
    amount("without a unit", "1", "--amount: '1'");
    amount("in the wrong unit", "1 mg", "--amount: unit 'mg'");
    amount("in the wrong case", "1 miu", "--amount: unit 'miu'");
    add(refuse("ciclosporin --amount in ml", 65, {"--amount: unit 'ml'"},
               {"dose", "N001", "--drug", "ciclosporin", "--amount", "1 ml", "--at", "2027-03-03T08:00"}));
    const auto weight = [&](const std::string& name, const std::string& value, const std::string& names) {
        add(refuse("enroll --weight " + name, 65, {names}, enroll_nct("Q1", {{"--weight", value}})));
    };
    weight("negative", "-60", "--weight: impossible weight '-60'");
    weight("zero", "0", "--weight: impossible weight '0'");
    weight("absurd", "5000", "--weight: impossible weight '5000'");
    weight("too light for any dose", "0.1", "--weight: impossible weight '0.1'");
    weight("NaN", "NaN", "--weight: 'NaN' is not a number");
    weight("with its unit", "60kg", "--weight: '60kg' is not a number");
    weight("out of double range", "1e400", "--weight: '1e400' is not a number");
    add(refuse("import doses: a negative amount", 65, {"neg.csv:2: column amount: '-1 MIU'"},
               {"import", "doses", "{dir}/neg.csv"})
            .with_file("neg.csv", "patient,at,drug,amount,unit\nP001,2027-03-04T09:00,IL2,-1,MIU\n"));
    add(refuse("import doses: an amount without its unit", 65, {"half.csv:2: amount and unit go together"},
               {"import", "doses", "{dir}/half.csv"})
            .with_file("half.csv", "patient,at,drug,amount\nP001,2027-03-04T09:00,IL2,1\n"));
    add(refuse("import patients: a weight that is not a number", 65, {"w.csv:2: column weight_kg: 'abc'"},
               {"import", "patients", "{dir}/w.csv"})
            .with_file("w.csv", "patient,protocol,site,day0,arm,weight_kg\nQ1,NCT05153070,PSL,2027-03-01,placebo,abc\n"));

    // ------------------------------------------------ CSV files (65, 66)
    const auto doses_csv = [&](const std::string& name, const std::string& file, const std::string& text,
                               const std::string& names) {
        add(refuse("import doses: " + name, 65, {names}, {"import", "doses", "{dir}/" + file}).with_file(file, text));
    };
    doses_csv("a missing column", "cols.csv", "patient,at\nP001,2027-03-04T09:00\n", "cols.csv:1:1: missing column 'drug'");
    doses_csv("an extra column", "extra.csv", "patient,at,drug,colour\nP001,2027-03-04T09:00,IL2,red\n",
              "extra.csv:1:1: unknown column 'colour'");
    doses_csv("a column twice", "dup.csv", "patient,at,drug,at\nP001,2027-03-04T09:00,IL2,x\n",
              "dup.csv:1:1: column 'at' appears twice");
    doses_csv("a row with a cell too few", "short.csv", "patient,at,drug\nP001,2027-03-04T09:00\n",
              "short.csv:2:1: row has 2 cells, the header 3");
    doses_csv("a row with a cell too many", "long.csv", "patient,at,drug\nP001,2027-03-04T09:00,IL2,more\n",
              "long.csv:2:1: row has 4 cells, the header 3");
    doses_csv("a quoted field never closed", "open.csv", "patient,at,drug\nP001,\"2027-03-04T09:00,IL2\n",
              "open.csv:2:6: a quoted field is never closed");
    doses_csv("a quote inside an unquoted field", "stray.csv", "patient,at,drug\nP001,20\"27-03-04T09:00,IL2\n",
              "stray.csv:2:8: a quote inside an unquoted field");
    doses_csv("text after a closing quote", "after.csv", "patient,at,drug\nP001,\"2027-03-04T09:00\"x,IL2\n",
              "after.csv:2:24: unexpected text after a closing quote");
    doses_csv("an empty file", "empty.csv", "", "empty.csv:1:1: empty file");
    doses_csv("a BOM and nothing else", "bom.csv", "\xEF\xBB\xBF", "bom.csv:1:1: empty file");
    doses_csv("blank lines only", "blank.csv", "\n\r\n\n", "blank.csv:1:1: empty file");
    doses_csv("a header and no rows", "header.csv", "patient,at,drug\n", "header.csv: no rows below the header");
    doses_csv("a bad row in the middle", "mid.csv",
              "patient,at,drug\nP001,2027-03-04T09:00,IL2\nP001,2027-03-04T25:00,IL2\nP001,2027-03-05T09:00,IL2\n",
              "mid.csv:3: column at: '2027-03-04T25:00' is not a time of day");
    doses_csv("an unknown patient in the middle", "who.csv",
              "patient,at,drug\nP001,2027-03-04T09:00,IL2\nP9,2027-03-05T09:00,IL2\nP001,2027-03-05T09:00,IL2\n",
              "who.csv:3: unknown patient 'P9'");
    doses_csv("binary noise", "noise.csv", binary_bytes(3000, 6), "noise.csv:");
    add(refuse("import patients: a missing column", 65, {"cols.csv:1:1: missing column 'day0'"},
               {"import", "patients", "{dir}/cols.csv"})
            .with_file("cols.csv", "patient,protocol,site\nQ1,TRANSREG,LYON\n"));
    add(refuse("import patients: a bad row in the middle", 65, {"mid.csv:3: column day0: '2027-02-30'"},
               {"import", "patients", "{dir}/mid.csv"})
            .with_file("mid.csv", "patient,protocol,site,day0,cohort\nQ1,TRANSREG,LYON,2027-03-01,RA\n"
                                  "Q2,TRANSREG,LYON,2027-02-30,RA\nQ3,TRANSREG,LYON,2027-03-01,RA\n"));
    add(refuse("import doses: a file that does not exist", 66, {"{dir}/missing.csv"},
               {"import", "doses", "{dir}/missing.csv"}));
    add(refuse("import patients: a folder, not a file", 65, {"{dir}/folder.csv: not a regular file but a directory"},
               {"import", "patients", "{dir}/folder.csv"})
            .with_file("folder.csv/", ""));

    // ------------------------------------------------ malformed protocol files (65, 66)
    add(refuse("--calendars: a TOML syntax error", 65, {"bad.toml:1:10"},
               with(enroll_transreg("Q1"), {{"--calendars", "{dir}/cal"}}))
            .with_file("cal/bad.toml", bad_toml));
    add(refuse("--calendars: a protocol without an id", 65, {"noid.toml:1:1: protocol.id"},
               with(enroll_transreg("Q1"), {{"--calendars", "{dir}/cal"}}))
            .with_file("cal/noid.toml", "[protocol]\nversion = \"1\"\n"));
    add(refuse("--calendars: a number out of range", 65, {"df.toml:", "every_days: 0 is out of range"},
               with(enroll_dfil2("Q1"), {{"--calendars", "{dir}/cal"}}))
            .with_file("cal/df.toml", dfil2_toml_with("every_days = 1", "every_days = 0")));
    add(refuse("--calendars: a string where a number goes", 65, {"df.toml:", "first_day: expected an integer"},
               with(enroll_dfil2("Q1"), {{"--calendars", "{dir}/cal"}}))
            .with_file("cal/df.toml", dfil2_toml_with("first_day = 1", "first_day = \"one\"")));
    add(refuse("--calendars: one protocol version in two files", 65, {"protocol DF-IL2 version 1 is also defined in"},
               with(enroll_dfil2("Q1"), {{"--calendars", "{dir}/cal"}}))
            .with_file("cal/a.toml", slurp(source_calendars() / "df-il2.toml"))
            .with_file("cal/b.toml", slurp(source_calendars() / "df-il2.toml")));
    add(refuse("--calendars: binary noise", 65, {"noise.toml:1:1"}, with(enroll_transreg("Q1"), {{"--calendars", "{dir}/cal"}}))
            .with_file("cal/noise.toml", "\xff\xfe" + binary_bytes(500, 7)));
    add(refuse("--calendars: a folder that does not exist", 66, {"{dir}/nowhere: protocol folder not found"},
               with(enroll_transreg("Q1"), {{"--calendars", "{dir}/nowhere"}})));
    add(refuse("import patients with a broken protocol folder", 65, {"bad.toml:1:10"},
               {"import", "patients", "{dir}/p.csv", "--calendars", "{dir}/cal"})
            .with_file("cal/bad.toml", bad_toml)
            .with_file("p.csv", "patient,protocol,site,day0,cohort\nQ1,TRANSREG,LYON,2027-03-01,RA\n"));
    add(refuse("protocol check: a TOML syntax error", 65, {"bad.toml:1:10"}, {"protocol", "check", "{dir}/bad.toml"})
            .with_file("bad.toml", bad_toml));
    add(refuse("protocol check: a file that does not exist", 66, {"{dir}/missing.toml"},
               {"protocol", "check", "{dir}/missing.toml"}));

    // ------------------------------------------------ databases that are not (or no longer) usable
    const Args a_dose = dose_p001();
    add(refuse("database of random bytes: a write", 65, {"{db}: not a trialcal database"}, a_dose).on(Db::random_bytes));
    add(refuse("database of random bytes: a read", 65, {"{db}: not a trialcal database"}, {"audit"}).on(Db::random_bytes));
    add(refuse("another program's SQLite database: a write", 65, {"{db}: not a trialcal database (application_id 0x1)"},
               a_dose)
            .on(Db::foreign_sqlite));
    add(refuse("another program's SQLite database: an enrollment", 65, {"{db}: not a trialcal database"},
               enroll_transreg("Q1"))
            .on(Db::foreign_sqlite));
    add(refuse("another program's SQLite database: audit verify", 65, {"{db}: not a trialcal database"},
               {"audit", "verify"})
            .on(Db::foreign_sqlite));
    add(refuse("a newer schema: a write", 65, {"{db}: written by a newer trialcal (schema 99"}, a_dose).on(Db::newer_schema));
    add(refuse("a newer schema: a report", 65, {"{db}: written by a newer trialcal (schema 99"},
               {"report", "compliance", "--format", "json"})
            .on(Db::newer_schema));
    // `touch trialcal.db`, then a dose: the file holds no patient, and must stay as it was.
    add(refuse("an empty database file: a dose", 65, {"unknown patient 'P001'"}, a_dose).on(Db::empty_file));
    add(refuse("an empty database file: a read", 65, {"{db}: an empty file"}, {"audit"}).on(Db::empty_file));
    // A folder where the database should be cannot be read: 66, like any unreadable input.
    add(refuse("a folder as the database: a read", 66, {"{db}"}, {"audit"}).on(Db::directory));
    // No code of cli.md is meant for "cannot write the database"; like a full
    // disk (test_cli_disk_full), it is 70, naming the file.
    add(refuse("a read-only database: a dose", 70, {"{db}: cannot write the database"}, a_dose).on(Db::read_only));
    add(refuse("a read-only database: an enrollment", 70, {"{db}: cannot write the database"}, enroll_transreg("Q1"))
            .on(Db::read_only));
    add(refuse("no database: a dose", 65, {"unknown patient 'P001'", "no trialcal database at {db}"}, a_dose).on(Db::absent));
    add(refuse("no database: a visit", 65, {"unknown patient 'P001'"}, {"visit", "P001", "V-D1", "--at", "2027-03-02"})
            .on(Db::absent));
    add(refuse("no database: a void", 65, {"unknown record 'R1'"}, {"void", "R1", "--reason", "x"}).on(Db::absent));
    add(refuse("no database: import doses", 65, {"d.csv: no patient is enrolled yet"}, {"import", "doses", "{dir}/d.csv"})
            .on(Db::absent)
            .with_file("d.csv", good_doses));
    add(refuse("no database: audit", 66, {"{db}"}, {"audit"}).on(Db::absent));

    // ------------------------------------------------ SQL metacharacters in every text field
    add(refuse("SQL in a new patient id", 65, {"patient '" + sql + "' may not contain spaces"}, enroll_transreg(sql)));
    add(refuse("SQL as the patient of a dose", 65, {"unknown patient '" + sql + "'"}, {"dose", sql, "--at", "2027-03-04T09:00"}));
    add(refuse("SQL as the patient of a visit", 65, {"unknown patient '" + sql + "'"}, {"visit", sql, "V-D1", "--at", "2027-03-02"}));
    add(refuse("SQL in --site", 65, {"--site '" + sql + "'"}, enroll_transreg("Q1", {{"--site", sql}})));
    add(refuse("SQL in --drug", 65, {"--drug: '" + sql + "'"}, dose_p001({{"--drug", sql}})));
    add(refuse("SQL in --event", 65, {"unknown event '" + sql + "'"}, dose_p001({{"--event", sql}})));
    add(refuse("SQL as a visit event", 65, {"unknown event '" + sql + "'"}, {"visit", "P001", sql, "--at", "2027-03-02"}));
    add(refuse("SQL in --cohort", 65, {"unknown cohort '" + sql + "'"}, enroll_transreg("Q1", {{"--cohort", sql}})));
    add(refuse("SQL in --arm", 65, {"unknown arm '" + sql + "'"}, enroll_dfil2("Q1", {{"--arm", sql}})));
    add(refuse("SQL in --tz", 65, {"--tz: '" + sql + "'"}, {"site", "add", "X", "--name", "x", "--tz", sql}));
    add(refuse("SQL in --protocol", 65, {"unknown protocol '" + sql + "'"}, enroll_transreg("Q1", {{"--protocol", sql}})));
    add(refuse("SQL as a record id", 65, {"'" + sql + "' is not a record id"}, {"void", sql, "--reason", "x"}));
    add(refuse("SQL in audit --patient", 65, {"unknown patient '" + sql + "'"}, {"audit", "--patient", sql}));
    add(refuse("SQL in an imported patient id", 65, {"sql.csv:2: column patient", sql},
               {"import", "patients", "{dir}/sql.csv"})
            .with_file("sql.csv", "patient,protocol,site,day0,cohort\n\"" + replace_all(sql, "\"", "\"\"") +
                                      "\",TRANSREG,LYON,2027-03-01,RA\n"));

    // ------------------------------------------------ very long values (10 000 characters) in every text field
    const std::string lp = long_value('P'), ls = long_value('S'), ln = long_value('N'), lk = long_value('K'),
                      lr = long_value('R'), ld = long_value('D'), le = long_value('E'), lc = long_value('C'),
                      lz = long_value('Z'), lo = long_value('O'), lx = long_value('X');
    add(refuse("a long new patient id", 65, {"patient '" + prefix(lp), "1 to 64 characters"}, enroll_transreg(lp)));
    add(refuse("a long patient id for a dose", 65, {"unknown patient '" + prefix(lp)}, {"dose", lp, "--at", "2027-03-04T09:00"}));
    add(refuse("a long --site", 65, {"--site '" + prefix(ls), "1 to 64 characters"}, enroll_transreg("Q1", {{"--site", ls}})));
    add(refuse("a long --note", 65, {"--note is 10000 bytes long, more than 2000"}, dose_p001({{"--note", ln}})));
    add(refuse("a long --kit", 65, {"--kit is 10000 bytes long, more than 200"}, dose_p001({{"--kit", lk}})));
    add(refuse("a long skip --reason", 65, {"--reason is 10000 bytes long"}, {"skip", "P001", "IL2-D3", "--reason", lr}));
    add(refuse("a long void --reason", 65, {"--reason is 10000 bytes long"}, {"void", "R1", "--reason", lr}));
    add(refuse("a long --drug", 65, {"--drug: '" + prefix(ld)}, dose_p001({{"--drug", ld}})));
    add(refuse("a long --event", 65, {"unknown event '" + prefix(le)}, dose_p001({{"--event", le}})));
    add(refuse("a long --cohort", 65, {"unknown cohort '" + prefix(lc)}, enroll_transreg("Q1", {{"--cohort", lc}})));
    add(refuse("a long --tz", 65, {"--tz: '" + prefix(lz)}, {"site", "add", "X", "--name", "x", "--tz", lz}));
    add(refuse("a long site --name", 65, {"--name is 10000 bytes long, more than 200"},
               {"site", "add", "X", "--name", long_value('M'), "--tz", "Europe/Paris"}));
    add(refuse("a long --protocol", 65, {"unknown protocol '" + prefix(lo)}, enroll_transreg("Q1", {{"--protocol", lo}})));
    add(refuse("a long --randomization-number", 65, {"--randomization-number '" + prefix(lx)},
               enroll_dfil2("Q1", {{"--arm", drop}, {"--randomization-number", lx}})));
    add(refuse("a long note in an imported dose", 65, {"ln.csv:2: column note is 10000 bytes long"},
               {"import", "doses", "{dir}/ln.csv"})
            .with_file("ln.csv", "patient,at,drug,note\nP001,2027-03-04T09:00,IL2," + ln + "\n"));

    // ------------------------------------------------ other unprintable ids and text
    add(refuse("an empty patient id", 65, {"patient '' must be 1 to 64 characters"}, enroll_transreg("")));
    add(refuse("a tab in a patient id", 65, {"patient: control character U+0009 at character 2"},
               enroll_transreg("Q\t1")));
    // JSON goes out as UTF-8 (cli.md): bytes that are not UTF-8 cannot be
    // stored verbatim and still read back as JSON, so they must be refused.
    add(refuse("a patient id that is not UTF-8", 65, {"patient"}, enroll_transreg("Q\xff\xfe")));
    add(refuse("a --note that is not UTF-8", 65, {"--note"}, dose_p001({{"--note", "bad \xff\xfe bytes"}})));
    add(refuse("a --by that is not UTF-8", 65, {"--by"}, dose_p001({{"--by", "nurse\xff"}})));

    // ------------------------------------------------ usage (2)
    add(refuse("a dose with no one acting", 2, {"--by"}, dose_p001()).without_user());
    add(refuse("an enrollment with no one acting", 2, {"--by"}, enroll_transreg("Q1")).without_user());
    add(refuse("import patients with no one acting", 2, {"--by"}, {"import", "patients", "{dir}/p.csv"})
            .without_user()
            .with_file("p.csv", "patient,protocol,site,day0,cohort\nQ1,TRANSREG,LYON,2027-03-01,RA\n"));
    add(refuse("an empty --by with no one acting", 2, {"--by"}, dose_p001({{"--by", ""}})).without_user());
    add(refuse("--by without its value", 2, {"--by"}, {"dose", "P001", "--at", "2027-03-04T09:00", "--by"}));
    add(refuse("an unknown command", 2, {"frobnicate"}, {"frobnicate"}));
    add(refuse("no command", 2, {"subcommand"}, {}));
    add(refuse("import without what to import", 2, {"subcommand"}, {"import"}));
    add(refuse("an unknown flag on enroll", 2, {"--bogus"}, with(enroll_transreg("Q1"), {{"--bogus", "1"}})));
    add(refuse("an unknown flag on dose", 2, {"--frobnicate"}, dose_p001({{"--frobnicate", "x"}})));
    add(refuse("dose without --at", 2, {"--at"}, {"dose", "P001"}));
    add(refuse("dose with --at and no value", 2, {"--at"}, {"dose", "P001", "--at"}));
    add(refuse("enroll without --site", 2, {"--site"}, enroll_transreg("Q1", {{"--site", drop}})));
    add(refuse("enroll without a patient", 2, {"patient"}, {"enroll", "--protocol", "TRANSREG", "--site", "LYON", "--day0",
                                                           "2027-03-01", "--cohort", "RA"}));
    add(refuse("visit without its event", 2, {"event"}, {"visit", "P001", "--at", "2027-03-02"}));
    add(refuse("skip without --reason", 2, {"--reason"}, {"skip", "P001", "IL2-D3"}));
    add(refuse("skip with an empty --reason", 2, {"--reason"}, {"skip", "P001", "IL2-D3", "--reason", ""}));
    add(refuse("void without a record", 2, {"record"}, {"void", "--reason", "x"}));
    add(refuse("a dose of a two-drug protocol without --drug", 2, {"--drug"}, {"dose", "N001", "--at", "2027-03-03T08:00"}));
    add(refuse("enroll in a randomised protocol without an arm", 2, {"--arm"}, enroll_dfil2("Q1", {{"--arm", drop}})));
    add(refuse("enroll by weight without --weight", 2, {"--weight"}, enroll_nct("Q1", {{"--weight", drop}})));
    add(refuse("enroll in a cohort protocol without --cohort", 2, {"--cohort"}, enroll_transreg("Q1", {{"--cohort", drop}})));
    add(refuse("enroll with both an arm and a randomization number", 2, {"randomization number"},
               enroll_dfil2("Q1", {{"--randomization-number", "7"}})));
    add(refuse("audit --format xml", 2, {"--format", "xml"}, {"audit", "--format", "xml"}));
    add(refuse("report --format yaml", 2, {"--format", "yaml"}, {"report", "compliance", "--format", "yaml"}));
    add(refuse("calendar --format pdf", 2, {"--format", "pdf"}, {"calendar", "P001", "--format", "pdf"}));
    add(refuse("audit --unblinded without --reason", 2, {"--reason"}, {"audit", "--unblinded"}));
    add(refuse("due --days that is not a number", 65, {"--days: 'abc'"}, {"due", "--days", "abc"}));

    // ------------------------------------------------ accepted and stored verbatim
    add(store("SQL, quotes and backslashes in --note", quotes, dose_p001({{"--note", quotes}})));
    add(store("lines, tabs and accents in --note", "line 1\nline 2\ttabbed, caf\xC3\xA9 \xE2\x9C\x93",
              dose_p001({{"--note", "line 1\nline 2\ttabbed, caf\xC3\xA9 \xE2\x9C\x93"}})));
    add(store("a --note of exactly 2000 bytes", std::string(2000, 'n'), dose_p001({{"--note", std::string(2000, 'n')}})));
    add(store("SQL in --kit", sql, dose_p001({{"--kit", sql}})));
    add(store("a --kit of exactly 200 bytes", std::string(200, 'k'), dose_p001({{"--kit", std::string(200, 'k')}})));
    add(store("SQL in a skip --reason", quotes, {"skip", "P001", "IL2-D3", "--reason", quotes}));
    add(store("SQL in a void --reason", quotes, {"void", "R1", "--reason", quotes}));
    add(store("SQL in --by", sql, dose_p001({{"--by", sql}})));
    add(refuse("a long --by", 65, {"--by: a user is one line of at most 200 bytes"}, dose_p001({{"--by", long_value('B')}})));
    // Patient ids are ASCII letters, digits, '-', '_' and '.' (course.md, Corrections).
    add(refuse("SQL metacharacters in a patient id", 65, {"a patient id is made of ASCII letters, digits"},
               enroll_transreg(sql_id)));
    add(store("quotes and backslashes in a site's --name", "O'Brien\"\\;--",
              {"site", "add", "OBRIEN", "--name", "O'Brien\"\\;--", "--tz", "Europe/Paris"}));
    add(store("SQL, quotes, a comma and a line break in an imported note", quotes + ",\nnext line",
              {"import", "doses", "{dir}/note.csv"})
            .with_file("note.csv", "patient,at,drug,note\nP001,2027-03-04T09:00,IL2,\"" +
                                       replace_all(quotes + ",\nnext line", "\"", "\"\"") + "\"\n"));
    add(refuse("SQL metacharacters in an imported patient id", 65,
               {"{dir}/p.csv:2: column patient", "a patient id is made of ASCII letters, digits"},
               {"import", "patients", "{dir}/p.csv"})
            .with_file("p.csv", "patient,protocol,site,day0,cohort\n\"" + replace_all(sql_id, "\"", "\"\"") +
                                    "\",TRANSREG,LYON,2027-03-01,RA\n"));
    return t;
}

const std::vector<Case>& cases() {
    static const std::vector<Case> all = battery();
    return all;
}

// ---------------------------------------------------------------- the seeded database

struct Seed {
    std::string bytes;
    std::size_t audit_rows = 0;
};

// Three patients, two doses, a visit, a skip and a voided dose; built once.
const Seed& seed() {
    static const Seed s = [] {
        Clinic c;
        c.enroll("P001", "IL2-2");
        c.ok({"enroll", "N001", "--protocol", "NCT05153070", "--site", "PSL", "--day0", "2027-03-01", "--arm", "ILT-101",
              "--weight", "60"});
        c.ok({"enroll", "T001", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "SLE"});
        c.ok({"dose", "P001", "--at", "2027-03-02T09:00", "--kit", "K1"});                          // R1: IL2-D1
        c.ok({"visit", "P001", "V-D0", "--at", "2027-03-01"});                                     // R2
        c.ok({"dose", "N001", "--drug", "ciclosporin", "--amount", "300 mg", "--at", "2027-03-02T08:00"});  // R3
        c.ok({"skip", "P001", "IL2-D5", "--reason", "patient refused"});                          // R4
        c.ok({"dose", "P001", "--at", "2027-03-03T09:00"});                                        // R5
        c.ok({"void", "R5", "--reason", "entered twice"});
        // Q1, whom the cases enroll, passed screening for each protocol they use
        // (course.md, Eligibility): what is refused is what the case is about.
        c.ok({"screen", "Q1", "--protocol", "DF-IL2", "--site", "PSL", "--on", "2027-03-01", "--value", "age=30",
              "--value", "t1d_duration=12", "--value", "lymphocytes=2000"});
        c.ok({"screen", "Q1", "--protocol", "TRANSREG", "--site", "LYON", "--on", "2027-03-01", "--value", "age=30",
              "--value", "wbc=5000", "--value", "lymphocytes=2000", "--value", "platelets=200000"});
        c.ok({"screen", "Q1", "--protocol", "NCT05153070", "--site", "PSL", "--on", "2027-03-01", "--value", "age=30",
              "--value", "diagnosis=30", "--value", "lymphocytes=2000", "--value", "c_peptide=0.5"});
        Seed out;
        out.bytes = c.bytes();
        out.audit_rows = Json::parse(c.ok({"audit", "--format", "json"})).at("audit").size();
        return out;
    }();
    return s;
}

// ---------------------------------------------------------------- running one case

std::string expand(std::string s, const Clinic& c) {
    s = replace_all(std::move(s), "{dir}", c.dir.path().string());
    return replace_all(std::move(s), "{db}", c.db.string());
}

int shell(const std::string& cmd) {
    const int status = std::system(cmd.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Makes the database unwritable even for root, and undoes it before the
// folder is removed. chattr +i works on ext4 and most disk filesystems; where
// it does not (tmpfs, some overlays), a non-root user is stopped by the file
// mode alone, and root runs the command as nobody (setpriv) instead.
struct ReadOnly {
    fs::path db;
    bool immutable = false;
    bool as_nobody = false;
    bool possible = true;

    explicit ReadOnly(const Clinic& c) : db(c.db) {
        if (shell("chattr +i " + sh_quote(db.string()) + " 2>/dev/null") == 0) {
            immutable = true;
        } else if (geteuid() != 0) {
            fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
            fs::permissions(c.dir.path(), fs::perms::owner_read | fs::perms::owner_exec);
        } else if (shell("setpriv --version >/dev/null 2>&1") == 0) {
            as_nobody = true;
            fs::permissions(c.dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                              fs::perms::others_read | fs::perms::others_exec);
            fs::permissions(db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
        } else {
            possible = false;
        }
    }
    ~ReadOnly() {
        if (immutable) (void)shell("chattr -i " + sh_quote(db.string()) + " 2>/dev/null");
        std::error_code ec;
        fs::permissions(db.parent_path(), fs::perms::owner_all, fs::perm_options::add, ec);
    }
    ReadOnly(const ReadOnly&) = delete;
    ReadOnly& operator=(const ReadOnly&) = delete;
};

// The command run as user nobody, for root without chattr.
RunResult run_as_nobody(const Clinic& c, const Args& args) {
    TempDir io;
    std::string cmd = "setpriv --reuid=65534 --regid=65534 --clear-groups env -i";
    for (const auto& [k, v] : c.env(c.now)) cmd += " " + sh_quote(k + "=" + v);
    cmd += " " + sh_quote(TRIALCAL_EXE);
    for (const auto& a : args) cmd += " " + sh_quote(a);
    cmd += " >" + sh_quote((io.path() / "out").string()) + " 2>" + sh_quote((io.path() / "err").string()) + " </dev/null";
    RunResult r;
    r.code = shell(cmd);
    r.out = slurp(io.path() / "out");
    r.err = slurp(io.path() / "err");
    return r;
}

void prepare(Clinic& c, const Case& k) {
    if (k.anonymous) c.user.clear();
    for (const auto& [name, text] : k.files) {
        if (!name.empty() && name.back() == '/') {
            fs::create_directories(c.dir.path() / name);
            continue;
        }
        fs::create_directories((c.dir.path() / name).parent_path());
        c.dir.write(name, text);
    }
    switch (k.db) {
    case Db::absent: break;
    case Db::seeded:
    case Db::read_only: c.dir.write(c.db.filename().string(), seed().bytes); break;
    case Db::random_bytes: c.dir.write(c.db.filename().string(), binary_bytes(8192, 1)); break;
    case Db::foreign_sqlite: c.raw_sql("PRAGMA application_id=1; CREATE TABLE t(x);"); break;
    case Db::newer_schema:
        c.dir.write(c.db.filename().string(), seed().bytes);
        c.raw_sql("PRAGMA user_version=99;");
        break;
    case Db::empty_file: c.dir.write(c.db.filename().string(), ""); break;
    case Db::directory: fs::create_directory(c.db); break;
    }
}

// A string member of any row of the trail that holds `value` verbatim.
bool trail_holds(const Json& row, const std::string& value) {
    for (const auto& item : row.items())
        if (item.type() == Json::Type::string && contains(item.str(), value)) return true;
    return false;
}

void check_refused(const Clinic& c, const Case& k, const Args& args) {
    const bool existed = fs::exists(c.db);
    const std::string before = existed ? c.bytes() : std::string();
    std::optional<ReadOnly> read_only;
    if (k.db == Db::read_only) {
        read_only.emplace(c);
        if (!read_only->possible) {
            BOOST_TEST_MESSAGE("skipped: neither chattr +i nor setpriv can make the database read-only for root here");
            return;
        }
    }
    const RunResult r = read_only && read_only->as_nobody ? run_as_nobody(c, args) : c.run_at(c.now, args, false);
    BOOST_TEST(r.code == k.code, "exit " << r.code << " (expected " << k.code << "), stderr: " << r.err);
    BOOST_TEST(r.code < 128, "killed by signal " << r.code - 128);
    BOOST_TEST(r.out.empty(), "stdout: " << r.out);
    BOOST_TEST(!r.err.empty());
    for (const auto& n : k.names) {
        const std::string value = expand(n, c);
        BOOST_TEST(contains(r.err, value), "stderr does not name '" << value.substr(0, 200) << "': " << r.err.substr(0, 500));
    }
    BOOST_TEST(fs::exists(c.db) == existed, (existed ? "the database is gone" : "a database was created"));
    if (existed) BOOST_TEST((c.bytes() == before), "the database file changed");
    BOOST_TEST(!fs::exists(fs::path(c.db.string() + "-journal")));
    BOOST_TEST(!fs::exists(fs::path(c.db.string() + "-wal")));
    // A read-only database still reads.
    if (k.db == Db::read_only) {
        const RunResult v = read_only->as_nobody ? run_as_nobody(c, {"audit", "verify"}) : c.run({"audit", "verify"});
        BOOST_TEST(v.code == 0, v.err);
    }
}

void check_stored(const Clinic& c, const Case& k, const Args& args) {
    const std::string& value = k.names.front();
    const RunResult r = c.run(args);
    BOOST_TEST_REQUIRE(r.code == 0, "exit " << r.code << ", stderr: " << r.err.substr(0, 500));
    BOOST_TEST(!r.out.empty());
    // Read back: the trail has exactly one row more, and it holds the value as given.
    const RunResult a = c.run({"audit", "--format", "json"});
    BOOST_TEST_REQUIRE(a.code == 0, a.err);
    try {
        const Json trail = Json::parse(a.out);
        const Json& rows = trail.at("audit");
        BOOST_TEST_REQUIRE(rows.size() == seed().audit_rows + 1);
        BOOST_TEST(trail_holds(rows.at(rows.size() - 1), value),
                   "the new audit row does not hold '" << value.substr(0, 200) << "' verbatim");
    } catch (const JsonError& e) {
        BOOST_TEST(false, "audit --format json is not one UTF-8 JSON document: " << e.what());
    }
    if (!k.readback.empty()) {
        const RunResult b = c.run(k.readback);
        BOOST_TEST_REQUIRE(b.code == 0, b.err);
        try {
            BOOST_TEST(Json::parse(b.out).at("patient").str() == value);
        } catch (const JsonError& e) {
            BOOST_TEST(false, Clinic::describe(k.readback) << ": " << e.what());
        }
    }
    // The chain is intact and the tables still answer.
    const RunResult v = c.run({"audit", "verify"});
    BOOST_TEST(v.code == 0, v.err);
    BOOST_TEST(contains(v.out, "intact"), v.out);
    const RunResult cal = c.run({"calendar", "P001", "--format", "json"});
    BOOST_TEST(cal.code == 0, cal.err);
    const RunResult rep = c.run({"report", "compliance", "--format", "json"});
    BOOST_TEST(rep.code == 0, rep.err);
    BOOST_TEST(count(rep.out, "\"patient\": ") >= 3u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_bad_input)

BOOST_AUTO_TEST_CASE(the_battery_has_at_least_60_distinct_cases) {
    std::set<std::string> names;
    std::size_t refusals = 0, stored = 0;
    for (const auto& k : cases()) {
        BOOST_TEST(names.insert(k.name).second, "two cases are named " << k.name);
        (k.outcome == Outcome::refused ? refusals : stored) += 1;
    }
    BOOST_TEST(cases().size() >= 60u);
    BOOST_TEST_MESSAGE(cases().size() << " bad inputs: " << refusals << " refused, " << stored << " stored verbatim");
}

BOOST_DATA_TEST_CASE(each_bad_input_is_refused_cleanly_or_stored_verbatim, boost::unit_test::data::make(cases()), k) {
    BOOST_TEST_CONTEXT(k.name) {
        Clinic c;
        prepare(c, k);
        Args args;
        for (const auto& a : k.args) args.push_back(expand(a, c));
        BOOST_TEST_CONTEXT(Clinic::describe(args).substr(0, 300)) {
            if (k.outcome == Outcome::refused) check_refused(c, k, args);
            else check_stored(c, k, args);
        }
    }
}

// ---------------------------------------------------------------- what looks odd but is accepted

BOOST_AUTO_TEST_CASE(a_doses_file_with_a_bom_is_accepted) {
    Clinic c;
    c.dir.write(c.db.filename().string(), seed().bytes);
    const auto csv = c.dir.write("bom.csv", "\xEF\xBB\xBFpatient,at,drug,kit\nP001,2027-03-04T09:00,IL2,K7\n");
    BOOST_TEST(c.ok({"import", "doses", csv.string()}) == "Imported 1 dose from " + csv.string() + ".\n");
    const std::string trail = c.ok({"audit", "--format", "csv"});
    BOOST_TEST(contains(trail, "at=2027-03-04T09:00 (Europe/Paris)"), trail);
    BOOST_TEST(contains(trail, "kit=K7"), trail);
    BOOST_TEST(c.run({"audit", "verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(a_doses_file_with_crlf_line_ends_is_accepted_without_a_stray_cr) {
    Clinic c;
    c.dir.write(c.db.filename().string(), seed().bytes);
    const auto csv = c.dir.write("crlf.csv", "patient,at,drug,note\r\nP001,2027-03-04T09:00,IL2,fine\r\n"
                                             "P001,2027-03-06T09:00,IL2,\"two\r\nlines\"\r\n");
    BOOST_TEST(c.ok({"import", "doses", csv.string()}) == "Imported 2 doses from " + csv.string() + ".\n");
    // One audit row seals both records; the listing shows them a line each.
    const Json rows = Json::parse(c.ok({"audit", "--format", "json"})).at("audit");
    BOOST_TEST_REQUIRE(rows.size() == seed().audit_rows + 1);
    const Json& row = rows.at(rows.size() - 1);
    BOOST_TEST(row.at("action").str() == "import doses");
    BOOST_TEST(row.at("target").str() == "R6-R7");
    BOOST_TEST(row.at("new").str() == "file=crlf.csv doses=2");
    const std::string records = row.at("records").str();
    const std::string first = records.substr(0, records.find('\n'));
    BOOST_TEST(first.substr(0, 4) == "R6: ", first);
    BOOST_TEST(first.substr(first.size() - 10) == " note=fine", first);
    BOOST_TEST(!contains(first, "\r"), first);
    // Inside quotes the line break is the cell's own.
    BOOST_TEST(contains(records, "\nR7: at=2027-03-06T09:00 (Europe/Paris)"), records);
    BOOST_TEST(contains(records, "note=two\r\nlines"), records);
    BOOST_TEST(c.run({"audit", "verify"}).code == 0);
}

BOOST_AUTO_TEST_CASE(a_patients_file_with_a_bom_crlf_and_loose_header_is_accepted) {
    Clinic c;
    c.dir.write(c.db.filename().string(), seed().bytes);
    const auto csv = c.dir.write("p.csv", "\xEF\xBB\xBF Day0 ,site,PATIENT,protocol,cohort,tz\r\n"
                                          "2027-03-02,LYON,Q1,TRANSREG,RA,Europe/Paris\r\n");
    BOOST_TEST(c.ok({"import", "patients", csv.string()}) == "Imported 1 patient from " + csv.string() + ".\n");
    const std::string cal = c.ok({"calendar", "Q1", "--format", "json"});
    BOOST_TEST(contains(cal, "\"day0\": \"2027-03-02\""), cal);
}

BOOST_AUTO_TEST_SUITE_END()
