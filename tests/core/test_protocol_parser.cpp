// parse_protocol: a valid file becomes the exact model; every malformed file
// is refused with diagnostics at the line, column and key at fault.
#include "core/protocol_parser.hpp"

#include "core/calendar.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "tests/core/seed_protocols.hpp"
#include "tests/support/print.hpp"

namespace bdata = boost::unit_test::data;
using trialcal::AmountRule;
using trialcal::Checks;
using trialcal::Diagnostic;
using trialcal::parse_protocol;
using trialcal::Window;

namespace {

// Every id, day, window, amount and rule of the model is checked against this file.
const std::string valid_protocol = R"(# A made-up study using every table of the format.
[protocol]
id = "EX-1"
version = "2"
title = "Drug X versus placebo"
registry_ids = ["NCT00000001", "EUCT-2025-1"]
design = "Randomised 1:1, double blind"
blinded = true
notes = "Made up."

[[products]]
id = "DX"
drug = "drug X"
route = "SC"
unit = "MIU"
form = "injection"
blinded_label = "drug X or placebo"
blinded_amount = 0.5
blinded_unit = "ml"

[[products]]
id = "DY"
drug = "drug Y"
route = "oral"
unit = "mg"

[[arms]]
id = "X"
name = "drug X 0.33 MIU"
doses = { DX = 0.33 }

[[arms]]
id = "placebo"
name = "placebo"
placebo = ["DX"]

[[cohorts]]
id = "A"
name = "new onset"

[[cohorts]]
id = "B"
name = "established"

[[regimens]]
id = "DX-weekly"
name = "weekly injections"
product = "DX"
first_day = 7
last_day = 28
every_days = 7
window = [1, 2]
amount = "arm"

# Same days and intakes as DY-fixed, but never for the same cohort.
[[regimens]]
id = "DY-loading"
product = "DY"
first_day = 1
last_day = 3
every_days = 1
intakes = ["AM", "PM"]
intake_times = ["08:00", "20:00"]
window = [0, 0]
mg_per_kg = 2.5
round_to = 25
cohorts = ["A"]

[[regimens]]
id = "DY-fixed"
product = "DY"
first_day = 1
last_day = 3
every_days = 1
intakes = ["AM", "PM"]
intake_times = ["08:00", "20:00"]
window = [0, 1]
amount = 425.0
except_cohorts = ["A"]

[[visits]]
day = -7
name = "Screening"
window = [7, 0]
procedures = ["consent"]

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = ["blood sample", "randomisation"]

[[visits]]
id = "V-D28-PM"
day = 28
name = "End of treatment"
window = [3, 7]
procedures = []

[[eligibility]]
id = "age"
text = "Age at inclusion"
min = 18
max = 65.5
unit = "years"

[[eligibility]]
id = "weight"
text = "Body weight"
min = 40
unit = "kg"

[[assumptions]]
about = "regimens.DY-loading.round_to"
text = "25 mg capsules."
)";

// The smallest valid protocol: lines 1 to 17. Each malformed case below adds a
// tail starting on line 18, or edits these lines.
const std::string head = R"([protocol]
id = "P-1"
version = "1"
title = "Probe"

[[products]]
id = "X"
drug = "drug x"
route = "SC"
unit = "mg"

[[visits]]
day = 0
name = "Inclusion"
window = [0, 0]
procedures = []

)";

std::string with_head(const std::string& tail) { return head + tail; }

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    BOOST_REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// head with `blinded = true` on line 5: its tail starts on line 19.
std::string blinded_head() { return replaced(head, "title = \"Probe\"\n", "title = \"Probe\"\nblinded = true\n"); }

std::string text_of(const std::vector<Diagnostic>& ds) {
    std::string s;
    for (const auto& d : ds)
        s += "\n  " + std::to_string(d.line) + ":" + std::to_string(d.column) + " [" + d.key + "] " + d.message;
    return s;
}

// A regimen of product X, D`first` to D`last` daily, anchored on `anchor`:
// 9 lines, its anchor on the 9th, column 10.
std::string anchored_regimen(const std::string& id, int first, int last, const std::string& anchor) {
    return "[[regimens]]\nid = \"" + id + "\"\nproduct = \"X\"\nfirst_day = " + std::to_string(first) +
           "\nlast_day = " + std::to_string(last) + "\nevery_days = 1\nwindow = [0, 0]\namount = 10\nanchor = \"" +
           anchor + "\"\n";
}

// A visit on D`day` anchored on `anchor`: 6 lines, its anchor on the 6th, column 10.
std::string anchored_visit(int day, const std::string& anchor) {
    return "[[visits]]\nday = " + std::to_string(day) + "\nname = \"D" + std::to_string(day) +
           "\"\nwindow = [0, 0]\nprocedures = []\nanchor = \"" + anchor + "\"\n";
}

// An early-termination visit: 7 lines, early_termination on the 7th, column 21.
std::string et_visit(const std::string& id, int day = 0, const std::string& flag = "true") {
    return "[[visits]]\nid = \"" + id + "\"\nday = " + std::to_string(day) +
           "\nname = \"Early termination\"\nwindow = [0, 14]\nprocedures = []\nearly_termination = " + flag + "\n";
}

// A criterion: 4 lines, then its bounds and keys (`rest`, one a line), then unit.
std::string criterion(const std::string& id, const std::string& rest) {
    return "[[eligibility]]\nid = \"" + id + "\"\ntext = \"" + id + "\"\n" + rest + "unit = \"u\"\n";
}

// head with screening_valid_days = `value` on line 5, column 24.
std::string head_with_screening_valid_days(const std::string& value) {
    return replaced(head, "title = \"Probe\"\n", "title = \"Probe\"\nscreening_valid_days = " + value + "\n");
}

// R2 (every cohort) counts from X-D1, which only cohort A's R1 plans: the
// patients of cohort B would have nothing to count from. R2's anchor is on line 44.
const std::string anchor_in_cohort_a_only = R"([[cohorts]]
id = "A"
name = "a"

[[cohorts]]
id = "B"
name = "b"

[[regimens]]
id = "R1"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
cohorts = ["A"]

[[regimens]]
id = "R2"
product = "X"
first_day = 10
last_day = 12
every_days = 1
window = [0, 0]
amount = 10
anchor = "X-D1"
)";

struct BadCase {
    const char* name;
    std::string text;
    std::size_t count;  // diagnostics expected in all
    int line;
    int column;
    std::string key;
    std::string message;  // a substring of the expected diagnostic's message
};

std::ostream& operator<<(std::ostream& os, const BadCase& c) { return os << c.name; }

