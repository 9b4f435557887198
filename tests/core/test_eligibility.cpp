// evaluate_eligibility: screening values against the seed protocols' numeric
// criteria as shipped, each at its bound, just inside and just outside;
// any_of groups; missing values; what a failure says.
#include "core/eligibility.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "tests/core/seed_protocols.hpp"
#include "tests/support/print.hpp"

namespace bdata = boost::unit_test::data;
using trialcal::evaluate_eligibility;
using trialcal::CriterionOutcome;
using trialcal::ScreeningValues;

namespace boost::test_tools::tt_detail {
template <>
struct print_log_value<trialcal::CriterionOutcome> {
    void operator()(std::ostream& os, trialcal::CriterionOutcome o) const {
        os << (o == CriterionOutcome::pass ? "pass" : o == CriterionOutcome::missing ? "missing" : "out_of_bounds");
    }
};
}  // namespace boost::test_tools::tt_detail

namespace {

const trialcal::Protocol& seed(const std::string& file) { return seed_protocols::protocol(file); }

const trialcal::Criterion& criterion(const std::string& file, const std::string& id) {
    const trialcal::Criterion* c = trialcal::find_criterion(seed(file), id);
    BOOST_TEST_REQUIRE(c != nullptr, file << " has no criterion " << id);
    return *c;
}

// One seed criterion against one value: whether it passes, else the bound
// it breaks as bound_text() words it.
struct BoundCase {
    const char* file;
    const char* id;
    double value;
    const char* broken;  // nullptr: passes
};

std::ostream& operator<<(std::ostream& os, const BoundCase& c) {
    return os << c.file << " " << c.id << " = " << c.value;
}

// protocols.md, each seed's "Eligibility (numbers)" and "Eligibility, made
// exact": every bound at the bound, one step inside and one step outside.
const std::vector<BoundCase> seed_bounds = {
    // DF-IL2: age 18-50; insulin-treated <= 24 months; lymphocytes 1000-4000.
    {"df-il2.toml", "age", 17, "at least 18"},
    {"df-il2.toml", "age", 18, nullptr},
    {"df-il2.toml", "age", 19, nullptr},
    {"df-il2.toml", "age", 49, nullptr},
    {"df-il2.toml", "age", 50, nullptr},
    {"df-il2.toml", "age", 51, "at most 50"},
    {"df-il2.toml", "t1d_duration", 23, nullptr},
    {"df-il2.toml", "t1d_duration", 24, nullptr},
    {"df-il2.toml", "t1d_duration", 25, "at most 24"},
    {"df-il2.toml", "lymphocytes", 999, "at least 1000"},
    {"df-il2.toml", "lymphocytes", 1000, nullptr},
    {"df-il2.toml", "lymphocytes", 1001, nullptr},
    {"df-il2.toml", "lymphocytes", 3999, nullptr},
    {"df-il2.toml", "lymphocytes", 4000, nullptr},
    {"df-il2.toml", "lymphocytes", 4001, "at most 4000"},
    // NCT05153070 v1: age 16-35; diagnosis < 90 days; lymphocytes > 1000;
    // weight loss <= 10 % or C-peptide >= 0.1 nmol/L.
    {"nct05153070-v1.toml", "age", 15, "at least 16"},
    {"nct05153070-v1.toml", "age", 16, nullptr},
    {"nct05153070-v1.toml", "age", 17, nullptr},
    {"nct05153070-v1.toml", "age", 34, nullptr},
    {"nct05153070-v1.toml", "age", 35, nullptr},
    {"nct05153070-v1.toml", "age", 36, "at most 35"},
    {"nct05153070-v1.toml", "diagnosis", 89, nullptr},
    {"nct05153070-v1.toml", "diagnosis", 90, "below 90 (strict)"},
    {"nct05153070-v1.toml", "diagnosis", 91, "below 90 (strict)"},
    {"nct05153070-v1.toml", "lymphocytes", 999, "above 1000 (strict)"},
    {"nct05153070-v1.toml", "lymphocytes", 1000, "above 1000 (strict)"},
    {"nct05153070-v1.toml", "lymphocytes", 1001, nullptr},
    {"nct05153070-v1.toml", "weight_loss", 9, nullptr},
    {"nct05153070-v1.toml", "weight_loss", 10, nullptr},
    {"nct05153070-v1.toml", "weight_loss", 11, "at most 10"},
    {"nct05153070-v1.toml", "c_peptide", 0.09, "at least 0.1"},
    {"nct05153070-v1.toml", "c_peptide", 0.1, nullptr},
    {"nct05153070-v1.toml", "c_peptide", 0.11, nullptr},
    // NCT05153070 v2: the same but age 16-45.
    {"nct05153070-v2.toml", "age", 15, "at least 16"},
    {"nct05153070-v2.toml", "age", 16, nullptr},
    {"nct05153070-v2.toml", "age", 17, nullptr},
    {"nct05153070-v2.toml", "age", 44, nullptr},
    {"nct05153070-v2.toml", "age", 45, nullptr},
    {"nct05153070-v2.toml", "age", 46, "at most 45"},
    {"nct05153070-v2.toml", "diagnosis", 89, nullptr},
    {"nct05153070-v2.toml", "diagnosis", 90, "below 90 (strict)"},
    {"nct05153070-v2.toml", "diagnosis", 91, "below 90 (strict)"},
    {"nct05153070-v2.toml", "lymphocytes", 999, "above 1000 (strict)"},
    {"nct05153070-v2.toml", "lymphocytes", 1000, "above 1000 (strict)"},
    {"nct05153070-v2.toml", "lymphocytes", 1001, nullptr},
    {"nct05153070-v2.toml", "weight_loss", 9, nullptr},
    {"nct05153070-v2.toml", "weight_loss", 10, nullptr},
    {"nct05153070-v2.toml", "weight_loss", 11, "at most 10"},
    {"nct05153070-v2.toml", "c_peptide", 0.09, "at least 0.1"},
    {"nct05153070-v2.toml", "c_peptide", 0.1, nullptr},
    {"nct05153070-v2.toml", "c_peptide", 0.11, nullptr},
    // TRANSREG: age > 18; WBC >= 2000; lymphocytes >= 600; platelets >= 80 000.
    {"transreg.toml", "age", 17, "above 18 (strict)"},
    {"transreg.toml", "age", 18, "above 18 (strict)"},
    {"transreg.toml", "age", 19, nullptr},
    {"transreg.toml", "wbc", 1999, "at least 2000"},
    {"transreg.toml", "wbc", 2000, nullptr},
    {"transreg.toml", "wbc", 2001, nullptr},
    {"transreg.toml", "lymphocytes", 599, "at least 600"},
    {"transreg.toml", "lymphocytes", 600, nullptr},
    {"transreg.toml", "lymphocytes", 601, nullptr},
    {"transreg.toml", "platelets", 79999, "at least 80000"},
    {"transreg.toml", "platelets", 80000, nullptr},
    {"transreg.toml", "platelets", 80001, nullptr},
    // MS-IL2: WBC >= 3000; lymphocytes >= 1000; platelets >= 150 000; Gd+ lesions <= 2.
    {"ms-il2.toml", "wbc", 2999, "at least 3000"},
    {"ms-il2.toml", "wbc", 3000, nullptr},
    {"ms-il2.toml", "wbc", 3001, nullptr},
    {"ms-il2.toml", "lymphocytes", 999, "at least 1000"},
    {"ms-il2.toml", "lymphocytes", 1000, nullptr},
    {"ms-il2.toml", "lymphocytes", 1001, nullptr},
    {"ms-il2.toml", "platelets", 149999, "at least 150000"},
    {"ms-il2.toml", "platelets", 150000, nullptr},
    {"ms-il2.toml", "platelets", 150001, nullptr},
    {"ms-il2.toml", "gd_lesions", 1, nullptr},
    {"ms-il2.toml", "gd_lesions", 2, nullptr},
    {"ms-il2.toml", "gd_lesions", 3, "at most 2"},
};

const std::vector<std::string> seed_files = {"df-il2.toml", "nct05153070-v1.toml", "nct05153070-v2.toml",
                                             "transreg.toml", "ms-il2.toml"};

// NCT05153070 v1 values that pass every criterion; cases change some.
ScreeningValues nct_passing() {
    return {{"age", 25}, {"diagnosis", 45}, {"lymphocytes", 1500}, {"weight_loss", 5}, {"c_peptide", 0.3}};
}

// The weight-loss-or-C-peptide group with some values changed (none: missing).
struct GroupCase {
    const char* name;
    std::optional<double> weight_loss;
    std::optional<double> c_peptide;
    const char* failure;  // nullptr: eligible
};

std::ostream& operator<<(std::ostream& os, const GroupCase& c) { return os << c.name; }

const std::vector<GroupCase> group_cases = {
    {"both_pass", 5, 0.3, nullptr},
    {"weight_loss_passes_c_peptide_fails", 5, 0.05, nullptr},
    {"c_peptide_passes_weight_loss_fails", 12, 0.3, nullptr},
    {"both_fail", 12, 0.05, "none of weight_loss (12 %: at most 10), c_peptide (0.05 nmol/L: at least 0.1) passes"},
    {"weight_loss_missing_c_peptide_passes", std::nullopt, 0.3, nullptr},
    {"c_peptide_missing_weight_loss_passes", 5, std::nullopt, nullptr},
    {"c_peptide_missing_weight_loss_fails", 12, std::nullopt,
     "none of weight_loss (12 %: at most 10), c_peptide (missing) passes"},
    {"both_missing", std::nullopt, std::nullopt, "none of weight_loss (missing), c_peptide (missing) passes"},
    {"both_at_their_bounds", 10, 0.1, nullptr},
    {"both_just_outside", 10.5, 0.099, "none of weight_loss (10.5 %: at most 10), c_peptide (0.099 nmol/L: at least 0.1) passes"},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(eligibility)

BOOST_DATA_TEST_CASE(seed_criterion_at_just_inside_and_just_outside_its_bounds, bdata::make(seed_bounds), c) {
    const auto check = trialcal::check_criterion(criterion(c.file, c.id), c.value);
    BOOST_TEST(check.criterion == &criterion(c.file, c.id));
    BOOST_TEST_REQUIRE(check.value.has_value());
    BOOST_TEST(*check.value == c.value);
    if (!c.broken) {
        BOOST_TEST(check.outcome == CriterionOutcome::pass);
        BOOST_TEST(!check.broken.has_value());
    } else {
        BOOST_TEST(check.outcome == CriterionOutcome::out_of_bounds);
        BOOST_TEST_REQUIRE(check.broken.has_value());
        BOOST_TEST(trialcal::bound_text(*check.broken) == c.broken);
    }
}

// The table above names every criterion the seeds ship, and no other.
BOOST_DATA_TEST_CASE(bound_table_covers_every_seed_criterion, bdata::make(seed_files), file) {
    std::set<std::string> shipped, tested;
    for (const auto& c : seed(file).eligibility) shipped.insert(c.id);
    for (const auto& c : seed_bounds)
        if (c.file == file) tested.insert(c.id);
    BOOST_TEST(tested == shipped, boost::test_tools::per_element());
}

BOOST_DATA_TEST_CASE(seeds_screenings_stay_valid_30_days, bdata::make(seed_files), file) {
    BOOST_TEST(seed(file).screening_valid_days.count() == 30);
}

BOOST_AUTO_TEST_CASE(nct05153070_groups_weight_loss_and_c_peptide_only) {
    for (const char* file : {"nct05153070-v1.toml", "nct05153070-v2.toml"}) {
        BOOST_TEST_CONTEXT(file) {
            for (const auto& c : seed(file).eligibility)
                BOOST_TEST(c.any_of == (c.id == "weight_loss" || c.id == "c_peptide" ? "weight_or_c_peptide" : ""),
                           c.id);
            BOOST_TEST(criterion(file, "weight_loss").unit == "%");
            BOOST_TEST(criterion(file, "c_peptide").unit == "nmol/L");
            BOOST_TEST(criterion(file, "diagnosis").unit == "days");
        }
    }
}

BOOST_DATA_TEST_CASE(any_of_group_passes_when_one_alternative_passes, bdata::make(group_cases), c) {
    ScreeningValues values = nct_passing();
    values.erase("weight_loss");
    values.erase("c_peptide");
    if (c.weight_loss) values["weight_loss"] = *c.weight_loss;
    if (c.c_peptide) values["c_peptide"] = *c.c_peptide;
    const auto v = evaluate_eligibility(seed("nct05153070-v1.toml"), values);
    BOOST_TEST(v.checks.size() == 5u);
    if (!c.failure) {
        BOOST_TEST(v.eligible);
        BOOST_TEST(v.failures.empty());
        return;
    }
    BOOST_TEST(!v.eligible);
    BOOST_TEST_REQUIRE(v.failures.size() == 1u);
    const auto& f = v.failures.front();
    BOOST_TEST(f.any_of == "weight_or_c_peptide");
    BOOST_TEST_REQUIRE(f.checks.size() == 2u);
    BOOST_TEST(f.checks[0].criterion->id == "weight_loss");
    BOOST_TEST(f.checks[1].criterion->id == "c_peptide");
    BOOST_TEST(f.checks[0].value == c.weight_loss);
    BOOST_TEST(f.checks[1].value == c.c_peptide);
    BOOST_TEST(trialcal::failure_text(f) == c.failure);
}

BOOST_AUTO_TEST_CASE(passing_values_are_eligible_with_every_criterion_checked_in_file_order) {
    const auto v = evaluate_eligibility(seed("nct05153070-v1.toml"), nct_passing());
    BOOST_TEST(v.eligible);
    BOOST_TEST(v.failures.empty());
    std::vector<std::string> ids;
    for (const auto& c : v.checks) {
        ids.push_back(c.criterion->id);
        BOOST_TEST(c.outcome == CriterionOutcome::pass);
    }
    BOOST_TEST(ids == (std::vector<std::string>{"age", "diagnosis", "lymphocytes", "weight_loss", "c_peptide"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_missing_value_is_not_a_pass) {
    ScreeningValues values = nct_passing();
    values.erase("lymphocytes");
    const auto v = evaluate_eligibility(seed("nct05153070-v1.toml"), values);
    BOOST_TEST(!v.eligible);
    BOOST_TEST_REQUIRE(v.failures.size() == 1u);
    const auto& f = v.failures.front();
    BOOST_TEST(f.any_of.empty());
    BOOST_TEST_REQUIRE(f.checks.size() == 1u);
    BOOST_TEST(f.checks[0].criterion->id == "lymphocytes");
    BOOST_TEST(f.checks[0].outcome == CriterionOutcome::missing);
    BOOST_TEST(!f.checks[0].value.has_value());
    BOOST_TEST(!f.checks[0].broken.has_value());
    BOOST_TEST(trialcal::failure_text(f) == "lymphocytes missing");
}

// Exactly 1000 lymphocytes: NCT05153070 asks for more than 1000, MS-IL2 for
// at least 1000.
BOOST_AUTO_TEST_CASE(strict_and_inclusive_bounds_differ_exactly_at_the_bound) {
    ScreeningValues nct = nct_passing();
    nct["lymphocytes"] = 1000;
    const auto strict = evaluate_eligibility(seed("nct05153070-v1.toml"), nct);
    BOOST_TEST(!strict.eligible);
    BOOST_TEST_REQUIRE(strict.failures.size() == 1u);
    BOOST_TEST(trialcal::failure_text(strict.failures[0]) == "lymphocytes 1000 /mm3: must be above 1000 (strict)");
    const auto& broken = *strict.failures[0].checks[0].broken;
    BOOST_TEST((broken.side == trialcal::CriterionBound::Side::lower));
    BOOST_TEST(broken.strict);
    BOOST_TEST(broken.value == 1000.0);

    const ScreeningValues ms{{"wbc", 3000}, {"lymphocytes", 1000}, {"platelets", 150000}, {"gd_lesions", 2}};
    const auto inclusive = evaluate_eligibility(seed("ms-il2.toml"), ms);
    BOOST_TEST(inclusive.eligible);
    BOOST_TEST(inclusive.failures.empty());
}

BOOST_AUTO_TEST_CASE(every_failure_is_named_in_file_order) {
    const ScreeningValues values{{"age", 51}, {"lymphocytes", 4001}};
    const auto v = evaluate_eligibility(seed("df-il2.toml"), values);
    BOOST_TEST(!v.eligible);
    std::vector<std::string> texts;
    for (const auto& f : v.failures) texts.push_back(trialcal::failure_text(f));
    BOOST_TEST(texts ==
                   (std::vector<std::string>{"age 51 years: must be at most 50", "t1d_duration missing",
                                             "lymphocytes 4001 /mm3: must be at most 4000"}),
               boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(ids_are_matched_exactly_and_unknown_ones_are_listed) {
    const auto& p = seed("transreg.toml");
    BOOST_TEST(trialcal::find_criterion(p, "wbc") == &p.eligibility[1]);
    BOOST_TEST(trialcal::find_criterion(p, "WBC") == nullptr);
    BOOST_TEST(trialcal::find_criterion(p, "hemoglobin") == nullptr);
    const ScreeningValues values{{"WBC", 3000}, {"age", 40}, {"hemoglobin", 12}, {"lymphocytes", 700},
                                 {"platelets", 90000}, {"wbc", 2500}};
    BOOST_TEST(trialcal::unknown_criteria(p, values) == (std::vector<std::string>{"WBC", "hemoglobin"}),
               boost::test_tools::per_element());
    // Unknown ids change nothing: the caller refuses them.
    BOOST_TEST(evaluate_eligibility(p, values).eligible);
}

BOOST_AUTO_TEST_CASE(a_value_that_is_not_a_number_passes_no_bound) {
    const auto check =
        trialcal::check_criterion(criterion("ms-il2.toml", "gd_lesions"), std::numeric_limits<double>::quiet_NaN());
    BOOST_TEST(check.outcome == CriterionOutcome::out_of_bounds);
    BOOST_TEST_REQUIRE(check.broken.has_value());
    BOOST_TEST(trialcal::bound_text(*check.broken) == "at most 2");
}

BOOST_AUTO_TEST_CASE(a_protocol_without_criteria_admits_everyone) {
    trialcal::Protocol p;
    const auto v = evaluate_eligibility(p, {});
    BOOST_TEST(v.eligible);
    BOOST_TEST(v.checks.empty());
    BOOST_TEST(v.failures.empty());
}

BOOST_AUTO_TEST_CASE(bounds_are_listed_lower_then_upper) {
    const auto bounds = trialcal::bounds_of(criterion("df-il2.toml", "lymphocytes"));
    BOOST_TEST_REQUIRE(bounds.size() == 2u);
    BOOST_TEST(trialcal::bound_text(bounds[0]) == "at least 1000");
    BOOST_TEST(trialcal::bound_text(bounds[1]) == "at most 4000");
}

BOOST_AUTO_TEST_SUITE_END()
