#pragma once
// The protocol files a use case can use: the bundled calendars/ folder or the
// one named by --calendars / $TRIALCAL_CALENDARS, each file parsed by the core.
#include "core/diagnostic.hpp"
#include "core/protocol.hpp"
#include "trial/input_file.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace trialcal::trial {

struct ProtocolFile {
    std::filesystem::path path;
    std::string text;  // exactly as read: enrollment keeps its hash
    Protocol protocol;
    std::string sha256;  // of `text`, computed once at load
};

class Catalog {
public:
    // Reads and checks every *.toml in `dir`; a malformed file is an error
    // naming file:line:column. An entry that is not a regular file (a FIFO,
    // a socket, a device, a folder, a symbolic link to one or to nothing) is
    // skipped, never opened for reading, and named in warnings().
    static Catalog load(const std::filesystem::path& dir);

    // "ID", "ID@VERSION" or a registry id (NCT number), case-insensitive.
    // Without a version, the newest. Unknown: an error listing what exists.
    [[nodiscard]] const ProtocolFile& find(std::string_view spec) const;
    // Every version of one protocol, oldest first.
    [[nodiscard]] std::vector<const ProtocolFile*> versions(std::string_view id) const;
    [[nodiscard]] const std::vector<ProtocolFile>& files() const noexcept { return files_; }
    [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }
    // The entries skipped, one line each, for the front end to show.
    [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return warnings_; }

private:
    std::filesystem::path dir_;
    std::vector<std::string> warnings_;
    std::vector<ProtocolFile> files_;  // by id, then version
};

// "file:line:column: key: message" for each diagnostic, one per line.
[[nodiscard]] std::string describe(const std::filesystem::path& file, const Diagnostics& d);

// Orders protocol versions: numerically when both are numbers ("2" < "10").
[[nodiscard]] bool version_less(std::string_view a, std::string_view b) noexcept;

}  // namespace trialcal::trial
