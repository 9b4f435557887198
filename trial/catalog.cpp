#include "trial/catalog.hpp"

#include "trial/error.hpp"
#include "core/protocol_parser.hpp"
#include "store/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

namespace trialcal::trial {

namespace fs = std::filesystem;

std::string describe(const fs::path& file, const Diagnostics& ds) {
    std::string out;
    for (const auto& d : ds) {
        out += fmt::format("{}:{}:{}: ", file.string(), d.line, d.column);
        if (!d.key.empty()) out += d.key + ": ";
        out += d.message;
        out += '\n';
    }
    if (!out.empty()) out.pop_back();
    return out;
}

bool version_less(std::string_view a, std::string_view b) noexcept {
    auto numeric = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (numeric(a) && numeric(b) && a.size() != b.size()) return a.size() < b.size();
    return a < b;
}

Catalog Catalog::load(const fs::path& dir) {
    Catalog c;
    c.dir_ = dir;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(Kind::not_found, fmt::format("{}: protocol folder not found (set --calendars or $TRIALCAL_CALENDARS)",
                                                dir.string()));
    std::vector<fs::path> paths;
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.path().extension() == ".toml") paths.push_back(entry.path());
    std::sort(paths.begin(), paths.end());
    for (const auto& path : paths) {
        InputText in;
        try {
            in = read_input(path, text_file_limit);
        } catch (const Error& e) {
            // A symbolic link to nothing is not a protocol file either.
            if (e.kind() != Kind::not_found || !fs::is_symlink(path, ec)) throw;
            in.not_regular = "a symbolic link to nothing";
        }
        if (!in.not_regular.empty()) {
            c.warnings_.push_back(
                fmt::format("{}: skipped, not a regular file but {}", path.string(), in.not_regular));
            continue;
        }
        std::string text = std::move(in.text);
        auto parsed = parse_protocol(text);
        if (!parsed.protocol) throw Error(Kind::bad_data, describe(path, parsed.diagnostics));
        for (const auto& other : c.files_)
            if (other.protocol.id == parsed.protocol->id && other.protocol.version == parsed.protocol->version)
                throw Error(Kind::bad_data, fmt::format("{}: protocol {} version {} is also defined in {}", path.string(),
                                                        other.protocol.id, other.protocol.version,
                                                        other.path.string()));
        std::string sha = store::sha256_hex(text);
        c.files_.push_back({path, std::move(text), std::move(*parsed.protocol), std::move(sha)});
    }
    std::sort(c.files_.begin(), c.files_.end(), [](const ProtocolFile& a, const ProtocolFile& b) {
        if (a.protocol.id != b.protocol.id) return a.protocol.id < b.protocol.id;
        return version_less(a.protocol.version, b.protocol.version);
    });
    return c;
}

std::vector<const ProtocolFile*> Catalog::versions(std::string_view id) const {
    std::vector<const ProtocolFile*> out;
    for (const auto& f : files_)
        if (f.protocol.known_as(id)) out.push_back(&f);
    return out;
}

const ProtocolFile& Catalog::find(std::string_view spec) const {
    const auto at = spec.find('@');
    const std::string_view id = spec.substr(0, at);
    const auto candidates = versions(id);
    if (candidates.empty()) {
        std::string known;
        for (const auto& f : files_)
            if (known.find(f.protocol.id) == std::string::npos) known += (known.empty() ? "" : ", ") + f.protocol.id;
        throw Error(Kind::bad_data, fmt::format("unknown protocol '{}' (protocols in {}: {})", spec, dir_.string(),
                                                known.empty() ? "none" : known));
    }
    if (at == std::string_view::npos) return *candidates.back();
    const std::string_view version = spec.substr(at + 1);
    for (const auto* f : candidates)
        if (f->protocol.version == version) return *f;
    std::string known;
    for (const auto* f : candidates) known += (known.empty() ? "" : ", ") + f->protocol.version;
    throw Error(Kind::bad_data, fmt::format("unknown version '{}' of protocol {} (versions: {})", version,
                                            candidates.front()->protocol.id, known));
}

}  // namespace trialcal::trial