std::vector<BadCase> bad_cases() {
    return {
        // Syntax and structure
        {"toml_syntax_error", with_head(R"([[visits]]
day = 3
name = "D3
window = [0, 0]
procedures = []
)"),
         1, 20, 11, "", "Error while parsing string"},
        {"unknown_top_level_key", "study = \"x\"\n" + head, 1, 1, 1, "study", "unknown key 'study'"},
        {"unknown_top_level_table", with_head("[settings]\nfoo = 1\n"), 1, 18, 2, "settings",
         "unknown key 'settings'"},
        {"unknown_key_in_protocol", replaced(head, "title = \"Probe\"\n", "title = \"Probe\"\nsponsor = \"x\"\n"), 1,
         5, 1, "protocol.sponsor", "unknown key 'sponsor'"},
        {"unknown_key_in_visit", with_head(R"([[visits]]
day = 3
name = "D3"
windw = [0, 0]
window = [0, 0]
procedures = []
)"),
         1, 21, 1, "visits[1].windw", "unknown key 'windw'"},
        {"missing_protocol_table", head.substr(head.find("[[products]]")), 1, 1, 1, "protocol",
         "missing required key 'protocol'"},
        {"missing_visits", head.substr(0, head.find("[[visits]]")), 1, 1, 1, "visits",
         "missing required key 'visits'"},
        {"missing_protocol_id", replaced(head, "id = \"P-1\"\n", ""), 1, 1, 1, "protocol.id",
         "missing required key 'id'"},
        {"missing_visit_name", with_head(R"([[visits]]
day = 3
window = [0, 0]
procedures = []
)"),
         1, 18, 1, "visits[1].name", "missing required key 'name'"},
        {"missing_product_drug", with_head(R"([[products]]
id = "Y"
route = "oral"
unit = "mg"
)"),
         1, 18, 1, "products[1].drug", "missing required key 'drug'"},
        {"missing_eligibility_unit", with_head(R"([[eligibility]]
id = "age"
text = "Age"
min = 18
)"),
         1, 18, 1, "eligibility[0].unit", "missing required key 'unit'"},
        {"protocol_not_a_table", "protocol = \"x\"\n" + head.substr(head.find("[[products]]")), 1, 1, 12, "protocol",
         "expected a table ([protocol])"},
        {"visits_not_an_array_of_tables", replaced(head, "[[visits]]", "[visits]"), 1, 12, 1, "visits",
         "expected an array of tables ([[visits]])"},
        {"empty_title", replaced(head, "title = \"Probe\"", "title = \"\""), 1, 4, 9, "protocol.title",
         "must not be empty"},

        // Types and ranges
        {"day_is_a_string", with_head(R"([[visits]]
day = "3"
name = "D3"
window = [0, 0]
procedures = []
)"),
         1, 19, 7, "visits[1].day", "expected an integer, found a string"},
        {"day_is_a_decimal", with_head(R"([[visits]]
day = 3.0
name = "D3"
window = [0, 0]
procedures = []
)"),
         1, 19, 7, "visits[1].day", "expected an integer, found a number"},
        {"day_out_of_range", with_head(R"([[visits]]
day = 4000
name = "D4000"
window = [0, 0]
procedures = []
)"),
         1, 19, 7, "visits[1].day", "4000 is out of range -365 to 3660"},
        {"window_is_a_string", with_head(R"([[visits]]
day = 3
name = "D3"
window = "0,0"
procedures = []
)"),
         1, 21, 10, "visits[1].window", "expected [days before, days after], e.g. [1, 1] for -1/+1 days, found a string"},
        {"window_negative", with_head(R"([[visits]]
day = 3
name = "D3"
window = [-1, 1]
procedures = []
)"),
         1, 21, 11, "visits[1].window", "cannot be negative: write 1 for -1 days"},
        {"window_with_three_elements", with_head(R"([[visits]]
day = 3
name = "D3"
window = [1, 1, 1]
procedures = []
)"),
         1, 21, 10, "visits[1].window", "expected [days before, days after], e.g. [1, 1] for -1/+1 days, found an array"},
        {"window_with_decimal_bound", with_head(R"([[visits]]
day = 3
name = "D3"
window = [0.5, 1]
procedures = []
)"),
         1, 21, 11, "visits[1].window", "window bounds are whole days, found a number"},

        // Regimens
        {"regimen_last_day_before_first_day", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 5
last_day = 2
every_days = 1
window = [0, 0]
amount = 10
)"),
         1, 22, 12, "regimens[0].last_day", "the regimen ends on D2, before it starts on D5"},
        {"regimen_last_day_off_the_every_days_grid", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 10
every_days = 7
window = [0, 0]
amount = 10
)"),
         1, 22, 12, "regimens[0].last_day", "D10 is not D1 + a multiple of 7 days: the last dose would fall on D8"},
        {"regimen_every_days_zero", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 0
window = [0, 0]
amount = 10
)"),
         1, 23, 14, "regimens[0].every_days", "0 is out of range 1 to 3660"},
        {"regimen_of_undefined_product", with_head(R"([[regimens]]
id = "R"
product = "Y"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
)"),
         1, 20, 11, "regimens[0].product", "product 'Y' is not defined"},
        {"regimen_without_amount", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
)"),
         1, 18, 1, "regimens[0].amount", "missing the dose"},
        {"regimen_amount_zero", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 0
)"),
         1, 25, 10, "regimens[0].amount", "must be more than 0"},
        {"regimen_amount_and_mg_per_kg", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
mg_per_kg = 5
round_to = 25
)"),
         1, 26, 13, "regimens[0].mg_per_kg", "give either amount or mg_per_kg, not both"},
        {"regimen_round_to_with_fixed_amount", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
round_to = 5
)"),
         1, 26, 12, "regimens[0].round_to", "round_to goes with mg_per_kg"},
        {"regimen_weight_based_without_round_to", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
mg_per_kg = 5
)"),
         1, 25, 13, "regimens[0].round_to", "a weight-based dose needs round_to"},
        {"regimen_mg_per_kg_on_a_product_not_in_mg", with_head(R"([[products]]
id = "Y"
drug = "drug y"
route = "SC"
unit = "MIU"

[[regimens]]
id = "R"
product = "Y"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
mg_per_kg = 5
round_to = 1
)"),
         1, 24, 1, "regimens[0].mg_per_kg", "a weight-based dose is in mg, but product 'Y' is in MIU"},
        {"regimen_amount_is_a_bad_string", with_head(R"([[arms]]
id = "A"
name = "a"
doses = { X = 1 }

[[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = "arms"
)"),
         1, 30, 10, "regimens[0].amount", "'arms' is not an amount: write a number, or \"arm\" for the arm's dose"},
        // Only the bad string is at fault: no arms is not a problem for a regimen that is not amount = "arm".
        {"regimen_amount_is_a_bad_string_without_arms", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = "arms"
)"),
         1, 25, 10, "regimens[0].amount", "'arms' is not an amount"},
        {"regimen_amount_arm_with_an_arm_missing_a_dose", with_head(R"([[arms]]
id = "A"
name = "a"
doses = { X = 1 }

[[arms]]
id = "B"
name = "b"

[[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = "arm"
)"),
         1, 27, 1, "regimens[0].amount", "arm 'B' gives no dose of product 'X'"},
        {"regimen_of_undefined_cohort", with_head(R"([[cohorts]]
id = "A"
name = "a"

[[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
cohorts = ["A", "B"]
)"),
         1, 30, 11, "regimens[0].cohorts", "cohort 'B' is not defined"},
        {"regimen_cohorts_and_except_cohorts", with_head(R"([[cohorts]]
id = "A"
name = "a"

[[cohorts]]
id = "B"
name = "b"

[[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
cohorts = ["A"]
except_cohorts = ["B"]
)"),
         1, 35, 18, "regimens[0].except_cohorts", "give either cohorts or except_cohorts, not both"},
        {"regimen_duplicate_intake", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intakes = ["AM", "AM"]
intake_times = ["08:00", "20:00"]
)"),
         1, 26, 11, "regimens[0].intakes", "duplicate intake 'AM'"},
        {"regimen_empty_intakes", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intakes = []
)"),
         1, 26, 11, "regimens[0].intakes", "empty"},

        // Slots and reach (compliance version 2)
        {"intake_time_not_a_time", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intakes = ["AM", "PM"]
intake_times = ["08:00", "25:00"]
)"),
         1, 27, 26, "regimens[0].intake_times[1]", "'25:00' is not a time of day"},
        {"intake_time_without_leading_zero", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intake_times = ["8:00"]
)"),
         1, 26, 17, "regimens[0].intake_times[0]", "'8:00' is not a time of day"},
        {"intake_times_out_of_order", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intakes = ["AM", "PM"]
intake_times = ["20:00", "08:00"]
)"),
         1, 27, 26, "regimens[0].intake_times[1]", "is not after the intake before it"},
        {"intake_times_count", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intakes = ["AM", "PM"]
intake_times = ["08:00"]
)"),
         1, 27, 16, "regimens[0].intake_times", "1 times for 2 intakes a day"},
        {"intake_times_missing", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intakes = ["AM", "PM"]
)"),
         1, 26, 11, "regimens[0].intake_times", "several intakes a day need intake_times"},
        {"intake_times_not_strings", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
intake_times = [8]
)"),
         1, 26, 17, "regimens[0].intake_times[0]", "expected a string, found an integer"},
        {"early_limit_negative", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
early_limit = -1
)"),
         1, 26, 15, "regimens[0].early_limit", "-1 is out of range 0 to 3660"},
        {"late_limit_not_whole_days", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
late_limit = 1.5
)"),
         1, 26, 14, "regimens[0].late_limit", "expected an integer, found a number"},
        {"setting_unknown", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
setting = "clinic"
)"),
         1, 26, 11, "regimens[0].setting", "'clinic' is not a setting"},

        // Unique ids and event ids
        {"two_visits_on_one_day", with_head(R"([[visits]]
day = 0
name = "Inclusion, again"
window = [0, 0]
procedures = []
)"),
         1, 18, 1, "visits[1]", "duplicate event id 'V-D0'"},
        {"two_regimens_of_one_product_on_one_day", with_head(R"([[regimens]]
id = "R1"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10

[[regimens]]
id = "R2"
product = "X"
first_day = 5
last_day = 9
every_days = 1
window = [0, 0]
amount = 20
)"),
         1, 27, 1, "regimens[1]", "duplicate event id 'X-D5': regimen 'R1' (D5) and regimen 'R2' (D5) both make it"},
        {"duplicate_product_id", with_head(R"([[products]]
id = "X"
drug = "drug y"
route = "oral"
unit = "mg"
)"),
         1, 18, 1, "products[1].id", "id 'X'"},
        {"duplicate_arm_id", with_head(R"([[arms]]
id = "A"
name = "a"

[[arms]]
id = "A"
name = "a again"
)"),
         1, 22, 1, "arms[1].id", "id 'A'"},
        {"duplicate_cohort_id", with_head(R"([[cohorts]]
id = "C"
name = "c"

[[cohorts]]
id = "C"
name = "c again"
)"),
         1, 22, 1, "cohorts[1].id", "id 'C'"},
        {"duplicate_regimen_id", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10

[[regimens]]
id = "R"
product = "X"
first_day = 7
last_day = 9
every_days = 1
window = [0, 0]
amount = 20
)"),
         1, 27, 1, "regimens[1].id", "id 'R'"},
        {"duplicate_criterion_id", with_head(R"([[eligibility]]
id = "age"
text = "Age"
min = 18
unit = "years"

[[eligibility]]
id = "age"
text = "Age"
max = 65
unit = "years"
)"),
         1, 24, 1, "eligibility[1].id", "id 'age'"},
        {"id_with_a_space", with_head(R"([[products]]
id = "Y 2"
drug = "drug y"
route = "SC"
unit = "mg"
)"),
         1, 19, 6, "products[1].id", "'Y 2' must be letters, digits, '-', '_' or '.' only"},

        // Arms and blinding
        {"arm_dose_of_undefined_product", with_head(R"([[arms]]
id = "A"
name = "a"
doses = { Y = 1 }
)"),
         1, 21, 11, "arms[0].doses.Y", "product 'Y' is not defined"},
        {"arm_product_both_dosed_and_placebo", with_head(R"([[arms]]
id = "A"
name = "a"
doses = { X = 1 }
placebo = ["X"]
)"),
         1, 18, 1, "arms[0].doses.X", "product 'X' is placebo in arm 'A': give it no dose"},
        {"blinded_label_in_an_unblinded_protocol", with_head(R"([[products]]
id = "Y"
drug = "drug y"
route = "SC"
unit = "MIU"
blinded_label = "Y or placebo"
)"),
         1, 23, 17, "products[1].blinded_label", "a blinded label needs a blinded protocol"},
        {"blinded_protocol_without_arms", blinded_head(), 1, 1, 1, "protocol.blinded",
         "a blinded protocol needs [[arms]] to hide"},
        {"blinded_amount_without_blinded_unit", blinded_head() + R"([[arms]]
id = "A"
name = "a"

[[products]]
id = "Y"
drug = "drug y"
route = "SC"
unit = "MIU"
blinded_label = "Y"
blinded_amount = 1
)",
         1, 23, 1, "products[1].blinded_unit", "blinded_amount needs a blinded_unit"},

        // Eligibility
        {"eligibility_min_above_max", with_head(R"([[eligibility]]
id = "age"
text = "Age"
min = 65
max = 18
unit = "years"
)"),
         1, 22, 7, "eligibility[0].max", "max 18 is below min 65"},
        {"eligibility_without_bounds", with_head(R"([[eligibility]]
id = "age"
text = "Age"
unit = "years"
)"),
         1, 18, 1, "eligibility[0]", "a criterion needs min, max or both"},

        {"eligibility_min_and_min_exclusive", with_head(criterion("lymphocytes", "min = 1000\nmin_exclusive = 1000\n")),
         1, 22, 17, "eligibility[0].min_exclusive", "give either min (inclusive) or min_exclusive (strict), not both"},
        {"eligibility_max_and_max_exclusive", with_head(criterion("diagnosis", "max = 90\nmax_exclusive = 90\n")), 1,
         22, 17, "eligibility[0].max_exclusive", "give either max (inclusive) or max_exclusive (strict), not both"},
        {"eligibility_strict_bound_leaves_no_value", with_head(criterion("x", "min_exclusive = 10\nmax = 10\n")), 1,
         22, 7, "eligibility[0].max", "max 10 and min_exclusive 10 leave no value eligible"},
        {"eligibility_two_strict_bounds_leave_no_value",
         with_head(criterion("x", "min_exclusive = 10\nmax_exclusive = 10\n")), 1, 22, 17,
         "eligibility[0].max_exclusive", "max_exclusive 10 and min_exclusive 10 leave no value eligible"},
        {"eligibility_max_exclusive_below_min", with_head(criterion("x", "min = 10\nmax_exclusive = 5\n")), 1, 22,
         17, "eligibility[0].max_exclusive", "max_exclusive 5 is below min 10"},
        {"eligibility_min_exclusive_not_a_number", with_head(criterion("x", "min_exclusive = \"1000\"\n")), 2, 21,
         17, "eligibility[0].min_exclusive", "expected a number, found a string"},
        {"eligibility_any_of_group_of_one",
         with_head(criterion("c_peptide", "min = 0.1\nany_of = \"weight_or_c_peptide\"\n")), 1, 22, 10,
         "eligibility[0].any_of",
         "any_of group 'weight_or_c_peptide' has no other criterion: give the same any_of to each alternative, "
         "or leave it out"},
        {"eligibility_any_of_misspelt_on_one_alternative",
         with_head(criterion("weight_loss", "max = 10\nany_of = \"weight_or_c_peptide\"\n") + "\n" +
                   criterion("c_peptide", "min = 0.1\nany_of = \"weight_or_c_petide\"\n")),
         2, 29, 10, "eligibility[1].any_of", "any_of group 'weight_or_c_petide' has no other criterion"},
        {"eligibility_any_of_not_a_string", with_head(criterion("x", "min = 1\nany_of = [\"a\", \"b\"]\n")), 1, 22,
         10, "eligibility[0].any_of", "expected a string, found an array"},
        {"eligibility_any_of_with_a_space", with_head(criterion("x", "min = 1\nany_of = \"a b\"\n")), 1, 22, 10,
         "eligibility[0].any_of", "'a b' must be letters, digits, '-', '_' or '.' only"},
        {"screening_valid_days_zero", head_with_screening_valid_days("0"), 1, 5, 24, "protocol.screening_valid_days",
         "0 is out of range 1 to 365"},
        {"screening_valid_days_over_a_year", head_with_screening_valid_days("366"), 1, 5, 24,
         "protocol.screening_valid_days", "366 is out of range 1 to 365"},
        {"screening_valid_days_a_string", head_with_screening_valid_days("\"30\""), 1, 5, 24,
         "protocol.screening_valid_days", "expected an integer, found a string"},

        // The early-termination visit (course.md, Status): one, dated from the withdrawal
        {"early_termination_not_a_bool", with_head(et_visit("V-ET", 0, "\"yes\"")), 1, 24, 21,
         "visits[1].early_termination", "expected true or false, found a string"},
        {"second_early_termination_visit", with_head(et_visit("V-ET") + "\n" + et_visit("V-ET2")), 1, 32, 21,
         "visits[2].early_termination",
         "a second early-termination visit: visits[1] (V-ET) is one already, and a withdrawal adds one visit"},
        {"early_termination_visit_with_an_anchor", with_head(et_visit("V-ET") + "anchor = \"V-D0\"\n"), 1, 25, 10,
         "visits[1].anchor", "an early-termination visit counts from the withdrawal date: leave anchor out"},
        {"early_termination_visit_before_the_withdrawal", with_head(et_visit("V-ET", -1)), 1, 20, 7, "visits[1].day",
         "an early-termination visit's day counts from the withdrawal date: write 0 or more"},
        {"regimen_anchored_on_the_early_termination_visit",
         with_head(et_visit("V-ET") + "\n" + anchored_regimen("A", 1, 5, "V-ET")), 1, 34, 10, "regimens[0].anchor",
         "anchor 'V-ET' is the early-termination visit, which no plan holds (a withdrawal adds it): name a planned "
         "visit or dose"},
        {"visit_anchored_on_the_early_termination_visit",
         with_head(et_visit("V-ET") + "\n" + anchored_visit(3, "V-ET")), 1, 31, 10, "visits[2].anchor",
         "anchor 'V-ET' is the early-termination visit"},
        {"early_termination_visit_with_the_default_id_clashes_with_inclusion",
         with_head("[[visits]]\nday = 0\nname = \"ET\"\nwindow = [0, 14]\nprocedures = []\nearly_termination = true\n"),
         1, 18, 1, "visits[1]", "duplicate event id 'V-D0'"},

        // Anchors (course.md): an event the protocol plans, never a loop
        {"anchor_not_planned", with_head(anchored_regimen("A", 1, 5, "X-D9")), 1, 26, 10, "regimens[0].anchor",
         "anchor 'X-D9' is not an event this protocol plans"},
        {"anchor_not_a_string", replaced(with_head(anchored_regimen("A", 1, 5, "X-D1")), "anchor = \"X-D1\"",
                                         "anchor = 1"),
         1, 26, 10, "regimens[0].anchor", "expected a string, found an integer"},
        {"anchor_empty", with_head(anchored_regimen("A", 1, 5, "")), 1, 26, 10, "regimens[0].anchor",
         "must not be empty"},
        {"visit_anchored_on_itself", with_head(anchored_visit(3, "V-D3")), 1, 23, 10, "visits[1].anchor",
         "visit 'V-D3' cannot count from itself"},
        {"anchor_missing_in_a_cohort", with_head(anchor_in_cohort_a_only), 1, 44, 10, "regimens[1].anchor",
         "anchor 'X-D1' is not planned in cohort B, where regimen 'R2' is"},
        {"anchors_loop_of_two", with_head(anchored_regimen("A", 1, 5, "V-D3") + "\n" + anchored_visit(3, "X-D1")), 1,
         26, 10, "regimens[0].anchor",
         "anchors loop: regimen 'A' counts from V-D3 (visit 'V-D3'), which counts from X-D1 (regimen 'A'); "
         "one of them must count from day 0 or from an event outside the loop"},
        {"anchors_loop_of_three",
         with_head(anchored_regimen("A", 1, 5, "V-D3") + "\n" + anchored_regimen("B", 10, 12, "X-D1") + "\n" +
                   anchored_visit(3, "X-D10")),
         1, 26, 10, "regimens[0].anchor",
         "anchors loop: regimen 'A' counts from V-D3 (visit 'V-D3'), which counts from X-D10 (regimen 'B'), "
         "which counts from X-D1 (regimen 'A')"},
        // Patient-facing names
        {"patient_name_not_a_table", with_head(R"([[visits]]
day = 3
name = "D3"
window = [0, 0]
procedures = []
patient_name = "Visite J3"
)"),
         1, 23, 16, "visits[1].patient_name", "expected a table of language = name"},
        {"patient_name_of_a_regimen_not_a_table", with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = 1
patient_name = ["Injection"]
)"),
         1, 26, 16, "regimens[0].patient_name", "found an array"},
        {"patient_name_in_an_unknown_language", with_head(R"([[visits]]
day = 3
name = "D3"
window = [0, 0]
procedures = []
patient_name = { fr = "Visite J3", de = "Besuch" }
)"),
         1, 23, 36, "visits[1].patient_name.de", "'de' is not a language of patient names: write fr, en or both"},
        {"patient_name_not_a_string", with_head(R"([[visits]]
day = 3
name = "D3"
window = [0, 0]
procedures = []
patient_name = { fr = "Visite J3", en = 3 }
)"),
         1, 23, 41, "visits[1].patient_name.en", "expected a string, found an integer"},
        {"patient_name_empty_string", with_head(R"([[visits]]
day = 3
name = "D3"
window = [0, 0]
procedures = []
patient_name = { fr = "" }
)"),
         1, 23, 23, "visits[1].patient_name.fr", "must not be empty"},
        {"patient_name_without_a_language", with_head(R"([[visits]]
day = 3
name = "D3"
window = [0, 0]
procedures = []
patient_name = {}
)"),
         1, 23, 16, "visits[1].patient_name", "give fr, en or both, or leave patient_name out"},
    };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(protocol_parser)

