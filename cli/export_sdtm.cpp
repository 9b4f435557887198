// trialcal export sdtm DOMAIN… [--protocol ID] --out DIR [--as-of DATE] [--unblinded --reason TEXT]
// One CSV per CDISC SDTM domain (docs/sdtm.md). Everything is computed in
// memory first; the files are then written next to their final names and
// renamed into place, so a failed export leaves DIR as it was.
#include "cli/clock.hpp"
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "cli/patient.hpp"
#include "cli/recording.hpp"
#include "output/sdtm.hpp"
#include "store/store.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

struct SdtmArgs {
    std::vector<std::string> domains;
    std::string protocol, out, as_of, reason;
    bool unblinded = false;
};

std::vector<sdtm::Domain> parse_domains(const std::vector<std::string>& names) {
    std::vector<sdtm::Domain> out;
    for (const auto& n : names) {
        const auto d = sdtm::parse_domain(n);
        if (!d) throw Error(Exit::usage, fmt::format("unknown domain '{}': trialcal exports TV, TA, TE, SV, EX and DV", n));
        if (std::find(out.begin(), out.end(), *d) == out.end()) out.push_back(*d);
    }
    return out;
}

bool wants(const std::vector<sdtm::Domain>& ds, sdtm::Domain d) { return std::find(ds.begin(), ds.end(), d) != ds.end(); }

// One subject as the datasets need them: plan, records not voided, and the
// details of each administration (wall time, unit, kit).
sdtm::Subject subject(store::Store& st, const store::Patient& pt, std::optional<date::sys_days> as_of) {
    PatientPlan pp = load_patient(st, pt.id);
    sdtm::Subject s;
    s.site = pt.site;
    s.patient = pt.id;
    s.plan = std::move(pp.plan);
    s.protocol = std::move(pp.protocol);
    s.records = st.live_records(pt.id);
    for (const auto& r : st.records(pt.id))
        if (!r.voided && r.kind == store::RecordKind::dose) s.administered.push_back({r.id, r.at_local, r.unit, r.kit});
    s.as_of = as_of ? *as_of : today_in(pt.tz);
    return s;
}

// The studies to export: the one --protocol names (the trial design from its
// file, the subjects enrolled on any of its versions), else every study with
// a patient in the database, by id.
std::vector<sdtm::Study> studies(const Globals& g, const SdtmArgs& a, const std::vector<sdtm::Domain>& domains,
                                 std::optional<date::sys_days> as_of) {
    const bool subjects = wants(domains, sdtm::Domain::SV) || wants(domains, sdtm::Domain::EX) ||
                          wants(domains, sdtm::Domain::DV);
    const Catalog catalog = g.catalog();
    std::vector<sdtm::Study> out;
    if (!a.protocol.empty()) {
        out.push_back({catalog.find(a.protocol).protocol, {}});
        if (!subjects) return out;  // the trial design alone needs no database
    }
    auto db = store::Database::open(g.db_path(), store::Mode::read);
    store::Store st(db);
    const std::vector<store::Patient> patients = st.patients();
    if (a.protocol.empty()) {
        std::vector<std::string> ids;
        for (const auto& pt : patients)
            if (std::find(ids.begin(), ids.end(), pt.protocol) == ids.end()) ids.push_back(pt.protocol);
        std::sort(ids.begin(), ids.end());
        for (const auto& id : ids) {
            const auto files = catalog.versions(id);
            if (!files.empty()) {
                out.push_back({files.back()->protocol, {}});
                continue;
            }
            // No longer in the catalog: the newest version a patient is on, as stored.
            std::optional<Protocol> newest;
            for (const auto& pt : patients)
                if (pt.protocol == id) {
                    Protocol p = load_patient(st, pt.id).protocol;
                    if (!newest || version_less(newest->version, p.version)) newest = std::move(p);
                }
            out.push_back({std::move(*newest), {}});
        }
    }
    if (!subjects) return out;
    for (auto& study : out)
        for (const auto& pt : patients)
            if (pt.protocol == study.design.id) study.subjects.push_back(subject(st, pt, as_of));
    return out;
}

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
// final name, synced, then renamed over it. On failure, every temporary file
// and every folder this created is removed, and old files are left as they were.
class Writer {
public:
    Writer(fs::path dir, std::vector<fs::path> created) : dir_(std::move(dir)), created_(std::move(created)) {}
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;
    ~Writer() {
        if (done_) return;
        std::error_code ec;
        for (const auto& t : temps_) fs::remove(t, ec);
        for (auto it = created_.rbegin(); it != created_.rend(); ++it) fs::remove(*it, ec);  // only if empty
    }

