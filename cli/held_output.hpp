#pragma once
// Standard output held back: a signed report is shown only once its
// signature is in the audit trail (trial/compliance_report.hpp). The text
// waits in an anonymous temporary file, not in memory: a network's report
// may be large. Dropped unshown when release() is never called.
#include <cstdio>
#include <string>

namespace trialcal::cli {

class HeldOutput {
public:
    HeldOutput();
    ~HeldOutput();
    HeldOutput(const HeldOutput&) = delete;
    HeldOutput& operator=(const HeldOutput&) = delete;

    void write(const std::string& text);
    // Copies everything held to standard output.
    void release();

private:
    std::FILE* file_ = nullptr;
};

}  // namespace trialcal::cli
