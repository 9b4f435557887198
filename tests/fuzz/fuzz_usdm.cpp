// libFuzzer harness: any bytes into the USDM import. It either maps the
// document or refuses it with a data error naming a JSON path (or "not
// JSON"); anything else (another exception, a crash) is a bug. What it maps
// is written as a protocol file, which the protocol parser reads or refuses
// with diagnostics, never crashing.
#include "core/protocol_parser.hpp"
#include "output/protocol_toml.hpp"
#include "trial/error.hpp"
#include "trial/usdm_import.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        const auto usdm = trialcal::trial::read_usdm(text);
        const auto parsed = trialcal::parse_protocol(trialcal::protocol_toml(usdm.protocol, "fuzz"));
        if (!parsed.protocol && parsed.diagnostics.empty()) std::abort();
    } catch (const trialcal::trial::Error& e) {
        const std::string_view m = e.what();
        if (e.kind() != trialcal::trial::Kind::bad_data || !(m.starts_with("$") || m.starts_with("not JSON")))
            std::abort();
    } catch (...) {
        std::abort();
    }
    return 0;
}