BOOST_AUTO_TEST_CASE(valid_protocol_gives_the_exact_model) {
    const auto parsed = parse_protocol(valid_protocol);
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    BOOST_TEST_REQUIRE(parsed.protocol.has_value());
    const trialcal::Protocol& p = *parsed.protocol;

    BOOST_TEST(p.id == "EX-1");
    BOOST_TEST(p.version == "2");
    BOOST_TEST(p.title == "Drug X versus placebo");
    BOOST_TEST(p.design == "Randomised 1:1, double blind");
    BOOST_TEST(p.notes == "Made up.");
    BOOST_TEST(p.registry_ids == (std::vector<std::string>{"NCT00000001", "EUCT-2025-1"}),
               boost::test_tools::per_element());
    BOOST_TEST(p.blinded);

    BOOST_TEST_REQUIRE(p.products.size() == 2u);
    const auto& dx = p.products[0];
    BOOST_TEST(dx.id == "DX");
    BOOST_TEST(dx.drug == "drug X");
    BOOST_TEST(dx.route == "SC");
    BOOST_TEST(dx.unit == "MIU");
    BOOST_TEST(dx.form == "injection");
    BOOST_TEST(dx.blinded());
    BOOST_TEST(*dx.blinded_label == "drug X or placebo");
    BOOST_TEST_REQUIRE(dx.blinded_amount.has_value());
    BOOST_TEST(*dx.blinded_amount == 0.5);
    BOOST_TEST(dx.blinded_unit == "ml");
    const auto& dy = p.products[1];
    BOOST_TEST(dy.id == "DY");
    BOOST_TEST(dy.unit == "mg");
    BOOST_TEST(dy.route == "oral");
    BOOST_TEST(dy.form == "");
    BOOST_TEST(!dy.blinded());
    BOOST_TEST(!dy.blinded_amount.has_value());
    BOOST_TEST(dy.blinded_unit == "");

    BOOST_TEST_REQUIRE(p.arms.size() == 2u);
    BOOST_TEST(p.arms[0].id == "X");
    BOOST_TEST(p.arms[0].name == "drug X 0.33 MIU");
    BOOST_TEST_REQUIRE(p.arms[0].doses.size() == 1u);
    BOOST_TEST(p.arms[0].doses[0].first == "DX");
    BOOST_TEST(p.arms[0].doses[0].second == 0.33);
    BOOST_TEST(p.arms[0].placebo.empty());
    BOOST_TEST(p.arms[1].id == "placebo");
    BOOST_TEST(p.arms[1].doses.empty());
    BOOST_TEST(p.arms[1].placebo == (std::vector<std::string>{"DX"}), boost::test_tools::per_element());

    BOOST_TEST_REQUIRE(p.cohorts.size() == 2u);
    BOOST_TEST(p.cohorts[0].id == "A");
    BOOST_TEST(p.cohorts[0].name == "new onset");
    BOOST_TEST(p.cohorts[1].id == "B");
    BOOST_TEST(p.cohorts[1].name == "established");

    BOOST_TEST_REQUIRE(p.regimens.size() == 3u);
    const auto& weekly = p.regimens[0];
    BOOST_TEST(weekly.id == "DX-weekly");
    BOOST_TEST(weekly.name == "weekly injections");
    BOOST_TEST(weekly.product == "DX");
    BOOST_TEST(weekly.first_day.count() == 7);
    BOOST_TEST(weekly.last_day.count() == 28);
    BOOST_TEST((weekly.every == date::days{7}));
    BOOST_TEST(weekly.intakes.empty());
    BOOST_TEST((weekly.window == Window{date::days{1}, date::days{2}}));
    BOOST_TEST((weekly.rule == AmountRule::from_arm));
    BOOST_TEST(weekly.cohorts.empty());
    BOOST_TEST(weekly.except_cohorts.empty());

    const auto& loading = p.regimens[1];
    BOOST_TEST(loading.id == "DY-loading");
    BOOST_TEST(loading.name == "");
    BOOST_TEST(loading.product == "DY");
    BOOST_TEST(loading.first_day.count() == 1);
    BOOST_TEST(loading.last_day.count() == 3);
    BOOST_TEST((loading.every == date::days{1}));
    BOOST_TEST(loading.intakes == (std::vector<std::string>{"AM", "PM"}), boost::test_tools::per_element());
    BOOST_TEST((loading.window == Window{date::days{0}, date::days{0}}));
    BOOST_TEST((loading.rule == AmountRule::per_kg));
    BOOST_TEST(loading.mg_per_kg == 2.5);
    BOOST_TEST(loading.round_to == 25.0);
    BOOST_TEST(loading.amount == 0.0);
    BOOST_TEST(loading.cohorts == (std::vector<std::string>{"A"}), boost::test_tools::per_element());
    BOOST_TEST(loading.applies_to("A"));
    BOOST_TEST(!loading.applies_to("B"));

    const auto& fixed = p.regimens[2];
    BOOST_TEST(fixed.id == "DY-fixed");
    BOOST_TEST((fixed.window == Window{date::days{0}, date::days{1}}));
    BOOST_TEST((fixed.rule == AmountRule::fixed));
    BOOST_TEST(fixed.amount == 425.0);
    BOOST_TEST(fixed.mg_per_kg == 0.0);
    BOOST_TEST(fixed.round_to == 0.0);
    BOOST_TEST(fixed.except_cohorts == (std::vector<std::string>{"A"}), boost::test_tools::per_element());
    BOOST_TEST(!fixed.applies_to("A"));
    BOOST_TEST(fixed.applies_to("B"));

    BOOST_TEST_REQUIRE(p.visits.size() == 3u);
    BOOST_TEST(p.visits[0].id == "V-D-7");
    BOOST_TEST(p.visits[0].day.count() == -7);
    BOOST_TEST(p.visits[0].name == "Screening");
    BOOST_TEST((p.visits[0].window == Window{date::days{7}, date::days{0}}));
    BOOST_TEST(p.visits[0].procedures == (std::vector<std::string>{"consent"}), boost::test_tools::per_element());
    BOOST_TEST(p.visits[1].id == "V-D0");
    BOOST_TEST(p.visits[1].day.count() == 0);
    BOOST_TEST((p.visits[1].window == Window{date::days{0}, date::days{0}}));
    BOOST_TEST(p.visits[1].procedures == (std::vector<std::string>{"blood sample", "randomisation"}),
               boost::test_tools::per_element());
    BOOST_TEST(p.visits[2].id == "V-D28-PM");
    BOOST_TEST(p.visits[2].day.count() == 28);
    BOOST_TEST(p.visits[2].name == "End of treatment");
    BOOST_TEST((p.visits[2].window == Window{date::days{3}, date::days{7}}));
    BOOST_TEST(p.visits[2].procedures.empty());

    BOOST_TEST_REQUIRE(p.eligibility.size() == 2u);
    BOOST_TEST(p.eligibility[0].id == "age");
    BOOST_TEST(p.eligibility[0].text == "Age at inclusion");
    BOOST_TEST(p.eligibility[0].unit == "years");
    BOOST_TEST_REQUIRE(p.eligibility[0].min.has_value());
    BOOST_TEST(*p.eligibility[0].min == 18.0);
    BOOST_TEST_REQUIRE(p.eligibility[0].max.has_value());
    BOOST_TEST(*p.eligibility[0].max == 65.5);
    BOOST_TEST(p.eligibility[1].id == "weight");
    BOOST_TEST(*p.eligibility[1].min == 40.0);
    BOOST_TEST(!p.eligibility[1].max.has_value());

    BOOST_TEST_REQUIRE(p.assumptions.size() == 1u);
    BOOST_TEST(p.assumptions[0].about == "regimens.DY-loading.round_to");
    BOOST_TEST(p.assumptions[0].text == "25 mg capsules.");

    BOOST_TEST(p.needs_weight());
    BOOST_TEST(p.known_as("ex-1"));
    BOOST_TEST(p.known_as("euct-2025-1"));
    BOOST_TEST(!p.known_as("EX-2"));
}

