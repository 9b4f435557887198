#pragma once
// Runs the real trialcal executable for end-to-end tests: arguments,
// environment and standard input in; exit code, stdout and stderr out.
#include <chrono>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace trialcal::test {

struct RunResult {
    int code = -1;
    std::string out;
    std::string err;
};

struct RunOptions {
    std::vector<std::pair<std::string, std::string>> env;  // set for the child
    std::string input;                                      // its standard input
    std::filesystem::path cwd;                              // empty: the test's
    long file_size_limit = 0;                               // bytes; 0: none (a full disk)
    // Killed with SIGKILL (code 128 + 9) when still running after this; 0:
    // waits for ever. For commands that once hung (reading a FIFO), so a
    // regression fails the test instead of hanging the suite.
    std::chrono::milliseconds timeout{0};
};

// The environment is cleared of TRIALCAL_* variables first, so tests see only
// what they set; the child has no controlling terminal (nobody to type a
// passphrase).
RunResult run_trialcal(const std::vector<std::string>& args, const RunOptions& opts = {});

// Like run_trialcal, but sends SIGKILL after `delay` when it is still running
// (code is then 128 + 9): a power cut in the middle of a command.
RunResult run_trialcal_killed_after(const std::vector<std::string>& args, std::chrono::microseconds delay,
                                    const RunOptions& opts = {});

// Runs a shell command (sqlite3, pdftotext, node) and returns its exit code
// and standard output.
RunResult run_shell(const std::string& command);

// The bundled protocols of the source tree.
std::filesystem::path source_calendars();

// A fresh empty folder, removed when the object goes.
class TempDir {
public:
    TempDir();
    // A folder under `parent` rather than the system's temporary folder.
    explicit TempDir(const std::filesystem::path& parent);
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& content) const;

private:
    std::filesystem::path path_;
};

std::string slurp(const std::filesystem::path& p);

}  // namespace trialcal::test
