#include "tests/support/run.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <optional>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace trialcal::test {

namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

RunResult run_shell(const std::string& command) {
    RunResult r;
    FILE* p = popen(command.c_str(), "r");
    if (!p) return r;
    char buf[8192];
    while (std::fgets(buf, sizeof buf, p)) r.out += buf;
    const int status = pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

fs::path source_calendars() { return fs::path(TRIALCAL_SOURCE_DIR) / "calendars"; }

TempDir::TempDir() : TempDir(fs::temp_directory_path()) {}

TempDir::TempDir(const fs::path& parent) {
    std::string tmpl = (parent / "trialcal-test-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path TempDir::write(const std::string& name, const std::string& content) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

namespace {

RunResult run(const std::vector<std::string>& args, const RunOptions& opts,
              std::optional<std::chrono::microseconds> kill_after) {
    TempDir io;
    const fs::path in = io.write("stdin", opts.input), out = io.path() / "stdout", err = io.path() / "stderr";
    // Everything the child needs is made before fork(): tests fork from
    // several threads at once, and between fork() and exec() a child of a
    // threaded process may only make async-signal-safe calls (no malloc, no
    // setenv: a lock another thread held at the fork is never released).
    std::vector<std::string> env_text;
    for (char** e = environ; *e; ++e)
        if (std::strncmp(*e, "TRIALCAL_", 9) != 0) env_text.emplace_back(*e);
    // A name given twice: the later value wins, as setenv() would have it.
    for (const auto& [k, v] : opts.env) {
        const std::string prefix = k + "=";
        std::erase_if(env_text, [&](const std::string& e) { return e.starts_with(prefix); });
        env_text.push_back(prefix + v);
    }
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> argv{const_cast<char*>(TRIALCAL_EXE)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    // O_CLOEXEC: a child another thread forks meanwhile inherits none of them.
    const int fin = open(in.c_str(), O_RDONLY | O_CLOEXEC);
    const int fout = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    const int ferr = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fin < 0 || fout < 0 || ferr < 0) throw std::runtime_error("cannot open the child's standard streams");
    const rlimit limit{static_cast<rlim_t>(opts.file_size_limit), static_cast<rlim_t>(opts.file_size_limit)};
    const char* cwd = opts.cwd.empty() ? nullptr : opts.cwd.c_str();
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        setsid();  // no controlling terminal: trialcal asks nobody anything (a passphrase)
        // dup2 clears O_CLOEXEC on the copies: 0, 1 and 2 survive exec.
        dup2(fin, 0);
        dup2(fout, 1);
        dup2(ferr, 2);
        if (cwd && chdir(cwd) != 0) _exit(127);
        if (opts.file_size_limit > 0) {
            // Writes past the limit fail with EFBIG, as on a full disk.
            signal(SIGXFSZ, SIG_IGN);
            setrlimit(RLIMIT_FSIZE, &limit);
        }
        execve(TRIALCAL_EXE, argv.data(), envp.data());
        _exit(127);
    }
    close(fin);
    close(fout);
    close(ferr);
    if (kill_after) {
        std::this_thread::sleep_for(*kill_after);
        kill(pid, SIGKILL);  // harmless when it has already exited: it is a zombie until waitpid
    }
    int status = 0;
    if (opts.timeout.count() > 0) {
        const auto deadline = std::chrono::steady_clock::now() + opts.timeout;
        while (waitpid(pid, &status, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() >= deadline) {
                kill(pid, SIGKILL);
                waitpid(pid, &status, 0);
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
    } else {
        waitpid(pid, &status, 0);
    }
    RunResult r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = slurp(out);
    r.err = slurp(err);
    return r;
}

}  // namespace

RunResult run_trialcal(const std::vector<std::string>& args, const RunOptions& opts) {
    return run(args, opts, std::nullopt);
}

RunResult run_trialcal_killed_after(const std::vector<std::string>& args, std::chrono::microseconds delay,
                                    const RunOptions& opts) {
    return run(args, opts, delay);
}

}  // namespace trialcal::test
