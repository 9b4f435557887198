#pragma once
// A page printed to PDF by headless Chromium, as a monitor would print it:
// the report and signature suites read it back with pdftotext.
#include "tests/support/clinic.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace trialcal::test {

// `html` written to DIR/NAME.html and printed to DIR/NAME.pdf; the PDF's path.
inline fs::path print_to_pdf(const TempDir& dir, const std::string& name, const std::string& html) {
    const auto page = dir.write(name + ".html", html);
    const auto pdf = dir.path() / (name + ".pdf");
    const std::string cmd =
        "timeout 120 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync --no-pdf-header-footer "
        "--user-data-dir=" + sh_quote((dir.path() / "profile").string()) +
        " --print-to-pdf=" + sh_quote(pdf.string()) + " " + sh_quote("file://" + page.string()) + " >/dev/null 2>&1";
    BOOST_TEST_REQUIRE(std::system(cmd.c_str()) == 0, cmd);
    BOOST_TEST_REQUIRE(fs::exists(pdf));
    return pdf;
}

}  // namespace trialcal::test
