#pragma once
// How a use case hands its output over piece by piece, so that a network's
// worklist, export or trail never sits in memory as one string.
#include <functional>
#include <string>

namespace trialcal::trial {

// The same alias as trial/compliance_report.hpp's (a redeclaration of one
// type is allowed); that header keeps its own until its work lands.
using Emit = std::function<void(const std::string&)>;

}  // namespace trialcal::trial

namespace trialcal::trial {

// Gathers small pieces (an item's CSV row) into chunks of about `size`
// bytes before handing them on: a million rows are not a million writes.
// flush() hands on the rest; what is not flushed is dropped (an error ended
// the output).
class ChunkedEmit {
public:
    explicit ChunkedEmit(const Emit& to, std::size_t size = std::size_t{1} << 16) : to_(to), size_(size) {}
    void operator()(const std::string& piece) {
        buffer_ += piece;
        if (buffer_.size() >= size_) flush();
    }
    void flush() {
        if (!buffer_.empty()) to_(buffer_);
        buffer_.clear();
    }

private:
    const Emit& to_;
    std::size_t size_;
    std::string buffer_;
};

}  // namespace trialcal::trial
