// trialcal keys new --unblinding|--signing [--name TEXT] --out FILE | keys install FILE.pub
// A key pair in two files: FILE, the secret, readable by its owner only
// (0600), and FILE.pub (0644). Neither overwrites a file; both are written
// beside their names and linked into place only once both are whole.
#include "cli/commands.hpp"
#include "cli/error.hpp"
#include "trial/key_install.hpp"
#include "trial/keys.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace trialcal::cli {

namespace {

namespace fs = std::filesystem;

[[noreturn]] void refuse_existing(const fs::path& p) {
    throw Error(Exit::refused, fmt::format("{} exists: a key file is never overwritten; choose another --out", p.string()));
}

// A file written next to its final name, removed unless placed.
class StagedFile {
public:
    StagedFile(const fs::path& final_path, const std::string& text, mode_t mode) : final_(final_path) {
        const fs::path dir = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
        for (int n = 0; fd_ < 0; ++n) {
            temp_ = dir / fmt::format(".{}.{}-{}.tmp", final_path.filename().string(), ::getpid(), n);
            fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
            if (fd_ < 0 && (errno != EEXIST || n > 100)) fail("cannot be created");
        }
        if (::fchmod(fd_, mode) != 0) fail("cannot be given its mode");  // whatever the umask
        for (std::size_t done = 0; done < text.size();) {
            const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) fail("cannot be written");
            done += static_cast<std::size_t>(n);
        }
        if (::fsync(fd_) != 0) fail("cannot be written");
    }
    StagedFile(const StagedFile&) = delete;
    StagedFile& operator=(const StagedFile&) = delete;
    ~StagedFile() {
        if (fd_ >= 0) ::close(fd_);
        ::unlink(temp_.c_str());
        if (!kept_ && placed_) ::unlink(final_.c_str());
    }

    // Links it under its final name, which must not exist yet.
    void place() {
        if (::link(temp_.c_str(), final_.c_str()) != 0) {
            if (errno == EEXIST) refuse_existing(final_);
            fail("cannot be written");
        }
        placed_ = true;
    }
    void keep() noexcept { kept_ = true; }

private:
    [[noreturn]] void fail(const char* what) const {
        throw Error(Exit::internal, fmt::format("{} {} ({}): no key was written", final_.string(), what,
                                                std::strerror(errno)));
    }

    fs::path final_, temp_;
    int fd_ = -1;
    bool placed_ = false, kept_ = false;
};

void new_key(const Globals& g, const trial::NewKeyQuery& q) {
    const fs::path secret = q.out, pub = q.out + ".pub";
    std::error_code ec;
    for (const auto& p : {secret, pub})
        if (fs::exists(fs::symlink_status(p, ec))) refuse_existing(p);  // before a passphrase is asked
    const trial::NewKeyFiles files = trial::new_key(g.env(), q);
    StagedFile s(secret, files.secret_text, 0600);
    StagedFile p(pub, files.public_text, 0644);
    s.place();
    p.place();
    s.keep();
    p.keep();
    const fs::path dir = secret.has_parent_path() ? secret.parent_path() : fs::path(".");
    if (const int d = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); d >= 0) {
        ::fsync(d);  // the new names survive a power cut
        ::close(d);
    }
    print(files.summary);
}

}  // namespace

void add_keys_command(CLI::App& app, const Globals& g) {
    auto* keys = app.add_subcommand("keys", "key pairs for sealed allocation and signed reports");
    keys->require_subcommand(1);
    auto q = std::make_shared<trial::NewKeyQuery>();
    auto* cmd = keys->add_subcommand("new", "make a key pair: FILE (secret, passphrase-protected, 0600) and FILE.pub");
    auto* unblinding = cmd->add_flag("--unblinding", q->unblinding, "a key that opens sealed allocations");
    auto* signing = cmd->add_flag("--signing", q->signing, "a key that signs reports (needs --name)");
    unblinding->excludes(signing);
    cmd->add_option("--name", q->name, "the signer's name, as printed under a signature");
    cmd->add_option("--out", q->out, "the secret key file to make; its public half goes to FILE.pub")->required();
    cmd->callback([&g, q] { new_key(g, *q); });

    auto file = std::make_shared<std::string>();
    auto* install = keys->add_subcommand("install", "install a public key (FILE.pub) in the database: audited");
    install->add_option("file", *file, "the public key file, FILE.pub")->required();
    install->callback([&g, file] {
        const std::string by = g.user();
        print(trial::install_key(g.env(), by, {*file, trial::read_file(*file)}));
    });
}

}  // namespace trialcal::cli
