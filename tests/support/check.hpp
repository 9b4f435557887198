#pragma once
// Checks end-to-end tests share: substring counts, and run wrappers that
// assert the contract's success (exit 0) and failure (the exit code, nothing
// on stdout, a message on stderr naming the value).
#include "tests/support/run.hpp"

#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::test {

inline std::size_t count(std::string_view text, std::string_view needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string_view::npos; pos = text.find(needle, pos + needle.size())) ++n;
    return n;
}

inline bool contains(std::string_view text, std::string_view needle) {
    return text.find(needle) != std::string_view::npos;
}

inline RunResult ok(const std::vector<std::string>& args, const RunOptions& opts = {}) {
    RunResult r = run_trialcal(args, opts);
    BOOST_TEST_INFO("stderr: " << r.err);
    BOOST_TEST(r.code == 0);
    return r;
}

inline RunResult fails(int code, const std::vector<std::string>& args, std::string_view names,
                       const RunOptions& opts = {}) {
    RunResult r = run_trialcal(args, opts);
    BOOST_TEST(r.code == code);
    BOOST_TEST(r.out.empty());
    BOOST_TEST_INFO("stderr: " << r.err);
    BOOST_TEST(contains(r.err, names));
    return r;
}

}  // namespace trialcal::test
