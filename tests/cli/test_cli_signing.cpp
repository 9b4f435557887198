// End-to-end: electronic signatures on compliance reports (report compliance
// --sign, report verify) and the signed audit head (audit seal, audit verify
// --head FILE), trust.md "A head kept elsewhere" and "Electronic signatures
// on reports". Every check runs the real executable on a database the CLI
// built; tampering is done to the files as anyone could.
#include "tests/support/clinic.hpp"
#include "tests/support/print_pdf.hpp"

#include "crypto/crypto.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

using namespace trialcal::test;
namespace crypto = trialcal::crypto;

namespace {

const std::string html_begin = "<!-- trialcal-signature-begin -->\n";
const std::string html_end = "<!-- trialcal-signature-end -->\n";
const std::string table_begin = "\n-----BEGIN TRIALCAL SIGNATURE-----\n";
const std::string table_end = "-----END TRIALCAL SIGNATURE-----\n";
const std::string json_begin = ",\n  \"signature\": {\n";

std::string signing_fingerprint() {
    return crypto::read_public_file(TestKeys::get().signing_public, "signing.key.pub").fingerprint();
}

// One patient of DF-IL2 at PSL (Europe/Paris) with two doses; the signer's
// public key installed (audit row 8 of 8 before anything is signed: the
// trial key, the fixture's three sites, the screening, the enrollment, the dose, the signer's key).
struct Signing : Clinic {
    std::string key = TestKeys::get().signing.string();
    explicit Signing(bool install = true) {
        enroll("P1", "IL2-2");
        ok({"dose", "P1", "--at", "2027-03-02T09:00"});
        if (install) ok({"keys", "install", key + ".pub"});
    }
    [[nodiscard]] std::vector<std::string> report(const std::string& format) const {
        return {"report", "compliance", "--patient", "P1", "--as-of", "2027-03-10", "--format", format};
    }
    [[nodiscard]] std::vector<std::string> signed_report(const std::string& format,
                                                         const std::string& meaning = "reviewed") const {
        auto args = report(format);
        args.insert(args.end(), {"--sign", "--meaning", meaning, "--key", key});
        return args;
    }
    // The report signed, written to NAME; its text.
    std::string sign(const std::string& format, const std::string& name) const {
        const std::string text = ok(signed_report(format));
        dir.write(name, text);
        return text;
    }
    [[nodiscard]] RunResult verify(const std::string& name) const {
        return run({"report", "verify", (dir.path() / name).string()});
    }
    void copy_db_to(const std::string& name) const {
        fs::copy_file(db, dir.path() / name, fs::copy_options::overwrite_existing);
    }
    void copy_db_from(const std::string& name) const {
        fs::copy_file(dir.path() / name, db, fs::copy_options::overwrite_existing);
    }
};

struct NotInstalled : Signing {
    NotInstalled() : Signing(false) {}
};

// `text` without the part from `begin` through `end` (the signature).
std::string without(const std::string& text, const std::string& begin, const std::string& end) {
    const std::size_t a = text.rfind(begin);
    BOOST_TEST_REQUIRE(a != std::string::npos);
    const std::size_t b = text.find(end, a + begin.size());
    BOOST_TEST_REQUIRE(b != std::string::npos);
    return text.substr(0, a) + text.substr(b + end.size());
}

std::string replaced_once(const std::string& text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    BOOST_TEST_REQUIRE(at != std::string::npos, "no '" << from << "'");
    return text.substr(0, at) + to + text.substr(at + from.size());
}

}  // namespace

BOOST_AUTO_TEST_SUITE(cli_signing)

