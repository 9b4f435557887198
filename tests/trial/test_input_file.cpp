// read_input: only regular files, at most a limit, never waiting on a FIFO.
// The limit is a parameter, so its edges are tested here with a small one;
// the command line's own limits are constants (tests/cli/test_cli_limits.cpp).
#include "trial/error.hpp"
#include "trial/input_file.hpp"
#include "tests/support/run.hpp"

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

namespace bdata = boost::unit_test::data;
namespace fs = std::filesystem;
using trialcal::test::TempDir;
using trialcal::trial::Error;
using trialcal::trial::FileLimit;
using trialcal::trial::Kind;
using trialcal::trial::read_input;
using trialcal::trial::read_regular_file;

namespace {

constexpr FileLimit ten_bytes{10, "10 B", "a test file"};

struct SizeCase {
    std::size_t size;
    bool accepted;
};

std::ostream& operator<<(std::ostream& os, const SizeCase& c) { return os << c.size << " bytes"; }

const std::vector<SizeCase> size_cases{{0, true}, {1, true}, {9, true}, {10, true}, {11, false}, {4096, false}};

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

BOOST_AUTO_TEST_SUITE(input_file)

BOOST_DATA_TEST_CASE(a_file_up_to_the_limit_is_read_whole, bdata::make(size_cases), c) {
    TempDir dir;
    const std::string content(c.size, 'x');
    const fs::path p = dir.write("f.csv", content);
    if (c.accepted) {
        BOOST_TEST(read_regular_file(p, ten_bytes) == content);
        return;
    }
    try {
        (void)read_regular_file(p, ten_bytes);
        BOOST_TEST(false, "read past the limit");
    } catch (const Error& e) {
        BOOST_TEST((e.kind() == Kind::bad_data));
        BOOST_TEST(contains(e.what(), p.string() + ": " + std::to_string(c.size) +
                                          " bytes, more than 10 bytes (10 B), the most trialcal reads from a test file"),
                   e.what());
    }
}

BOOST_AUTO_TEST_CASE(what_is_not_a_regular_file_is_named_not_read) {
    TempDir dir;
    const fs::path fifo = dir.path() / "pipe.csv";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    fs::create_directory(dir.path() / "folder.csv");
    const std::vector<std::pair<fs::path, std::string>> cases{
        {fifo, "a FIFO (named pipe)"}, {"/dev/zero", "a character device"}, {dir.path() / "folder.csv", "a directory"}};
    for (const auto& [path, what] : cases) {
        BOOST_TEST_CONTEXT(path) {
            // Returns at once: a FIFO without a writer is never waited for.
            const auto in = read_input(path, ten_bytes);
            BOOST_TEST(in.not_regular == what);
            BOOST_TEST(in.text.empty());
            try {
                (void)read_regular_file(path, ten_bytes);
                BOOST_TEST(false, "read");
            } catch (const Error& e) {
                BOOST_TEST((e.kind() == Kind::bad_data));
                BOOST_TEST(contains(e.what(), path.string() + ": not a regular file but " + what), e.what());
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_to_a_regular_file_is_read) {
    TempDir dir;
    const fs::path target = dir.write("real.csv", "a,b\n");
    fs::create_symlink(target, dir.path() / "link.csv");
    BOOST_TEST(read_regular_file(dir.path() / "link.csv", ten_bytes) == "a,b\n");
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_not_found) {
    TempDir dir;
    try {
        (void)read_regular_file(dir.path() / "none.csv", ten_bytes);
        BOOST_TEST(false, "read");
    } catch (const Error& e) {
        BOOST_TEST((e.kind() == Kind::not_found));
        BOOST_TEST(contains(e.what(), "none.csv: cannot be read: No such file or directory"), e.what());
    }
}

BOOST_AUTO_TEST_CASE(the_limits_are_constants) {
    BOOST_TEST(trialcal::trial::csv_file_limit.bytes == 256u * 1024u * 1024u);
    BOOST_TEST(trialcal::trial::text_file_limit.bytes == 16u * 1024u * 1024u);
}

BOOST_AUTO_TEST_SUITE_END()
