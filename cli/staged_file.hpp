#pragma once
// A file the command line makes (a key pair, a sealed head) that must never
// replace one already there and never be seen half-written: written next to
// its final name, synced, then linked into place, which fails when the name
// exists. Removed unless kept.
#include <sys/types.h>

#include <filesystem>
#include <string>

namespace trialcal::cli {

// Refused (exit 1) naming `p`: `what` says which kind of file is never overwritten.
[[noreturn]] void refuse_existing(const std::filesystem::path& p, const std::string& what);

class StagedFile {
public:
    // `what`: "a key file", "a seal file", for messages.
    StagedFile(const std::filesystem::path& final_path, const std::string& text, mode_t mode, std::string what);
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    ~StagedFile();

    // Links it under its final name, which must not exist yet.
    void place();
    void keep() noexcept { kept_ = true; }

private:
    [[noreturn]] void fail(const char* what) const;

    std::filesystem::path final_, temp_;
    std::string what_;
    int fd_ = -1;
    bool placed_ = false, kept_ = false;
};

// Syncs the folder of `p`: a new name survives a power cut.
void sync_folder_of(const std::filesystem::path& p);

}  // namespace trialcal::cli