// The compliance v2 keys as the seeds give them, and their defaults.
BOOST_AUTO_TEST_CASE(slots_reach_and_setting_of_the_seeds) {
    using std::chrono::minutes;
    const auto v2 = trialcal::parse_protocol(seed_protocols::read_calendar_file("nct05153070-v2.toml"));
    BOOST_TEST_REQUIRE(v2.diagnostics.empty());
    const auto& csa = v2.protocol->regimens.at(0);
    BOOST_TEST(csa.id == "CSA");
    BOOST_TEST((csa.intake_times == std::vector<minutes>{minutes{8 * 60}, minutes{20 * 60}}));
    BOOST_TEST((csa.setting == trialcal::Setting::home));
    BOOST_TEST(csa.early_limit.count() == 0);
    const auto& weekly = v2.protocol->regimens.at(2);
    BOOST_TEST(weekly.id == "ILT101-weekly");
    BOOST_TEST((weekly.setting == trialcal::Setting::site));
    BOOST_TEST(weekly.early_limit.count() == 2);
    BOOST_TEST(weekly.late_limit.count() == 2);
    BOOST_TEST(weekly.intake_times.empty());
    BOOST_TEST((weekly.time_of(0) == trialcal::noon));
    const auto v1 = trialcal::parse_protocol(seed_protocols::read_calendar_file("nct05153070-v1.toml"));
    BOOST_TEST_REQUIRE(v1.diagnostics.empty());
    BOOST_TEST((v1.protocol->regimens.at(0).time_of(0) == minutes{8 * 60}));
    const auto transreg = trialcal::parse_protocol(seed_protocols::read_calendar_file("transreg.toml"));
    BOOST_TEST_REQUIRE(transreg.diagnostics.empty());
    BOOST_TEST(transreg.protocol->regimens.at(1).late_limit.count() == 3);
    BOOST_TEST(transreg.protocol->regimens.at(2).late_limit.count() == 1);  // SLE
}

