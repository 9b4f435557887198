// trialcal export sdtm DOMAIN… [--protocol ID] --out DIR [--as-of DATE] [--unblinded --reason TEXT]
// One CSV per CDISC SDTM domain (docs/sdtm.md). The use case streams them
// subject by subject; here they are written next to their final names and
// renamed into place, so a failed export leaves DIR as it was.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "trial/sdtm_export.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

// The folders `dir` needs created, outermost first; throws when it exists
// and is not a folder.
std::vector<fs::path> missing_folders(const fs::path& dir) {
    std::vector<fs::path> missing;
    std::error_code ec;
    for (fs::path p = fs::absolute(dir, ec).lexically_normal(); !p.empty(); p = p.parent_path()) {
        const auto status = fs::status(p, ec);
        if (fs::exists(status)) {
            if (!fs::is_directory(status))
                throw Error(Exit::no_input, fmt::format("--out {}: {} is not a folder", dir.string(), p.string()));
            break;
        }
        missing.insert(missing.begin(), p);
        if (p == p.parent_path()) break;
    }
    return missing;
}

// Writes the datasets into `dir` all or none: each to a hidden file beside its
// final name, synced, then renamed over it once every one is written. On
// failure, every temporary file and every folder this created is removed, and
// old files are left as they were: a rename that fails after others succeeded
// (a folder where a dataset goes) puts the files already replaced back, from
// a hard link to each kept until every rename is done.
class Writer {
public:
    Writer(fs::path dir, std::vector<fs::path> created) : dir_(std::move(dir)), created_(std::move(created)) {}
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() {
        for (const int fd : fds_)
            if (fd >= 0) ::close(fd);
        if (done_) return;
        std::error_code ec;
        for (const auto& t : temps_) fs::remove(t, ec);
        for (auto it = created_.rbegin(); it != created_.rend(); ++it) fs::remove(*it, ec);  // only if empty
    }

    // A hidden file beside `name`'s final path; returns its index for append().
    std::size_t open(const std::string& name) {
        const fs::path final_path = dir_ / name;
        int fd = -1;
        fs::path temp;
        for (int n = 0; fd < 0; ++n) {
            temp = dir_ / fmt::format(".{}.{}{}.tmp", name, ::getpid(), n ? fmt::format("-{}", n) : "");
            fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
            if (fd < 0 && (errno != EEXIST || n > 100))
                throw Error(Exit::no_input, fmt::format("--out {}: cannot create a file in it ({})", dir_.string(),
                                                        std::strerror(errno)));
        }
        temps_.push_back(temp);
        finals_.push_back(final_path);
        fds_.push_back(fd);
        return fds_.size() - 1;
    }

    void append(std::size_t i, const std::string& bytes) {
        const char* p = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            const ssize_t n = ::write(fds_[i], p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail_write(i);
            p += n;
            left -= static_cast<std::size_t>(n);
        }
    }

    // Every file on disk before any is renamed into place.
    void finish() {
        for (std::size_t i = 0; i < fds_.size(); ++i) {
            if (::fsync(fds_[i]) != 0) fail_write(i);
            const int fd = std::exchange(fds_[i], -1);
            if (::close(fd) != 0) fail_write(i);
        }
    }

    void commit() {
        std::vector<fs::path> backups(finals_.size());  // empty: there was no old file
        for (std::size_t i = 0; i < finals_.size(); ++i) {
            const fs::path backup = dir_ / fmt::format(".{}.{}.old", finals_[i].filename().string(), ::getpid());
            std::error_code ec;
            fs::remove(backup, ec);
            if (::link(finals_[i].c_str(), backup.c_str()) == 0) backups[i] = backup;
            // No old file; or a folder in the way, whose rename fails below and undoes the others.
            else if (errno != ENOENT && !fs::is_directory(finals_[i], ec)) {
                const std::string why = std::strerror(errno);
                remove_all(backups);
                throw Error(Exit::internal, fmt::format("{}: cannot be replaced ({}): nothing was exported, {} is as "
                                                        "it was",
                                                        finals_[i].string(), why, dir_.string()));
            }
        }
        for (std::size_t i = 0; i < temps_.size(); ++i) {
            std::error_code ec;
            fs::rename(temps_[i], finals_[i], ec);
            if (ec) {
                for (std::size_t k = 0; k < i; ++k) {  // put back what was replaced
                    std::error_code undo;
                    if (backups[k].empty()) fs::remove(finals_[k], undo);
                    else fs::rename(backups[k], finals_[k], undo);
                }
                remove_all(backups);
                // A folder where the dataset goes is the user's to move: not an internal error.
                std::error_code is_dir;
                const Exit code = fs::is_directory(finals_[i], is_dir) ? Exit::no_input : Exit::internal;
                throw Error(code, fmt::format("{}: cannot be written ({}): nothing was exported, {} is as it was",
                                              finals_[i].string(), ec.message(), dir_.string()));
            }
        }
        remove_all(backups);
        done_ = true;
        if (const int d = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
            ::fsync(d);  // the renames survive a power cut
            ::close(d);
        }
    }

private:
    static void remove_all(const std::vector<fs::path>& paths) {
        std::error_code ec;
        for (const auto& p : paths)
            if (!p.empty()) fs::remove(p, ec);
    }

