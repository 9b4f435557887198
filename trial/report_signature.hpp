#pragma once
// Electronic signatures on compliance reports (trust.md, "Electronic
// signatures on reports"; 21 CFR 11.50, 11.70).
//
// What is signed is a statement, one `name: value` a line (signed_lines.hpp):
//   trialcal-report-signature v1
//   content-sha256: SHA-256 of the report's content, hex
//   head: SEQ:HASH, the audit head the report was computed from
//   signer: the printed name of the signing key
//   key: its fingerprint
//   meaning: --meaning, e.g. reviewed, approved
//   signed-at-utc: 2027-03-10T12:00:00Z
//   signed-at-site: 2027-03-10T13:00:00+01:00 Europe/Paris, site PSL
//                   (only for a report of one patient or one site)
// and the signature line after it.
//
// The report's content is the document exactly as it prints unsigned; the
// signed document is that content with the signature inserted at one place
// (output/signature_view.hpp): HTML before `</body>`, JSON as the object's
// last member `"signature"`, a table at the end. `report verify` removes
// exactly that insertion to get the content back.
//
// Signing writes one audit row, "sign report" (target: compliance report;
// new value: signer, key, content-sha256, head and signature; reason: the
// meaning; source: the content's SHA-256), committed before anything is
// printed. The head signed is the head *before* that row: the row holds the
// signature, so it cannot be inside what is signed. The row is therefore the
// one right after the signed head, and `report verify` looks for it there.
#include "output/signature_view.hpp"
#include "store/store.hpp"
#include "trial/compliance_report.hpp"  // Emit
#include "trial/env.hpp"
#include "trial/patient.hpp"
#include "trial/signing_key.hpp"

#include <functional>
#include <optional>
#include <string>

namespace trialcal::trial {

inline constexpr const char* report_signature_form = "trialcal-report-signature v1";
inline constexpr const char* sign_action = "sign report";

// --format as a signable one: html, table or json. csv is refused
// (Kind::missing_input, a usage error): a CSV file has no place for a
// signature that its readers would keep.
[[nodiscard]] SignedFormat signed_format(const std::string& format);
// --meaning: given, one line of printable text, at most 200 bytes.
void check_meaning(const std::string& meaning);

// Where the report is signed at: the site's clock, for a report of one
// patient or one site.
struct SiteClock {
    std::string site;
    std::string zone;
};

// Receives the report as it is made: hashes every byte and passes it on to
// `out`, but for the last bytes the signature goes before (the format's
// tail), which it holds back. A network's report never sits in memory.
class SigningSink {
public:
    SigningSink(SignedFormat format, Emit out) : format_(format), out_(std::move(out)) {}
    void operator()(const std::string& piece);
    // The content's SHA-256, once the whole report went through. A report
    // that does not end as its format must is Kind::internal.
    [[nodiscard]] std::string content_sha256();
    // The signature, then the held-back tail.
    void finish(const SignatureView& v);

private:
    SignedFormat format_;
    Emit out_;
    crypto::Sha256 hash_;
    std::string held_;
};

// Signs the report whose content hashes to `content_sha256`, computed from
// the trail at `head`: in one write transaction of `s` (opened for update),
// refused (Kind::busy, "sign again") when the trail has moved on since
// `head`, the statement is signed and its audit row appended. What to print.
[[nodiscard]] SignatureView sign_report(const Env& env, store::Store& s, const Actor& by, const Signer& signer,
                                        const store::Head& head, const std::string& content_sha256,
                                        const std::string& meaning, const std::optional<SiteClock>& site,
                                        const std::string& patient);

struct SignedReportFile {
    std::string origin;  // its path, for messages
    std::string text;
};

// `report verify FILE`: the signature found, the content's hash recomputed,
// the signature checked with the installed key it names, its audit row found
// right after the signed head, and the trail verified and still extending
// that head. What was verified; Kind::bad_data listing every failure.
[[nodiscard]] std::string verify_signed_report(const Env& env, const SignedReportFile& file);

}  // namespace trialcal::trial