// A visit's or regimen's name for the patient, in either language or both,
// inline or as a sub-table; none given leaves both empty.
BOOST_AUTO_TEST_CASE(patient_names_are_read_per_language) {
    const auto parsed = parse_protocol(with_head(R"([[visits]]
day = 3
name = "D3"
window = [0, 0]
procedures = []
patient_name = { fr = "Visite du 3e jour", en = "Day 3 visit <&>" }

[[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 1
every_days = 1
window = [0, 0]
amount = 1
[regimens.patient_name]
fr = "Comprimé à avaler"
)"));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    const auto& p = *parsed.protocol;
    BOOST_TEST(p.visits.at(0).patient_name.fr.empty());
    BOOST_TEST(p.visits.at(0).patient_name.en.empty());
    BOOST_TEST(p.visits.at(1).patient_name.fr == "Visite du 3e jour");
    BOOST_TEST(p.visits.at(1).patient_name.en == "Day 3 visit <&>");
    BOOST_TEST(p.regimens.at(0).patient_name.fr == "Comprimé à avaler");
    BOOST_TEST(p.regimens.at(0).patient_name.en.empty());
}

// The seeds give every visit and regimen a name for the patient in French and English.
BOOST_AUTO_TEST_CASE(seeds_name_every_visit_and_regimen_for_the_patient) {
    for (const char* file :
         {"df-il2.toml", "ms-il2.toml", "nct05153070-v1.toml", "nct05153070-v2.toml", "transreg.toml"}) {
        BOOST_TEST_CONTEXT(file) {
            const auto& p = seed_protocols::protocol(file);
            for (const auto& v : p.visits) {
                BOOST_TEST(!v.patient_name.fr.empty(), v.id);
                BOOST_TEST(!v.patient_name.en.empty(), v.id);
            }
            for (const auto& r : p.regimens) {
                BOOST_TEST(!r.patient_name.fr.empty(), r.id);
                BOOST_TEST(!r.patient_name.en.empty(), r.id);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(smallest_protocol_is_valid_with_defaults) {
    const auto parsed = parse_protocol(head);
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    BOOST_TEST_REQUIRE(parsed.protocol.has_value());
    const auto& p = *parsed.protocol;
    BOOST_TEST(p.id == "P-1");
    BOOST_TEST(!p.blinded);
    BOOST_TEST(p.registry_ids.empty());
    BOOST_TEST(p.design == "");
    BOOST_TEST(p.arms.empty());
    BOOST_TEST(p.cohorts.empty());
    BOOST_TEST(p.regimens.empty());
    BOOST_TEST(p.eligibility.empty());
    BOOST_TEST(p.screening_valid_days.count() == 30);
    BOOST_TEST(p.assumptions.empty());
    BOOST_TEST_REQUIRE(p.visits.size() == 1u);
    BOOST_TEST(p.visits[0].id == "V-D0");
    BOOST_TEST(!p.visits[0].early_termination);
    BOOST_TEST(trialcal::early_termination_visit(p) == nullptr);
    BOOST_TEST(!p.needs_weight());
}

BOOST_AUTO_TEST_CASE(early_termination_visit_is_read_and_left_out_of_the_counts) {
    const auto parsed = parse_protocol(with_head(et_visit("V-ET")));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    const auto& p = *parsed.protocol;
    BOOST_TEST_REQUIRE(p.visits.size() == 2u);
    const auto& et = p.visits[1];
    BOOST_TEST(et.id == "V-ET");
    BOOST_TEST(et.name == "Early termination");
    BOOST_TEST(et.day.count() == 0);
    BOOST_TEST((et.window == Window{date::days{0}, date::days{14}}));
    BOOST_TEST(et.early_termination);
    BOOST_TEST(!et.anchor.has_value());
    BOOST_TEST(!p.visits[0].early_termination);
    BOOST_TEST(trialcal::early_termination_visit(p) == &et);
    BOOST_TEST(p.planned_visit_count() == 1u);
    BOOST_TEST(p.events_for("") == 1u);
}

BOOST_AUTO_TEST_CASE(early_termination_false_is_a_planned_visit) {
    const auto parsed = parse_protocol(with_head(et_visit("V-D3-X", 3, "false")));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    BOOST_TEST(!parsed.protocol->visits[1].early_termination);
    BOOST_TEST(parsed.protocol->planned_visit_count() == 2u);
    BOOST_TEST(trialcal::early_termination_visit(*parsed.protocol) == nullptr);
}

BOOST_AUTO_TEST_CASE(strict_bounds_any_of_and_screening_validity_are_read_into_the_model) {
    const auto parsed = parse_protocol(head_with_screening_valid_days("45") + "\n" +
                                       criterion("diagnosis", "max_exclusive = 90\n") + "\n" +
                                       criterion("lymphocytes", "min_exclusive = 1000\nmax = 4000\n") + "\n" +
                                       criterion("weight_loss", "max = 10\nany_of = \"weight_or_c_peptide\"\n") +
                                       "\n" + criterion("c_peptide", "min = 0.1\nany_of = \"weight_or_c_peptide\"\n"));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    const auto& p = *parsed.protocol;
    BOOST_TEST(p.screening_valid_days.count() == 45);
    BOOST_TEST_REQUIRE(p.eligibility.size() == 4u);
    const auto& diagnosis = p.eligibility[0];
    BOOST_TEST(!diagnosis.min.has_value());
    BOOST_TEST(!diagnosis.max.has_value());
    BOOST_TEST(!diagnosis.min_exclusive.has_value());
    BOOST_TEST(diagnosis.max_exclusive == std::optional<double>{90.0});
    BOOST_TEST(diagnosis.any_of == "");
    const auto& lymphocytes = p.eligibility[1];
    BOOST_TEST(lymphocytes.min_exclusive == std::optional<double>{1000.0});
    BOOST_TEST(!lymphocytes.min.has_value());
    BOOST_TEST(lymphocytes.max == std::optional<double>{4000.0});
    BOOST_TEST(!lymphocytes.max_exclusive.has_value());
    BOOST_TEST(p.eligibility[2].any_of == "weight_or_c_peptide");
    BOOST_TEST(p.eligibility[2].max == std::optional<double>{10.0});
    BOOST_TEST(p.eligibility[3].any_of == "weight_or_c_peptide");
    BOOST_TEST(p.eligibility[3].min == std::optional<double>{0.1});
}

BOOST_DATA_TEST_CASE(malformed_protocol_is_reported_at_its_place, bdata::make(bad_cases()), c) {
    const auto parsed = parse_protocol(c.text);
    BOOST_TEST_CONTEXT("diagnostics:" << text_of(parsed.diagnostics)) {
        BOOST_TEST(!parsed.protocol.has_value());
        BOOST_TEST(parsed.diagnostics.size() == c.count);
        // The expected diagnostic is the one saying the expected message.
        const auto it = std::find_if(parsed.diagnostics.begin(), parsed.diagnostics.end(),
                                     [&](const Diagnostic& d) { return d.message.find(c.message) != std::string::npos; });
        BOOST_TEST_REQUIRE((it != parsed.diagnostics.end()), "no diagnostic says '" << c.message << "'");
        BOOST_TEST(it->line == c.line);
        BOOST_TEST(it->column == c.column);
        BOOST_TEST(it->key == c.key);
    }
}

// Only the header's line changes with CRLF line endings: positions are the same.
BOOST_AUTO_TEST_CASE(crlf_line_endings_keep_positions) {
    std::string text = with_head("[[visits]]\nday = \"3\"\nname = \"D3\"\nwindow = [0, 0]\nprocedures = []\n");
    std::string crlf;
    for (char ch : text) crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
    const auto parsed = parse_protocol(crlf);
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u);
    BOOST_TEST(parsed.diagnostics[0].line == 19);
    BOOST_TEST(parsed.diagnostics[0].column == 7);
    BOOST_TEST(parsed.diagnostics[0].key == "visits[1].day");
}

// Columns count characters, not bytes: "é" is one column.
BOOST_AUTO_TEST_CASE(columns_count_utf8_characters) {
    const auto parsed = parse_protocol(
        with_head("[[visits]]\nday = 3\nname = \"D3\"\nwindow = [0, 0]\nprocedures = [\"\xC3\xA9\", 1]\n"));
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u);
    BOOST_TEST(parsed.diagnostics[0].line == 22);
    BOOST_TEST(parsed.diagnostics[0].column == 20);
    BOOST_TEST(parsed.diagnostics[0].key == "visits[1].procedures[1]");
    BOOST_TEST(parsed.diagnostics[0].message == "expected a string, found an integer");
}

BOOST_AUTO_TEST_CASE(each_unknown_key_is_reported_once) {
    const auto parsed =
        parse_protocol(replaced(head, "title = \"Probe\"\n", "title = \"Probe\"\nsponsor = \"x\"\nphase = 2\n"));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 2u);
    BOOST_TEST(parsed.diagnostics[0].key == "protocol.sponsor");
    BOOST_TEST(parsed.diagnostics[0].line == 5);
    BOOST_TEST(parsed.diagnostics[1].key == "protocol.phase");
    BOOST_TEST(parsed.diagnostics[1].line == 6);
}

BOOST_AUTO_TEST_CASE(regimens_of_one_product_for_disjoint_cohorts_may_share_days) {
    const auto parsed = parse_protocol(with_head(R"([[cohorts]]
id = "A"
name = "a"

[[cohorts]]
id = "B"
name = "b"

[[regimens]]
id = "R1"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10
cohorts = ["A"]

[[regimens]]
id = "R2"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 20
except_cohorts = ["A"]
)"));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST(parsed.diagnostics.empty());
    BOOST_TEST(parsed.protocol.has_value());
}

// A visit whose explicit id is X-D3, the event id of a regimen's D3 dose.
const std::string visit_clashing_with_a_dose = with_head(R"([[regimens]]
id = "R"
product = "X"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = 10

[[visits]]
id = "X-D3"
day = 3
name = "D3"
window = [0, 0]
procedures = []
)");

// A visit whose explicit id is a dose's event id: the clash is reported once,
// and not blamed on two regimens (there is one).
BOOST_AUTO_TEST_CASE(visit_id_clashing_with_a_dose_id_is_not_blamed_on_two_regimens) {
    const auto parsed = parse_protocol(visit_clashing_with_a_dose);
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u);
    BOOST_TEST(parsed.diagnostics[0].message.find("duplicate event id 'X-D3'") != std::string::npos);
    BOOST_TEST(parsed.diagnostics[0].message.find("two regimens") == std::string::npos);
}

// A text the store accepted before skips the event-id check (it proved the
// ids unique then), and only that: a wrong type is still reported.
BOOST_AUTO_TEST_CASE(accepted_text_skips_only_the_event_id_check) {
    const std::string& clash = visit_clashing_with_a_dose;
    BOOST_TEST(parse_protocol(clash).diagnostics.size() == 1u);
    const auto accepted = parse_protocol(clash, Checks::accepted_text);
    BOOST_TEST(accepted.diagnostics.empty());
    BOOST_TEST_REQUIRE(accepted.protocol.has_value());
    BOOST_TEST(accepted.protocol->visits.size() == 2u);

    const auto wrong_type = parse_protocol(with_head(R"([[visits]]
day = "3"
name = "D3"
window = [0, 0]
procedures = []
)"), Checks::accepted_text);
    BOOST_TEST_REQUIRE(wrong_type.diagnostics.size() == 1u);
    BOOST_TEST(wrong_type.diagnostics[0].key == "visits[1].day");
    BOOST_TEST(!wrong_type.protocol.has_value());
}

// A text stored by the release before intake_times existed must still load,
// or no report of an existing database could be made: its two intakes are
// taken as 08:00 and 20:00. A new file without them is refused.
BOOST_AUTO_TEST_CASE(accepted_text_without_intake_times_spreads_the_intakes) {
    std::string stored = seed_protocols::read_calendar_file("nct05153070-v2.toml");
    const std::string line = "intake_times = [\"08:00\", \"20:00\"] # assumption (compliance v2)\n";
    const std::size_t at = stored.find(line);
    BOOST_TEST_REQUIRE(at != std::string::npos);
    stored.erase(at, line.size());
    const auto full = parse_protocol(stored);
    BOOST_TEST_REQUIRE(full.diagnostics.size() == 1u);
    BOOST_TEST(full.diagnostics[0].key == "regimens[0].intake_times");
    const auto accepted = parse_protocol(stored, Checks::accepted_text);
    BOOST_TEST_REQUIRE(accepted.diagnostics.empty());
    const auto& csa = accepted.protocol->regimens.at(0);
    BOOST_TEST_REQUIRE(csa.intake_times.size() == 2u);
    BOOST_TEST(csa.intake_times[0].count() == 8 * 60);
    BOOST_TEST(csa.intake_times[1].count() == 20 * 60);
}

// One file, seven problems in different tables: all reported, in file order.
BOOST_AUTO_TEST_CASE(all_problems_of_a_file_are_reported_in_line_order) {
    const std::string text = R"([protocol]
id = "P-1"
title = "Probe"

[[products]]
id = "X"
drug = "drug x"
route = "SC"
unit = "mg"

[[visits]]
day = "0"
name = "Inclusion"
window = [0, 0]
procedures = []

[[visits]]
day = 3
name = "D3"
window = [-1, 1]
procedures = []
foo = 1

[[eligibility]]
id = "age"
text = "Age"
min = 65
max = 18
unit = "years"

[[regimens]]
id = "R"
product = "Z"
first_day = 1
last_day = 5
every_days = 1
window = [0, 0]
amount = "arms"
)";
    const auto parsed = parse_protocol(text);
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST(!parsed.protocol.has_value());
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 7u);
    std::vector<int> lines, columns;
    std::vector<std::string> keys;
    for (const auto& d : parsed.diagnostics) {
        lines.push_back(d.line);
        columns.push_back(d.column);
        keys.push_back(d.key);
    }
    BOOST_TEST(lines == (std::vector<int>{1, 12, 20, 22, 28, 33, 38}), boost::test_tools::per_element());
    BOOST_TEST(columns == (std::vector<int>{1, 7, 11, 1, 7, 11, 10}), boost::test_tools::per_element());
    BOOST_TEST(keys ==
                   (std::vector<std::string>{"protocol.version", "visits[0].day", "visits[1].window", "visits[1].foo",
                                             "eligibility[0].max", "regimens[0].product", "regimens[0].amount"}),
               boost::test_tools::per_element());
    BOOST_TEST(std::is_sorted(parsed.diagnostics.begin(), parsed.diagnostics.end(),
                              [](const Diagnostic& a, const Diagnostic& b) {
                                  return a.line != b.line ? a.line < b.line : a.column < b.column;
                              }));
}

BOOST_AUTO_TEST_CASE(syntax_error_stops_at_the_first_one) {
    const auto parsed = parse_protocol("[protocol]\nid = \n\n[[visits]]\nday = \n");
    BOOST_TEST(!parsed.protocol.has_value());
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u);
    BOOST_TEST(parsed.diagnostics[0].line == 2);
    BOOST_TEST(parsed.diagnostics[0].column == 6);
    BOOST_TEST(parsed.diagnostics[0].key == "");
    BOOST_TEST(parsed.diagnostics[0].message.find("expected value") != std::string::npos);
}

// toml++ 3.3 mishandles a non-ASCII character outside strings (upstream
// #295: undefined behaviour, then an assertion): the core refuses it first,
// where TOML allows none anyway.
BOOST_AUTO_TEST_CASE(non_ascii_outside_strings_is_refused_before_toml_sees_it) {
    struct Case {
        std::string text;
        int line, column;
        std::string where;
    };
    const Case cases[] = {
        {"\xcc\xaa", 1, 1, "outside a string or comment"},
        {"[[\xcc\x89isits]]\nday = 1\n", 1, 3, "outside a string or comment"},
        {"# caf\xc3\xa9 is fine here\nx = 1\n\xc2\xa0y = 2\n", 3, 1, "outside a string or comment"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.where << " at " << c.line << ":" << c.column) {
            const auto parsed = trialcal::parse_protocol(c.text);
            BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u);
            BOOST_TEST(parsed.diagnostics[0].line == c.line);
            BOOST_TEST(parsed.diagnostics[0].column == c.column);
            BOOST_TEST(parsed.diagnostics[0].message.find(c.where) != std::string::npos, parsed.diagnostics[0].message);
        }
    }
}

BOOST_AUTO_TEST_CASE(non_ascii_inside_strings_and_comments_and_a_bom_are_fine) {
    // Only the screen is tested here: each text reaches toml++, which then
    // reports the protocol's missing tables, not a character.
    for (const std::string text : {"\xEF\xBB\xBF# Beh\xc3\xa7" "et\n", "a = \"Beh\xc3\xa7" "et\"\n", "a = 'Gougerot-Sj\xc3\xb6gren'\n",
                                   "a = \"\"\"\nline \xc3\xa9\n\"\"\"\n", "a = \'\'\'\n\xc3\xa9\n\'\'\'\n",
                                   "a = \"\"\"x \\\n  y \xc3\xa9\"\"\"\n",
                                   // upstream #190: a line-ending backslash, then a non-ASCII character
                                   "s = \"\"\"\\\n\xc2\xa7\"\"\"\n",
                                   // upstream #295's lookahead: an accented letter after a bad number
                                   "name = 3\"Beh\xc3\xa7" "et\"\n"}) {
        const auto parsed = trialcal::parse_protocol(text);
        for (const auto& d : parsed.diagnostics) BOOST_TEST(d.message.find("non-ASCII") == std::string::npos, d.message);
    }
}

// anchor = "ID" on a regimen and on a visit lands in the model as written;
// a regimen anchored on its own first dose is no loop.
BOOST_AUTO_TEST_CASE(anchors_are_read_into_the_model) {
    const auto parsed = parse_protocol(with_head(anchored_regimen("A", 1, 5, "X-D1") + "\n" +
                                                 anchored_regimen("B", 10, 12, "X-D5") + "\n" +
                                                 anchored_visit(12, "X-D10")));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty());
    const trialcal::Protocol& p = *parsed.protocol;
    BOOST_TEST_REQUIRE(p.regimens.size() == 2u);
    BOOST_TEST(p.regimens[0].anchor == std::optional<std::string>("X-D1"));
    BOOST_TEST(p.regimens[1].anchor == std::optional<std::string>("X-D5"));
    BOOST_TEST_REQUIRE(p.visits.size() == 2u);
    BOOST_TEST(!p.visits[0].anchor.has_value());
    BOOST_TEST(p.visits[1].anchor == std::optional<std::string>("X-D10"));
}

