#include "output/signature_view.hpp"

#include "output/html_report.hpp"
#include "output/json.hpp"

#include <fmt/format.h>

namespace trialcal {

namespace {

// One line saying who signed, what it means and when: the manifestation a
// person reads first, in the table and above the HTML block alike.
std::string signed_line(const SignatureView& v) {
    std::string s = fmt::format("Signed electronically by {} ({}) at {}", v.signer, v.meaning, v.signed_at_utc);
    if (!v.signed_at_site.empty()) s += fmt::format("; at the site {}", v.signed_at_site);
    return s;
}

std::string html(const SignatureView& v) {
    const auto esc = [](std::string_view s) { return html_escape(s); };
    std::string out(html_signature_begin);
    out += "<section class=\"signature\" aria-label=\"Electronic signature\">\n";
    out += "<h2>Electronic signature</h2>\n";
    out += "<p class=\"signed-name\">" + esc(v.signer) + "</p>\n";
    out += "<dl class=\"head\">\n";
    out += "<dt>Printed name</dt><dd>" + esc(v.signer) + "</dd>\n";
    out += "<dt>Meaning</dt><dd>" + esc(v.meaning) + "</dd>\n";
    out += "<dt>Signed (UTC)</dt><dd>" + esc(v.signed_at_utc) + "</dd>\n";
    if (!v.signed_at_site.empty()) out += "<dt>Signed (site time)</dt><dd>" + esc(v.signed_at_site) + "</dd>\n";
    out += "<dt>Signing key</dt><dd><code>" + esc(v.key) + "</code></dd>\n";
    out += "<dt>Audit chain head</dt><dd><code>" + esc(v.head) + "</code></dd>\n";
    out += "<dt>Report content SHA-256</dt><dd><code>" + esc(v.content_sha256) + "</code></dd>\n";
    out += "</dl>\n";
    out += "<p class=\"note\">" + esc(signed_line(v)) +
           ". The signature (Ed25519) covers the SHA-256 of this report without this section and the audit chain "
           "head it was computed from; it is recorded in the audit trail. Check it with <code>trialcal report "
           "verify FILE</code>.</p>\n";
    out += std::string(html_signature_data_open) + esc(v.statement) + std::string(html_signature_data_close);
    out += "</section>\n";
    out += html_signature_end;
    return out;
}

std::string table(const SignatureView& v) {
    return std::string(table_signature_begin) + signed_line(v) + "\n" + v.statement + std::string(table_signature_end);
}

std::string json(const SignatureView& v) {
    std::string out(json_signature_begin);
    const auto member = [&](std::string_view name, const std::string& value, bool last = false) {
        out += "    " + json_escape(name) + ": " + json_escape(value) + (last ? "\n" : ",\n");
    };
    member("form", v.form);
    member("content_sha256", v.content_sha256);
    member("head", v.head);
    member("signer", v.signer);
    member("key", v.key);
    member("meaning", v.meaning);
    member("signed_at_utc", v.signed_at_utc);
    if (!v.signed_at_site.empty()) member("signed_at_site", v.signed_at_site);
    member("signature", v.signature, true);
    out += "  }";
    return out;
}

}  // namespace

std::string_view signature_tail(SignedFormat f) noexcept {
    switch (f) {
    case SignedFormat::html: return "</body>\n</html>\n";
    case SignedFormat::json: return "\n}\n";
    case SignedFormat::table: return "";
    }
    return "";
}

std::string signature_insertion(SignedFormat f, const SignatureView& v) {
    switch (f) {
    case SignedFormat::html: return html(v);
    case SignedFormat::json: return json(v);
    case SignedFormat::table: return table(v);
    }
    return {};
}

}  // namespace trialcal
