#include "cli/folder_writer.hpp"

#include "cli/error.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace trialcal::cli {

namespace fs = std::filesystem;

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

namespace {

void remove_all(const std::vector<fs::path>& paths) {
    std::error_code ec;
    for (const auto& p : paths)
        if (!p.empty()) fs::remove(p, ec);
}

}  // namespace

FolderWriter::FolderWriter(fs::path dir, std::vector<fs::path> created)
    : dir_(std::move(dir)), created_(std::move(created)) {}

FolderWriter::~FolderWriter() {
    for (const int fd : fds_)
        if (fd >= 0) ::close(fd);
    if (done_) return;
    std::error_code ec;
    for (const auto& t : temps_) fs::remove(t, ec);
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) fs::remove(*it, ec);  // only if empty
}

std::size_t FolderWriter::open(const std::string& name) {
    const fs::path final_path = dir_ / name;
    int fd = -1;
    fs::path temp;
    for (int n = 0; fd < 0; ++n) {
        temp = dir_ / fmt::format(".{}.{}{}.tmp", name, ::getpid(), n ? fmt::format("-{}", n) : "");
        fd = ::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && (errno != EEXIST || n > 100))
            throw Error(Exit::no_input, fmt::format("--out {}: cannot create a file in it ({})", dir_.string(),
                                                    std::strerror(errno)));
    }
    temps_.push_back(temp);
    finals_.push_back(final_path);
    fds_.push_back(fd);
    return fds_.size() - 1;
}

void FolderWriter::append(std::size_t i, const std::string& bytes) {
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

void FolderWriter::wrap(std::size_t i, const std::string& head, const std::string& tail) {
    // A second hidden file beside the first takes its place: the head, the
    // rows copied over, the tail.
    const int rows = std::exchange(fds_[i], -1);
    const fs::path rows_path = temps_[i];
    const std::size_t whole = open(finals_[i].filename().string());
    fds_[i] = std::exchange(fds_[whole], -1);
    temps_[i] = temps_[whole];
    temps_.pop_back();
    finals_.pop_back();
    fds_.pop_back();
    struct Gone {  // the rows' file, whatever happens
        int fd;
        const fs::path& path;
        ~Gone() {
            ::close(fd);
            std::error_code ec;
            fs::remove(path, ec);
        }
    } gone{rows, rows_path};
    append(i, head);
    if (::lseek(rows, 0, SEEK_SET) != 0) fail_write(i);
    std::string block(1 << 16, '\0');
    for (;;) {
        const ssize_t n = ::read(rows, block.data(), block.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail_write(i);
        if (n == 0) break;
        append(i, block.substr(0, static_cast<std::size_t>(n)));
    }
    append(i, tail);
}

void FolderWriter::finish() {
    for (std::size_t i = 0; i < fds_.size(); ++i) {
        if (::fsync(fds_[i]) != 0) fail_write(i);
        const int fd = std::exchange(fds_[i], -1);
        if (::close(fd) != 0) fail_write(i);
    }
}

void FolderWriter::commit() {
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
            // A folder where the file goes is the user's to move: not an internal error.
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

void FolderWriter::fail_write(std::size_t i) {
    const std::string why = std::strerror(errno);
    throw Error(Exit::internal, fmt::format("{}: cannot be written ({}): nothing was exported, {} is as it was",
                                            finals_[i].string(), why, dir_.string()));
}

FolderWriter FolderWriter::for_file(const fs::path& path) {
    if (path.filename().empty() || fs::is_directory(path))
        throw Error(Exit::no_input, fmt::format("--out {}: give a file name, not a folder", path.string()));
    const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    std::vector<fs::path> created = missing_folders(dir);
    std::error_code ec;
    if (!created.empty() && !fs::create_directories(dir, ec) && ec)
        throw Error(Exit::no_input, fmt::format("--out {}: cannot create the folder ({})", dir.string(), ec.message()));
    return FolderWriter(dir, std::move(created));
}

void write_whole_file(const fs::path& path, const std::string& text) {
    FolderWriter w = FolderWriter::for_file(path);
    w.append(w.open(path.filename().string()), text);
    w.finish();
    w.commit();
}

}  // namespace trialcal::cli
