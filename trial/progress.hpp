#pragma once
// How a long use case (an import) reports how far it is. The command line
// draws a bar on a terminal; tests and other front ends pass their own.
#include <cstddef>
#include <string>

namespace trialcal::trial {

class Progress {
public:
    virtual ~Progress() = default;
    // `what` names the work ("import patients"); `total` rows.
    virtual void begin(std::string what, std::size_t total) = 0;
    // Names the current stage ("checking", "writing"): the count restarts.
    virtual void stage(std::string name, std::size_t total) = 0;
    // `done` rows so far in this stage; called once per row.
    virtual void update(std::size_t done) = 0;
};

// Reports nowhere.
class NoProgress final : public Progress {
public:
    void begin(std::string, std::size_t) override {}
    void stage(std::string, std::size_t) override {}
    void update(std::size_t) override {}
};

}  // namespace trialcal::trial
