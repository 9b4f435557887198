#pragma once
// The protocol files shipped under calendars/, read and parsed once per test
// process: the seed calendar and compliance tests expand them many times.
#include "core/protocol_parser.hpp"

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

namespace seed_protocols {

inline std::string read_calendar_file(const std::string& file) {
    const auto path = std::filesystem::path(TRIALCAL_SOURCE_DIR) / "calendars" / file;
    std::ifstream in(path, std::ios::binary);
    BOOST_TEST_REQUIRE(in.is_open(), "cannot open " << path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

inline const trialcal::Protocol& protocol(const std::string& file) {
    static std::map<std::string, trialcal::Protocol> cache;
    if (auto it = cache.find(file); it != cache.end()) return it->second;
    auto parsed = trialcal::parse_protocol(read_calendar_file(file));
    for (const auto& d : parsed.diagnostics)
        BOOST_TEST_MESSAGE(file << ":" << d.line << ":" << d.column << ": " << d.key << ": " << d.message);
    BOOST_TEST_REQUIRE(parsed.diagnostics.empty(), file << " has diagnostics");
    BOOST_TEST_REQUIRE(parsed.protocol.has_value());
    return cache.emplace(file, std::move(*parsed.protocol)).first->second;
}

}  // namespace seed_protocols