BOOST_FIXTURE_TEST_CASE(signed_html_is_the_report_with_a_manifestation_and_verifies, Signing) {
    const std::string unsigned_html = ok(report("html"));
    const std::string html = sign("html", "r.html");
    // The content is the unsigned report byte for byte; the signature sits
    // just before </body>.
    BOOST_TEST(count(html, html_begin) == 1u);
    BOOST_TEST((without(html, html_begin, html_end) == unsigned_html));
    BOOST_TEST(html.ends_with(html_end + "</body>\n</html>\n"));
    const std::string sha = crypto::sha256_hex(unsigned_html);
    for (const std::string& shown :
         {std::string("<p class=\"signed-name\">Dr A. Martin</p>"), std::string("<dt>Meaning</dt><dd>reviewed</dd>"),
          std::string("<dt>Signed (UTC)</dt><dd>2027-03-10T12:00:00Z</dd>"),
          // Paris is UTC+1 in March before the change: the site's clock.
          std::string("<dt>Signed (site time)</dt><dd>2027-03-10T13:00:00+01:00 Europe/Paris, site PSL</dd>"),
          "<dt>Signing key</dt><dd><code>" + signing_fingerprint() + "</code></dd>",
          // The head before the signature's own row (8 rows before it).
          std::string("<dt>Audit chain head</dt><dd><code>8:"), "content-sha256: " + sha + "\n"})
        BOOST_TEST(contains(html, shown), shown);

    const RunResult v = verify("r.html");
    BOOST_TEST(v.code == 0, v.err);
    BOOST_TEST(contains(v.out, "signed html report verified"));
    BOOST_TEST(contains(v.out, "signer: Dr A. Martin (key " + signing_fingerprint() + ")"));
    BOOST_TEST(contains(v.out, "meaning: reviewed"));
    BOOST_TEST(contains(v.out, "signed at: 2027-03-10T12:00:00Z; 2027-03-10T13:00:00+01:00 Europe/Paris, site PSL"));
    BOOST_TEST(contains(v.out, "content: sha256 " + sha + ", unchanged"));
    BOOST_TEST(contains(v.out, "signature recorded in row 9"));

    // The signature is in the audit trail, which still verifies.
    const Json rows = Json::parse(ok({"audit", "--format", "json"})).at("audit");
    BOOST_TEST_REQUIRE(rows.size() == 9u);
    const Json& row = rows.at(8);
    BOOST_TEST(row.at("action").str() == "sign report");
    BOOST_TEST(row.at("patient").str() == "P1");
    BOOST_TEST(row.at("reason").str() == "reviewed");
    BOOST_TEST(contains(row.at("new").str(), "content-sha256=" + sha));
    BOOST_TEST(contains(ok({"audit", "verify"}), "audit trail intact: 9 rows"));
}

BOOST_FIXTURE_TEST_CASE(signed_table_ends_with_its_block_and_verifies, Signing) {
    const std::string unsigned_table = ok(report("table"));
    const std::string table = sign("table", "r.txt");
    BOOST_TEST(table.starts_with(unsigned_table));
    BOOST_TEST((without(table, table_begin, table_end) == unsigned_table));
    const std::string block = table.substr(unsigned_table.size());
    BOOST_TEST(block.starts_with(table_begin +
                                 "Signed electronically by Dr A. Martin (reviewed) at 2027-03-10T12:00:00Z; at the site "
                                 "2027-03-10T13:00:00+01:00 Europe/Paris, site PSL\n"
                                 "trialcal-report-signature v1\n"
                                 "content-sha256: " +
                                 crypto::sha256_hex(unsigned_table) + "\nhead: 8:"),
               block);
    BOOST_TEST(contains(block, "\nsigner: Dr A. Martin\nkey: " + signing_fingerprint() +
                                   "\nmeaning: reviewed\nsigned-at-utc: 2027-03-10T12:00:00Z\n"
                                   "signed-at-site: 2027-03-10T13:00:00+01:00 Europe/Paris, site PSL\nsignature: "));
    BOOST_TEST(block.ends_with(table_end));
    const RunResult v = verify("r.txt");
    BOOST_TEST(v.code == 0, v.err);
    BOOST_TEST(contains(v.out, "signed table report verified"));
}

BOOST_FIXTURE_TEST_CASE(signed_json_has_a_last_signature_member_and_verifies, Signing) {
    const std::string unsigned_json = ok(report("json"));
    const std::string json = sign("json", "r.json");
    // The member is inserted before the final "\n}\n"; removing exactly it
    // gives the unsigned document back.
    BOOST_TEST((without(json, json_begin, "\n  }") == unsigned_json));
    const Json doc = Json::parse(json);
    BOOST_TEST(doc.keys().back() == "signature");
    const Json& s = doc.at("signature");
    BOOST_TEST(s.keys() == (std::vector<std::string>{"form", "content_sha256", "head", "signer", "key", "meaning",
                                                      "signed_at_utc", "signed_at_site", "signature"}),
               boost::test_tools::per_element());
    BOOST_TEST(s.at("form").str() == "trialcal-report-signature v1");
    BOOST_TEST(s.at("content_sha256").str() == crypto::sha256_hex(unsigned_json));
    BOOST_TEST(s.at("head").str() == doc.at("audit_head").str());
    BOOST_TEST(s.at("signer").str() == "Dr A. Martin");
    BOOST_TEST(s.at("meaning").str() == "reviewed");
    const RunResult v = verify("r.json");
    BOOST_TEST(v.code == 0, v.err);
    BOOST_TEST(contains(v.out, "signed json report verified"));
}