// Each cohort's own regimen may count from an event of every cohort, and a
// regimen of one cohort from an event only that cohort plans.
BOOST_AUTO_TEST_CASE(anchor_planned_only_in_the_cohorts_that_need_it_is_fine) {
    const auto parsed = parse_protocol(
        with_head(replaced(anchor_in_cohort_a_only, "anchor = \"X-D1\"", "anchor = \"X-D1\"\ncohorts = [\"A\"]")));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST(parsed.diagnostics.empty());
}

// A loop is reported once, whichever of its members the walk starts from,
// and a chain into a loop does not repeat it.
BOOST_AUTO_TEST_CASE(a_loop_is_reported_once) {
    const auto parsed = parse_protocol(with_head(anchored_regimen("A", 1, 5, "V-D3") + "\n" +
                                                 anchored_regimen("B", 10, 12, "X-D2") + "\n" +
                                                 anchored_visit(3, "X-D1")));
    BOOST_TEST_INFO("diagnostics:" << text_of(parsed.diagnostics));
    BOOST_TEST_REQUIRE(parsed.diagnostics.size() == 1u);
    BOOST_TEST(parsed.diagnostics[0].message.starts_with(
        "anchors loop: regimen 'A' counts from V-D3 (visit 'V-D3'), which counts from X-D1 (regimen 'A');"));
}

