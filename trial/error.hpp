#pragma once
// Errors that end a use case. Each carries what kind of failure it is, not an
// exit code: the front end (cli/main.cpp) maps kinds to its own codes.
#include <stdexcept>
#include <string>

namespace trialcal::trial {

enum class Kind : unsigned char {
    rule,           // a rule said no: duplicate, already matched, not eligible
    missing_input,  // a value the use case needs was not given
    bad_data,       // unparseable value, malformed file, unknown patient/protocol/event
    not_found,      // an input file or the database that does not exist or cannot be read
    internal,       // a broken invariant, a store that cannot write
    busy,           // the store is locked by another writer past the timeout
    not_permitted,  // no key, no passphrase, a wrong passphrase, key or kind of key
};

class Error : public std::runtime_error {
public:
    Error(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    [[nodiscard]] Kind kind() const noexcept { return kind_; }

private:
    Kind kind_;
};

}  // namespace trialcal::trial