BOOST_FIXTURE_TEST_CASE(a_meaning_with_quotes_and_markup_round_trips, Signing) {
    // Escaped in HTML and JSON, as typed in the table: each verifies.
    const std::string meaning = "approved \"as is\" <final> & 'done' \xc3\xa9t\xc3\xa9";
    for (const std::string format : {"html", "json", "table"}) {
        dir.write("m." + format, ok(signed_report(format, meaning)));
        const RunResult v = verify("m." + format);
        BOOST_TEST(v.code == 0, format << ": " << v.err);
        BOOST_TEST(contains(v.out, "meaning: " + meaning), format);
    }
}

BOOST_FIXTURE_TEST_CASE(one_byte_of_content_changed_fails_naming_the_content, Signing) {
    struct Case {
        std::string format, name, from, to;
    };
    for (const Case& c : {Case{"html", "r.html", "<dt>Patients</dt><dd>1</dd>", "<dt>Patients</dt><dd>2</dd>"},
                          Case{"table", "r.txt", "P1", "P2"}, Case{"json", "r.json", "\"P1\"", "\"P2\""}}) {
        const std::string text = sign(c.format, c.name);
        dir.write(c.name, replaced_once(text, c.from, c.to));
        const RunResult v = verify(c.name);
        BOOST_TEST(v.code == 65, c.format);
        BOOST_TEST(contains(v.err, "content changed: the report's content hashes to"), c.format << ": " << v.err);
        BOOST_TEST(!contains(v.err, "signature invalid"), v.err);
        BOOST_TEST(v.out.empty());
    }
}

BOOST_FIXTURE_TEST_CASE(an_altered_signature_block_fails, Signing) {
    const std::string html = sign("html", "r.html");
    // The visible manifestation changed, the signed lines kept.
    dir.write("shown.html", replaced_once(html, "<dt>Meaning</dt><dd>reviewed</dd>", "<dt>Meaning</dt><dd>approved</dd>"));
    RunResult v = verify("shown.html");
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "1 failure"), v.err);
    BOOST_TEST(contains(v.err, "signature block altered"), v.err);

    // The signed meaning changed (and the line shown with it): the signature
    // no longer matches, and the trail's record says otherwise.
    const std::string table = sign("table", "r.txt");
    std::string forged = replaced_once(table, "meaning: reviewed\n", "meaning: approved\n");
    forged = replaced_once(forged, "Dr A. Martin (reviewed)", "Dr A. Martin (approved)");
    dir.write("forged.txt", forged);
    v = verify("forged.txt");
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "signature invalid: it does not match the signed lines under key " + signing_fingerprint()),
               v.err);
    BOOST_TEST(!contains(v.err, "content changed"), v.err);
    // The table's signature is row 10 (the HTML's is row 9).
    BOOST_TEST(contains(v.err, "audit trail: row 10 records another signature (meaning 'reviewed'"), v.err);

    // The signature itself: one character of its base64 changed.
    const std::string json = sign("json", "r.json");
    const std::size_t at = json.find("\"signature\": \"", json.find(json_begin) + 1) + 14;
    std::string bad = json;
    bad[at] = bad[at] == 'A' ? 'B' : 'A';
    dir.write("bad.json", bad);
    v = verify("bad.json");
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "signature invalid"), v.err);

    // No signature at all.
    dir.write("cut.html", without(html, html_begin, html_end));
    v = verify("cut.html");
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "no trialcal signature found"), v.err);
}

BOOST_FIXTURE_TEST_CASE(a_key_not_installed_is_refused_with_77_and_writes_nothing, NotInstalled) {
    refused(77, "signing key " + signing_fingerprint() + " of Dr A. Martin is not installed", signed_report("html"));
    const RunResult r = run(signed_report("json"));
    BOOST_TEST(r.code == 77);
    BOOST_TEST(r.out.empty());
}

BOOST_FIXTURE_TEST_CASE(a_wrong_passphrase_is_refused_with_77_and_writes_nothing, Signing) {
    const std::string before = bytes();
    RunOptions o;
    o.env = env(now);
    for (auto& [name, value] : o.env)
        if (name == "TRIALCAL_KEY_PASSPHRASE") value = "not the passphrase at all";
    o.cwd = dir.path();
    const RunResult r = run_trialcal(signed_report("html"), o);
    BOOST_TEST(r.code == 77);
    BOOST_TEST(r.out.empty());
    BOOST_TEST(contains(r.err, "passphrase"), r.err);
    BOOST_TEST((bytes() == before));
}

