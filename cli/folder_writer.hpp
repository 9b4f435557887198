#pragma once
// Files written into a folder all or none (the SDTM datasets, an ODM or FHIR
// export's one file): each to a hidden file beside its final name, synced,
// then renamed over it once every one is written. On failure, every
// temporary file and every folder this created is removed, and old files are
// left as they were.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace trialcal::cli {

// The folders `dir` needs created, outermost first; throws (exit 66) when it
// exists and is not a folder.
[[nodiscard]] std::vector<std::filesystem::path> missing_folders(const std::filesystem::path& dir);

// A rename that fails after others succeeded (a folder where a file goes)
// puts the files already replaced back, from a hard link to each kept until
// every rename is done.
class FolderWriter {
public:
    // `created`: the folders made for it, removed again on failure (only if empty).
    FolderWriter(std::filesystem::path dir, std::vector<std::filesystem::path> created);
    // For one file `path` (its folder created when missing): open() its file name.
    [[nodiscard]] static FolderWriter for_file(const std::filesystem::path& path);
    FolderWriter(FolderWriter&&) = default;
    FolderWriter(const FolderWriter&) = delete;
    FolderWriter& operator=(const FolderWriter&) = delete;
    ~FolderWriter();

    // A hidden file beside `name`'s final path; returns its index for append().
    std::size_t open(const std::string& name);
    void append(std::size_t i, const std::string& bytes);
    // File `i` becomes `head`, what was appended to it, then `tail`: for a
    // container whose head says how many rows follow (Dataset-JSON). The
    // rows are copied in blocks, never held.
    void wrap(std::size_t i, const std::string& head, const std::string& tail);
    // Every file on disk before any is renamed into place.
    void finish();
    void commit();

private:
    [[noreturn]] void fail_write(std::size_t i);

    std::filesystem::path dir_;
    std::vector<std::filesystem::path> created_;
    std::vector<std::filesystem::path> temps_, finals_;
    std::vector<int> fds_;  // -1 once closed
    bool done_ = false;
};

// `text` as the file `path`, all or nothing (the folder created when
// missing): for an export's --out FILE.
void write_whole_file(const std::filesystem::path& path, const std::string& text);

}  // namespace trialcal::cli
