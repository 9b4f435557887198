#pragma once
// The trial's keys for tests: one unblinding and one signing key pair made
// once per test process (Argon2id costs a tenth of a second a file), written
// to a folder that lives as long as the process, with one passphrase.
#include "crypto/crypto.hpp"
#include "tests/support/run.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace trialcal::test {

inline constexpr const char* test_passphrase = "test passphrase, twelve+";

struct TestKeys {
    TempDir dir;
    std::filesystem::path unblinding = dir.path() / "unblinding.key";
    std::filesystem::path signing = dir.path() / "signing.key";
    std::string unblinding_public, signing_public;  // the .pub files' text

    static const TestKeys& get() {
        static const TestKeys keys;
        return keys;
    }

private:
    TestKeys() {
        const auto write = [](const std::filesystem::path& p, const std::string& text) {
            std::ofstream(p, std::ios::binary) << text;
        };
        const crypto::SecretKey u = crypto::generate(crypto::KeyKind::unblinding, "");
        const crypto::SecretKey s = crypto::generate(crypto::KeyKind::signing, "Dr A. Martin");
        unblinding_public = crypto::write_public_file(u.public_key);
        signing_public = crypto::write_public_file(s.public_key);
        write(unblinding, crypto::write_secret_file(u, test_passphrase));
        write(unblinding.string() + ".pub", unblinding_public);
        write(signing, crypto::write_secret_file(s, test_passphrase));
        write(signing.string() + ".pub", signing_public);
    }
};

}  // namespace trialcal::test