BOOST_FIXTURE_TEST_CASE(nothing_is_printed_when_the_signature_cannot_be_recorded, Signing) {
    // A file size limit below one database page: the small table fits in the
    // held-back output, but the signature's row cannot be journaled.
    const std::string before = bytes();
    RunOptions full;
    full.env = env(now);
    full.cwd = dir.path();
    full.file_size_limit = 4096;
    const RunResult r = run_trialcal(signed_report("table"), full);
    BOOST_TEST(r.code == 70, r.err);
    BOOST_TEST(r.out.empty(), r.out);
    BOOST_TEST(contains(r.err, "nothing was written"), r.err);
    BOOST_TEST((bytes() == before));
    BOOST_TEST(contains(ok({"audit", "verify"}), "audit trail intact: 8 rows"));
}

BOOST_FIXTURE_TEST_CASE(an_unblinding_key_cannot_sign, Signing) {
    auto args = signed_report("html");
    args.back() = TestKeys::get().unblinding.string();
    refused(77, "an unblinding key; signing needs a personal signing key", args);
}

BOOST_FIXTURE_TEST_CASE(csv_and_a_missing_meaning_are_usage_errors, Signing) {
    refused(2, "a csv report cannot carry a signature; sign --format html, table or json", signed_report("csv"));
    refused(2, "--sign needs --meaning TEXT", signed_report("html", ""));
    refused(65, "--meaning: control character U+0007", signed_report("html", "ok\a"));
    auto no_sign = report("html");
    no_sign.insert(no_sign.end(), {"--meaning", "reviewed"});
    refused(2, "--meaning is the meaning of a signature: give --sign too", no_sign);
}

BOOST_FIXTURE_TEST_CASE(a_trail_rolled_back_and_written_again_fails_naming_the_trail, Signing) {
    copy_db_to("before.db");
    sign("html", "r.html");
    BOOST_TEST(verify("r.html").code == 0);
    // The file rolled back to before the signature, and a dose recorded: the
    // signed head is still there, but the row after it is not the signature's.
    copy_db_from("before.db");
    ok({"dose", "P1", "--at", "2027-03-03T09:00"});
    BOOST_TEST(contains(ok({"audit", "verify"}), "audit trail intact"));
    const RunResult v = verify("r.html");
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "audit trail: row 9 is 'dose' by nurse"), v.err);
    BOOST_TEST(contains(v.err, "rolled back or rewritten"), v.err);
    BOOST_TEST(!contains(v.err, "content changed"), v.err);

    // Rolled back only: the row is gone.
    copy_db_from("before.db");
    const RunResult gone = verify("r.html");
    BOOST_TEST(gone.code == 65);
    BOOST_TEST(contains(gone.err, "audit trail: row 9, where this signature was recorded, is gone"), gone.err);
}

BOOST_FIXTURE_TEST_CASE(a_trail_rolled_back_before_the_signed_head_fails, Signing) {
    copy_db_to("before.db");
    ok({"dose", "P1", "--at", "2027-03-03T09:00"});  // row 9
    sign("json", "r.json");                           // head 9, signature row 10
    copy_db_from("before.db");
    ok({"dose", "P1", "--at", "2027-03-04T09:00"});  // another row 9
    const RunResult v = verify("r.json");
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "audit trail: no longer extends the signed head 9:"), v.err);
}

