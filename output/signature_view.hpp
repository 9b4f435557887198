#pragma once
// The electronic signature on a compliance report, as each format shows it
// (21 CFR 11.50: printed name, date and time, meaning; 11.70: linked to the
// report's content and to the audit trail's head). What is signed, and how
// it is checked, is trial/report_signature's; this only lays the values out.
//
// Each format's signature is one insertion into the report as printed
// unsigned (its content), at a fixed place: HTML just before the closing
// `</body>\n</html>\n`, JSON before the final `\n}\n` (the object's last
// member), a table at the very end. The insertion holds every value, so
// `report verify` lays it out again from the values it read and finds any
// change to the visible manifestation as well as to the signed lines.
#include <string>
#include <string_view>

namespace trialcal {

struct SignatureView {
    std::string form;  // "trialcal-report-signature v1"
    std::string content_sha256;
    std::string head;  // SEQ:HASH the report was computed from
    std::string signer;
    std::string key;  // fingerprint
    std::string meaning;
    std::string signed_at_utc;   // 2027-03-10T12:00:00Z
    std::string signed_at_site;  // "2027-03-10T13:00:00+01:00 Europe/Paris, site PSL"; empty: several sites
    std::string signature;       // base64
    std::string statement;       // the signed lines and the signature line, exactly as signed
};

enum class SignedFormat : unsigned char { html, table, json };

// Where the insertion goes: the content's last bytes, before which it is
// inserted (empty for a table: at the end).
[[nodiscard]] std::string_view signature_tail(SignedFormat f) noexcept;
// The insertion itself.
[[nodiscard]] std::string signature_insertion(SignedFormat f, const SignatureView& v);

// The insertion's fixed markers. Each starts with bytes a report's own text
// never holds: HTML escapes every `<` of data, JSON every line break inside a
// string, and a table has no line of dashes alone. `report verify` finds the
// last start marker and lays the insertion out again to compare.
inline constexpr std::string_view html_signature_begin = "<!-- trialcal-signature-begin -->\n";
inline constexpr std::string_view html_signature_end = "<!-- trialcal-signature-end -->\n";
// Inside the HTML insertion, the signed statement, html-escaped.
inline constexpr std::string_view html_signature_data_open = "<pre class=\"signature-data\">";
inline constexpr std::string_view html_signature_data_close = "</pre>\n";
inline constexpr std::string_view table_signature_begin = "\n-----BEGIN TRIALCAL SIGNATURE-----\n";
inline constexpr std::string_view table_signature_end = "-----END TRIALCAL SIGNATURE-----\n";
inline constexpr std::string_view json_signature_begin = ",\n  \"signature\": {\n";

// The JSON signature's members, in this order (signed_at_site only when
// there is one), each a string: the statement's lines by name, and its
// signature.
inline constexpr std::string_view json_signature_members[] = {
    "form", "content_sha256", "head", "signer", "key", "meaning", "signed_at_utc", "signed_at_site", "signature"};

}  // namespace trialcal
