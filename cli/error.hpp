#pragma once
// The exit codes of cli.md, and the command line's own errors (a flag
// missing or in conflict). main() is the only place that turns an error, the
// command line's or a use case's trial::Error, into an exit status.
#include <stdexcept>
#include <string>

namespace trialcal::cli {

enum class Exit : int {
    ok = 0,
    refused = 1,     // a rule said no: duplicate, already matched, not eligible
    usage = 2,       // unknown command or flag, missing argument
    bad_data = 65,   // unparseable value, malformed file, unknown patient/protocol/event
    no_input = 66,   // an input file that does not exist or cannot be read
    internal = 70,
    busy = 75,       // database busy or locked past the timeout
    not_permitted = 77,  // no key, no passphrase, a wrong passphrase, key or kind of key
};

class Error : public std::runtime_error {
public:
    Error(Exit code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] Exit code() const noexcept { return code_; }

private:
    Exit code_;
};

}  // namespace trialcal::cli