BOOST_FIXTURE_TEST_CASE(audit_seal_writes_a_signed_head_that_verify_checks, Signing) {
    const std::string before = bytes();
    const fs::path seal = dir.path() / "head.seal";
    const std::string out = ok({"audit", "seal", "--out", seal.string(), "--key", key});
    BOOST_TEST((bytes() == before), "sealing writes nothing to the database");
    BOOST_TEST(contains(out, "sealed by Dr A. Martin"), out);
    const std::string text = slurp(seal);
    const std::vector<std::string> l = lines(text);
    BOOST_TEST_REQUIRE(l.size() == 6u, text);
    BOOST_TEST(l[0] == "trialcal-audit-head v1");
    BOOST_TEST(l[1].starts_with("head: 8:"));
    BOOST_TEST(l[1].size() == 8u + 64u);
    BOOST_TEST(l[2] == "sealed-at: 2027-03-10T12:00:00Z");
    BOOST_TEST(l[3] == "signer: Dr A. Martin");
    BOOST_TEST(l[4] == "key: " + signing_fingerprint());
    BOOST_TEST(l[5].starts_with("signature: "));
    BOOST_TEST(l[5].size() == 11u + 88u);  // 64 bytes of Ed25519, base64

    const std::string v = ok({"audit", "verify", "--head", seal.string()});
    BOOST_TEST(contains(v, "extends the kept head " + l[1].substr(6) + " (sealed by Dr A. Martin at 2027-03-10T12:00:00Z"),
               v);
    // Later writes extend it.
    ok({"dose", "P1", "--at", "2027-03-03T09:00"});
    BOOST_TEST(contains(ok({"audit", "verify", "--head", seal.string()}), "extends the kept head"));

    // Never over an existing file.
    const RunResult again = run({"audit", "seal", "--out", seal.string(), "--key", key});
    BOOST_TEST(again.code == 1);
    BOOST_TEST(contains(again.err, "a seal file is never overwritten"), again.err);
    BOOST_TEST((slurp(seal) == text));
}

BOOST_FIXTURE_TEST_CASE(a_sealed_head_catches_a_rollback, Signing) {
    copy_db_to("before.db");
    ok({"dose", "P1", "--at", "2027-03-03T09:00"});  // row 9, sealed
    const fs::path seal = dir.path() / "head.seal";
    ok({"audit", "seal", "--out", seal.string(), "--key", key});
    copy_db_from("before.db");
    ok({"dose", "P1", "--at", "2027-03-04T09:00"});  // another row 9
    BOOST_TEST(contains(ok({"audit", "verify"}), "audit trail intact"));
    const RunResult v = run({"audit", "verify", "--head", seal.string()});
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "against the kept head 9:"), v.err);
}

BOOST_FIXTURE_TEST_CASE(an_altered_seal_file_fails, Signing) {
    const fs::path seal = dir.path() / "head.seal";
    ok({"audit", "seal", "--out", seal.string(), "--key", key});
    const std::string text = slurp(seal);
    // Another head's number, same signature.
    dir.write("other.seal", replaced_once(text, "head: 8:", "head: 7:"));
    RunResult v = run({"audit", "verify", "--head", (dir.path() / "other.seal").string()});
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "the signature does not match the file's lines under key " + signing_fingerprint() +
                                   ": the seal file was altered"),
               v.err);
    // A line taken out.
    dir.write("short.seal", replaced_once(text, "signer: Dr A. Martin\n", ""));
    v = run({"audit", "verify", "--head", (dir.path() / "short.seal").string()});
    BOOST_TEST(v.code == 65);
    BOOST_TEST(contains(v.err, "not a seal file of `trialcal audit seal`: line 4 is not its 'signer:' line"), v.err);
}

BOOST_FIXTURE_TEST_CASE(sealing_needs_an_installed_signing_key, NotInstalled) {
    const fs::path seal = dir.path() / "head.seal";
    refused(77, "signing key " + signing_fingerprint() + " of Dr A. Martin is not installed",
            {"audit", "seal", "--out", seal.string(), "--key", key});
    BOOST_TEST(!fs::exists(seal));
}

BOOST_FIXTURE_TEST_CASE(a_signing_key_is_installed_once, Signing) {
    refused(1, "is already installed", {"keys", "install", key + ".pub"});
}

BOOST_FIXTURE_TEST_CASE(printed_by_chromium_the_signature_reads_as_one, Signing) {
    BOOST_TEST_REQUIRE(fs::exists("/usr/bin/chromium"), "tools/test installs Debian's chromium");
    const fs::path pdf = print_to_pdf(dir, "signed", ok(signed_report("html", "approved")));
    const std::string text = run_shell("pdftotext -layout " + sh_quote(pdf.string()) + " -").out;
    for (const std::string& shown :
         {std::string("ELECTRONIC SIGNATURE"), std::string("Printed name"), std::string("Meaning"),
          std::string("approved"), std::string("Signed (UTC)"), std::string("2027-03-10T12:00:00Z"),
          std::string("2027-03-10T13:00:00+01:00 Europe/Paris, site PSL"), signing_fingerprint()})
        BOOST_TEST(contains(text, shown), shown);
    BOOST_TEST(count(text, "Dr A. Martin") >= 2u);  // the name as signed, and beside "Printed name"
}

BOOST_AUTO_TEST_SUITE_END()