    void stage(const std::string& name, const std::string& text) {
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
        const char* p = text.data();
        std::size_t left = text.size();
        while (left > 0) {
            const ssize_t n = ::write(fd, p, left);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail_write(fd, final_path);
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        if (::fsync(fd) != 0) fail_write(fd, final_path);
        if (::close(fd) != 0) fail_write(-1, final_path);
    }

    void commit() {
        for (std::size_t i = 0; i < temps_.size(); ++i) {
            std::error_code ec;
            fs::rename(temps_[i], finals_[i], ec);
            if (ec)
                throw Error(Exit::internal, fmt::format("{}: cannot be written ({})", finals_[i].string(), ec.message()));
        }
        done_ = true;
        if (const int d = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
            ::fsync(d);  // the renames survive a power cut
            ::close(d);
        }
    }

private:
    [[noreturn]] void fail_write(int fd, const fs::path& final_path) {
        const std::string why = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw Error(Exit::internal, fmt::format("{}: cannot be written ({}): nothing was exported, {} is as it was",
                                                final_path.string(), why, dir_.string()));
    }

    fs::path dir_;
    std::vector<fs::path> created_;
    std::vector<fs::path> temps_, finals_;
    bool done_ = false;
};

void export_sdtm(const Globals& g, const SdtmArgs& a) {
    const std::vector<sdtm::Domain> domains = parse_domains(a.domains);
    if (a.unblinded) {
        if (a.reason.empty()) throw Error(Exit::usage, "--unblinded needs --reason TEXT: unblinding is audited");
        check_text("--reason", a.reason, 2000);
        if (!wants(domains, sdtm::Domain::EX))
            throw Error(Exit::usage, "--unblinded changes EX only: export EX, or leave out --unblinded");
    }
    std::optional<date::sys_days> as_of;
    if (!a.as_of.empty()) as_of = parse_date_option("--as-of", a.as_of);
    if (a.out.empty()) throw Error(Exit::usage, "--out: give the folder to write the CSV files in");
    const fs::path dir = a.out;
    std::vector<fs::path> created = missing_folders(dir);

    std::vector<std::pair<std::string, sdtm::Dataset>> files;
    std::string names;
    with_store([&] {
        const std::vector<sdtm::Study> all = studies(g, a, domains, as_of);
        for (const sdtm::Domain d : domains) {
            files.emplace_back(sdtm::file_name(d), sdtm::dataset(d, all, {a.unblinded}));
            names += (names.empty() ? "" : ", ") + std::string(sdtm::code(d));
        }
        if (a.unblinded) {
            std::string ids;
            for (const auto& s : all) ids += (ids.empty() ? "" : ", ") + s.design.id;
            // In the trail before any unblinded byte is written.
            auto db = store::Database::open(g.db_path(), store::Mode::update);
            audit_unblinding(db, g, "", fmt::format("SDTM export {} ({})", names, ids.empty() ? "no study" : ids),
                             a.reason);
        }
    });

    std::error_code ec;
    if (!created.empty() && !fs::create_directories(dir, ec) && ec)
        throw Error(Exit::no_input, fmt::format("--out {}: cannot create the folder ({})", dir.string(), ec.message()));
    Writer w(dir, std::move(created));
    std::string summary;
    for (const auto& [name, data] : files) {
        w.stage(name, data.csv);
        summary += fmt::format("{}: {} row{}\n", (dir / name).string(), data.rows, data.rows == 1 ? "" : "s");
    }
    w.commit();
    print(summary);
}

}  // namespace

void add_export_sdtm(CLI::App& export_cmd, const Globals& g) {
    auto a = std::make_shared<SdtmArgs>();
    auto* cmd = export_cmd.add_subcommand("sdtm", "CDISC SDTM datasets, one CSV per domain (TV TA TE SV EX DV)");
    cmd->add_option("domains", a->domains, "domains to write: TV, TA, TE, SV, EX, DV")->required();
    cmd->add_option("--protocol", a->protocol, "one study, ID[@VERSION] (default: every study in the database)");
    cmd->add_option("--out", a->out, "folder for the CSV files (created when missing)")->required();
    cmd->add_option("--as-of", a->as_of, "records dated after it are left out (default: today at each site)");
    cmd->add_flag("--unblinded", a->unblinded, "EX names the real drug and amount; audited, needs --reason");
    cmd->add_option("--reason", a->reason, "why unblinding");
    cmd->callback([&g, a] { export_sdtm(g, *a); });
}

}  // namespace trialcal::cli
