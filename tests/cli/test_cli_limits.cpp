// End-to-end: the input limits of issue 14. Inputs that are not regular files
// (/dev/zero, a FIFO, a folder) and CSV files over the size limit end at once
// with exit 65; a protocol folder's FIFOs, sockets and devices are skipped
// with a warning; dates outside 1900-2199 and protocols over the events limit
// are refused naming the value and where it came from. Every refusal leaves
// the database byte for byte as it was, and every run has a timeout, so a
// command that reads forever fails the test instead of hanging it.
#include "tests/support/clinic.hpp"
#include "trial/input_file.hpp"

#include <boost/test/unit_test.hpp>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

using namespace trialcal::test;
using namespace std::chrono_literals;

namespace {

namespace fs = std::filesystem;

// A command that once read forever must end well inside this.
constexpr auto prompt = 1000ms;

struct Site : Clinic {
    Site() {
        ok({"enroll", "P1", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01", "--cohort", "RA"});
    }

    // Runs with a timeout of 10 s; `elapsed` is how long it took.
    RunResult timed(const std::vector<std::string>& args, std::chrono::milliseconds& elapsed,
                    const std::string& calendars = {}) const {
        RunOptions o;
        o.env = env(now);
        if (!calendars.empty()) o.env.emplace_back("TRIALCAL_CALENDARS", calendars);
        o.cwd = dir.path();
        o.timeout = 10s;
        const auto start = std::chrono::steady_clock::now();
        RunResult r = run_trialcal(args, o);
        elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
        return r;
    }

    // Exit `code` within `prompt`, nothing on stdout, stderr naming each of
    // `names`, the database file unchanged byte for byte.
    void refused_promptly(int code, const std::vector<std::string>& names, const std::vector<std::string>& args) const {
        BOOST_TEST_CONTEXT(describe(args)) {
            const std::string before = bytes();
            std::chrono::milliseconds elapsed{};
            const RunResult r = timed(args, elapsed);
            BOOST_TEST(r.code == code, "exit " << r.code << " after " << elapsed.count() << " ms, stderr: " << r.err);
            BOOST_TEST(elapsed < prompt, elapsed.count() << " ms");
            BOOST_TEST(r.out.empty(), r.out);
            for (const auto& n : names) BOOST_TEST(contains(r.err, n), "stderr does not name '" << n << "': " << r.err);
            BOOST_TEST((bytes() == before), "the database file changed");
            BOOST_TEST(!fs::exists(fs::path(db.string() + "-journal")));
        }
    }

    [[nodiscard]] std::string fifo(const std::string& name) const {
        const fs::path p = dir.path() / name;
        fs::create_directories(p.parent_path());
        BOOST_TEST_REQUIRE(::mkfifo(p.c_str(), 0600) == 0, std::strerror(errno));
        return p.string();
    }
};

// A listening Unix socket at `p`, closed with the object.
struct Socket {
    int fd = -1;
    explicit Socket(const fs::path& p) {
        fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, p.c_str(), sizeof addr.sun_path - 1);
        BOOST_TEST_REQUIRE(::bind(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0, std::strerror(errno));
    }
    ~Socket() { ::close(fd); }
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
};

const std::vector<std::string> import_kinds{"patients", "doses"};

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_limits)

BOOST_FIXTURE_TEST_CASE(dev_zero_is_not_imported, Site) {
    for (const auto& kind : import_kinds)
        refused_promptly(65, {"/dev/zero: not a regular file but a character device"}, {"import", kind, "/dev/zero"});
    refused_promptly(65, {"/dev/zero: not a regular file"},
                     {"randomization", "import", "/dev/zero", "--protocol", "DF-IL2"});
}

BOOST_FIXTURE_TEST_CASE(a_named_pipe_without_a_writer_is_not_waited_for, Site) {
    const std::string pipe = fifo("doses.csv");
    for (const auto& kind : import_kinds)
        refused_promptly(65, {pipe + ": not a regular file but a FIFO (named pipe)"}, {"import", kind, pipe});
    refused_promptly(65, {pipe + ": not a regular file"}, {"randomization", "import", pipe, "--protocol", "DF-IL2"});
    refused_promptly(65, {pipe + ": not a regular file"}, {"protocol", "check", pipe});
}

BOOST_FIXTURE_TEST_CASE(a_folder_is_not_a_csv_file, Site) {
    fs::create_directory(dir.path() / "folder.csv");
    const std::string folder = (dir.path() / "folder.csv").string();
    refused_promptly(65, {folder + ": not a regular file but a directory"}, {"import", "doses", folder});
}

BOOST_FIXTURE_TEST_CASE(a_missing_file_is_still_66, Site) {
    const std::string missing = (dir.path() / "missing.csv").string();
    refused_promptly(66, {missing + ": cannot be read: No such file or directory"}, {"import", "doses", missing});
}

BOOST_FIXTURE_TEST_CASE(a_csv_file_over_the_limit_is_refused_before_reading, Site) {
    // Sparse: limit + 1 bytes that take no disk.
    const auto limit = trialcal::trial::csv_file_limit.bytes;
    BOOST_TEST(limit == 256u * 1024u * 1024u);
    const fs::path big = dir.write("big.csv", "patient,at,drug\n");
    fs::resize_file(big, limit + 1);
    const std::string message =
        big.string() + ": 268435457 bytes, more than 268435456 bytes (256 MiB), the most trialcal reads from a CSV file";
    for (const auto& kind : import_kinds) refused_promptly(65, {message}, {"import", kind, big.string()});
    refused_promptly(65, {message}, {"randomization", "import", big.string(), "--protocol", "DF-IL2"});
}

BOOST_FIXTURE_TEST_CASE(a_protocol_folder_skips_what_is_not_a_regular_file, Site) {
    const fs::path cal = dir.path() / "cal";
    fs::create_directory(cal);
    for (const auto& e : fs::directory_iterator(source_calendars()))
        if (e.path().extension() == ".toml") fs::copy_file(e.path(), cal / e.path().filename());
    const std::string pipe = fifo("cal/a-fifo.toml");
    fs::create_directory(cal / "b-folder.toml");
    fs::create_symlink("/dev/zero", cal / "c-zero.toml");
    fs::create_symlink(cal / "nowhere", cal / "d-dangling.toml");
    const Socket socket(cal / "e-socket.toml");

    std::chrono::milliseconds elapsed{};
    const RunResult r = timed({"protocols", "--format", "csv"}, elapsed, cal.string());
    BOOST_TEST_REQUIRE(r.code == 0, "exit " << r.code << ", stderr: " << r.err);
    BOOST_TEST(elapsed < prompt, elapsed.count() << " ms");
    for (const auto& [entry, what] : std::vector<std::pair<std::string, std::string>>{
             {"a-fifo.toml", "a FIFO (named pipe)"},
             {"b-folder.toml", "a directory"},
             {"c-zero.toml", "a character device"},
             {"d-dangling.toml", "a symbolic link to nothing"},
             {"e-socket.toml", "a socket"}})
        BOOST_TEST(contains(r.err, "trialcal: warning: " + (cal / entry).string() + ": skipped, not a regular file but " + what),
                   r.err);
    // Every real protocol still loads, and still enrolls.
    for (const std::string id : {"DF-IL2", "MS-IL2", "NCT05153070", "TRANSREG"}) BOOST_TEST(contains(r.out, id), r.out);
    const RunResult screened = timed({"screen", "P2", "--protocol", "MS-IL2", "--site", "LYON", "--on", "2027-03-01",
                                      "--value", "wbc=5000", "--value", "lymphocytes=2000", "--value",
                                      "platelets=200000", "--value", "gd_lesions=1"},
                                     elapsed, cal.string());
    BOOST_TEST(screened.code == 0, screened.err);
    const RunResult e = timed({"enroll", "P2", "--protocol", "MS-IL2", "--site", "LYON", "--day0", "2027-03-01", "--arm",
                               "IL-2"},
                              elapsed, cal.string());
    BOOST_TEST(e.code == 0, e.err);
    BOOST_TEST(contains(e.err, "a-fifo.toml: skipped"), e.err);
}

BOOST_FIXTURE_TEST_CASE(dates_outside_1900_to_2199_name_the_value_and_its_place, Site) {
    const std::string range = "is outside 1900-01-01 to 2199-12-31";
    refused_promptly(65, {"--day0: '2200-01-01' " + range},
                     {"enroll", "P2", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2200-01-01", "--cohort", "RA"});
    refused_promptly(65, {"--day0: '1899-12-31' " + range},
                     {"calendar", "--protocol", "TRANSREG", "--day0", "1899-12-31", "--cohort", "RA"});
    // Day 0 in range, but its calendar's last visit (D540, window +14) is not.
    refused_promptly(65, {"--day0", "2199-06-01", "visit V-D540 on 2200-12-07", range},
                     {"enroll", "P2", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2199-06-01", "--cohort", "RA"});
    refused_promptly(65, {"--as-of: '2200-01-01' " + range}, {"report", "compliance", "--as-of", "2200-01-01"});
    refused_promptly(65, {"--at: '1899-12-31T09:00': '1899-12-31' " + range},
                     {"dose", "P1", "--at", "1899-12-31T09:00", "--drug", "IL2"});
    const std::string patients = dir.write("p.csv", "patient,protocol,site,day0,cohort\nQ1,TRANSREG,LYON,2027-03-01,RA\n"
                                                    "Q2,TRANSREG,LYON,1899-12-31,RA\n")
                                     .string();
    refused_promptly(65, {patients + ":3: column day0: '1899-12-31' " + range}, {"import", "patients", patients});
    const std::string doses =
        dir.write("d.csv", "patient,at,drug\nP1,2027-03-02T09:00,IL2\nP1,2200-01-01T09:00,IL2\n").string();
    refused_promptly(65, {doses + ":3: column at", "'2200-01-01' " + range}, {"import", "doses", doses});
}

BOOST_FIXTURE_TEST_CASE(a_shift_cannot_move_a_date_past_2199, Site) {
    const std::string text =
        "[protocol]\nid = \"LATE\"\nversion = \"1\"\ntitle = \"late\"\n\n"
        "[[products]]\nid = \"X\"\ndrug = \"x\"\nroute = \"oral\"\nunit = \"mg\"\n\n"
        "[[regimens]]\nid = \"R\"\nproduct = \"X\"\nfirst_day = 5\nlast_day = 5\nevery_days = 1\nwindow = [0, 0]\n"
        "amount = 1\n\n[[visits]]\nday = 0\nname = \"Inclusion\"\nwindow = [0, 0]\nprocedures = []\n";
    const fs::path cal = dir.path() / "cal";
    fs::create_directory(cal);
    dir.write("cal/late.toml", text);
    std::chrono::milliseconds elapsed{};
    // The last valid day itself is a valid date to plan on.
    const RunResult e = timed({"enroll", "P2", "--protocol", "LATE", "--site", "LYON", "--day0", "2199-12-26"}, elapsed,
                              cal.string());
    BOOST_TEST_REQUIRE(e.code == 0, e.err);
    const std::string before = bytes();
    const RunResult r =
        timed({"shift", "P2", "X-D5", "--days", "1", "--reason", "late"}, elapsed, cal.string());
    BOOST_TEST(r.code == 65, r.err);
    BOOST_TEST(contains(r.err, "--days 1: X-D5's window would move to 2200-01-01 to 2200-01-01, which is outside "
                               "1900-01-01 to 2199-12-31"),
               r.err);
    BOOST_TEST((bytes() == before));
}

BOOST_FIXTURE_TEST_CASE(a_protocol_over_the_events_limit_is_refused_by_check_and_by_enroll, Site) {
    // TRANSREG with its induction made daily for ten years, four times a day.
    std::string text = slurp(source_calendars() / "transreg.toml");
    const std::string induction = "first_day = 1\nlast_day = 5\nevery_days = 1\n";
    BOOST_TEST_REQUIRE(contains(text, induction));
    text = replace_all(text, induction,
                       "first_day = 1\nlast_day = 3660\nevery_days = 1\nintakes = [\"A\", \"B\", \"C\", \"D\", \"E\", "
                       "\"F\"]\nintake_times = [\"06:00\", \"08:00\", \"10:00\", \"12:00\", \"14:00\", \"16:00\"]\n");
    // Maintenance counts from the first induction dose, now its first intake:
    // the file stays valid but for its size.
    text = replace_all(text, "anchor = \"IL2-D1\"", "anchor = \"IL2-D1-A\"");
    const fs::path cal = dir.path() / "cal";
    fs::create_directory(cal);
    const std::string file = (cal / "transreg.toml").string();
    dir.write("cal/transreg.toml", text);
    refused_promptly(65, {file + ":", "regimens[0]: a patient's calendar in cohort SLE would have 21996 events",
                          "regimen 'induction' makes 21960 doses", "more than 20000"},
                     {"protocol", "check", file});
    const std::string before = bytes();
    std::chrono::milliseconds elapsed{};
    const RunResult r = timed({"enroll", "P2", "--protocol", "TRANSREG", "--site", "LYON", "--day0", "2027-03-01",
                               "--cohort", "RA"},
                              elapsed, cal.string());
    BOOST_TEST(r.code == 65, r.err);
    BOOST_TEST(contains(r.err, "more than 20000"), r.err);
    BOOST_TEST(elapsed < prompt, elapsed.count() << " ms");
    BOOST_TEST((bytes() == before));
}

BOOST_FIXTURE_TEST_CASE(two_hundred_fifty_six_intakes_make_256_doses_a_day, Site) {
    std::string intakes, times;
    for (int k = 0; k < 256; ++k) {
        const std::string hh = (k / 60 < 10 ? "0" : "") + std::to_string(k / 60);
        const std::string mm = (k % 60 < 10 ? "0" : "") + std::to_string(k % 60);
        intakes += (k ? ", " : "") + std::string("\"I") + std::to_string(k) + "\"";
        times += (k ? ", \"" : "\"") + hh + ":" + mm + "\"";
    }
    const std::string text = std::string("[protocol]\nid = \"MANY\"\nversion = \"1\"\ntitle = \"many intakes\"\n\n") +
                             "[[products]]\nid = \"X\"\ndrug = \"x\"\nroute = \"oral\"\nunit = \"mg\"\n\n" +
                             "[[regimens]]\nid = \"R\"\nproduct = \"X\"\nfirst_day = 1\nlast_day = 2\nevery_days = 1\n" +
                             "window = [0, 0]\namount = 1\nintakes = [" + intakes + "]\nintake_times = [" + times +
                             "]\n\n[[visits]]\nday = 0\nname = \"Inclusion\"\nwindow = [0, 0]\nprocedures = []\n";
    const fs::path cal = dir.path() / "cal";
    fs::create_directory(cal);
    dir.write("cal/many.toml", text);
    std::chrono::milliseconds elapsed{};
    const RunResult check = timed({"protocol", "check", (cal / "many.toml").string()}, elapsed);
    BOOST_TEST(check.code == 0, check.err);
    BOOST_TEST(contains(check.out, "MANY version 1: 1 visits, 512 doses"), check.out);
    const RunResult r = timed({"enroll", "P2", "--protocol", "MANY", "--site", "LYON", "--day0", "2027-03-01"}, elapsed,
                              cal.string());
    BOOST_TEST_REQUIRE(r.code == 0, r.err);
    BOOST_TEST(contains(r.out, "1 visits, 512 doses"), r.out);
    const RunResult c = timed({"calendar", "P2", "--format", "csv"}, elapsed, cal.string());
    BOOST_TEST_REQUIRE(c.code == 0, c.err);
    BOOST_TEST(contains(c.out, "X-D2-I255"), c.out.substr(0, 300));
    BOOST_TEST(count(c.out, "X-D") == 512u);
}

BOOST_AUTO_TEST_SUITE_END()