// The seeds' anchors (spec/protocols.md, additions): the ILT-101/placebo
// course and the D67 visit on the first injection, the weekly injections on
// the fifth; TRANSREG's and MS-IL2's maintenance on the first induction dose.
BOOST_AUTO_TEST_CASE(seed_anchors) {
    for (const char* file : {"nct05153070-v1.toml", "nct05153070-v2.toml"}) {
        BOOST_TEST_CONTEXT(file) {
            const auto& p = seed_protocols::protocol(file);
            BOOST_TEST(!p.regimens.at(0).anchor.has_value());
            BOOST_TEST(p.regimens.at(1).anchor == std::optional<std::string>("ILT101-D63"));
            BOOST_TEST(p.regimens.at(2).anchor == std::optional<std::string>("ILT101-D67"));
            for (const auto& v : p.visits)
                BOOST_TEST(v.anchor == (v.id == "V-D67" ? std::optional<std::string>("ILT101-D63") : std::nullopt),
                           v.id);
        }
    }
    const auto& transreg = seed_protocols::protocol("transreg.toml");
    BOOST_TEST(!transreg.regimens.at(0).anchor.has_value());
    BOOST_TEST(transreg.regimens.at(1).anchor == std::optional<std::string>("IL2-D1"));
    BOOST_TEST(transreg.regimens.at(2).anchor == std::optional<std::string>("IL2-D1"));
    const auto& ms = seed_protocols::protocol("ms-il2.toml");
    BOOST_TEST(!ms.regimens.at(0).anchor.has_value());
    BOOST_TEST(ms.regimens.at(1).anchor == std::optional<std::string>("IL2-D1"));
    const auto& df = seed_protocols::protocol("df-il2.toml");
    for (const auto& r : df.regimens) BOOST_TEST(!r.anchor.has_value());
    for (const auto& v : df.visits) BOOST_TEST(!v.anchor.has_value());
    for (const auto* p : {&transreg, &ms})
        for (const auto& v : p->visits) BOOST_TEST(!v.anchor.has_value());
}

BOOST_AUTO_TEST_SUITE_END()
