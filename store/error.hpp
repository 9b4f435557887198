#pragma once
// The store's own errors: an engine's (SQLite's, PostgreSQL's) become these at
// the store's boundary, so callers never see an engine's code.
#include <stdexcept>
#include <string>

namespace trialcal::store {

enum class Errc {
    no_database,    // the file does not exist (read-only commands never create it)
    not_trialcal,   // a file that is not a trialcal database
    newer_schema,   // written by a newer trialcal
    old_schema,     // schema 1, arms in plain text: to be migrated with the unblinding key
    before_sites,   // schema 2, before sites: to be migrated
    before_course,  // schema 3, before the patient's course: to be migrated
    busy,           // locked by another writer past the timeout
    read_only,      // cannot write the file
    refused,        // a rule of the store said no (duplicate, constraint)
    not_permitted,  // the server refused the user: a role without the right, a site not theirs, a failed login
    not_found,      // unknown patient, event or record
    io,             // disk full, I/O error, corruption
    internal,       // a write that broke the store's own rules (a bug)
};

class Error : public std::runtime_error {
public:
    Error(Errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] Errc code() const noexcept { return code_; }

private:
    Errc code_;
};

}  // namespace trialcal::store