    [[noreturn]] void fail_write(std::size_t i) {
        const std::string why = std::strerror(errno);
        throw Error(Exit::internal, fmt::format("{}: cannot be written ({}): nothing was exported, {} is as it was",
                                                finals_[i].string(), why, dir_.string()));
    }

    fs::path dir_;
    std::vector<fs::path> created_;
    std::vector<fs::path> temps_, finals_;
    std::vector<int> fds_;  // -1 once closed
    bool done_ = false;
};

void export_sdtm(const Globals& g, const trial::SdtmQuery& a) {
    const trial::SdtmRequest request = trial::prepare_sdtm(a);
    if (a.out.empty()) throw Error(Exit::usage, "--out: give the folder to write the CSV files in");
    const fs::path dir = a.out;
    std::vector<fs::path> created = missing_folders(dir);
    std::error_code ec;
    if (!created.empty() && !fs::create_directories(dir, ec) && ec)
        throw Error(Exit::no_input, fmt::format("--out {}: cannot create the folder ({})", dir.string(), ec.message()));
    // A refusal from here on removes the folders made and the files begun.
    Writer w(dir, std::move(created));
    for (const auto d : request.domains) w.open(sdtm::file_name(d));
    const std::vector<std::size_t> rows =
        trial::stream_sdtm(g.env(), [&g] { return g.user(); }, [&g] { return g.catalog(); }, a, request,
                           [&w](std::size_t i, const std::string& bytes) { w.append(i, bytes); });
    w.finish();
    // The datasets keep CDISC's variables only; what is printed says it.
    std::string summary;
    if (a.unblinded) {
        // Only the files that unblinding changes, those written.
        std::string files;
        for (const auto d : request.domains)
            if (d == sdtm::Domain::EX || d == sdtm::Domain::DM || d == sdtm::Domain::SE)
                files += (files.empty() ? "" : ", ") + sdtm::file_name(d);
        summary = fmt::format("UNBLINDED: {} name the real arms, drugs and amounts\n", files);
    }
    for (std::size_t i = 0; i < rows.size(); ++i)
        summary += fmt::format("{}: {} row{}\n", (dir / sdtm::file_name(request.domains[i])).string(), rows[i],
                               rows[i] == 1 ? "" : "s");
    w.commit();
    print_text(summary);
}

}  // namespace

void add_export_sdtm(CLI::App& export_cmd, const Globals& g) {
    auto a = std::make_shared<trial::SdtmQuery>();
    auto* cmd = export_cmd.add_subcommand("sdtm", "CDISC SDTM datasets, one CSV per domain (TV TA TE DM SV EX DV DS SE)");
    cmd->add_option("domains", a->domains, "domains to write: TV, TA, TE, DM, SV, EX, DV, DS, SE")->required();
    cmd->add_option("--protocol", a->protocol, "one study, ID[@VERSION] (default: every study in the database)");
    cmd->add_option("--out", a->out, "folder for the CSV files (created when missing)")->required();
    cmd->add_option("--as-of", a->as_of, "records dated after it are left out (default: today at each site)");
    auto key = std::make_shared<std::string>();
    add_unblinding(cmd, a->unblinded, a->reason, *key, "EX names the real drug and amount, DM the arm, SE its elements");
    cmd->callback([&g, a, key] {
        if (a->unblinded) a->key = unblinding_key_file(*key);
        export_sdtm(g, *a);
    });
}

}  // namespace trialcal::cli
