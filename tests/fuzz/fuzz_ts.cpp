// libFuzzer target: strider::io::parse_ts (sktime/aeon .ts text).
// Input: one byte of options (fuzz::label_mode(): bit 0 Labels::unlabelled, else bit 1
// Labels::targets), then the file content. A panel read back is formatted with format_ts()
// and parsed again with the same options: the round trip must give the same panel.

#include <cstddef>
#include <cstdint>
#include <exception>

#include "fuzz_support.hpp"
#include "strider/io/ts_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strider;
  if (size == 0) return 0;
  const io::ReadOptions options{.labels = fuzz::label_mode(data[0])};
  try {
    const Panel p = io::parse_ts(fuzz::as_text(data + 1, size - 1), "fuzz.ts", options);
    fuzz::check_panel(p, "parse_ts");
    if (p.has_labels() && options.labels == io::Labels::unlabelled) {
      fuzz::fail("parse_ts: labels kept although unlabelled was asked for");
    }
    std::string text;
    try {
      text = io::format_ts(p, "fuzz");
    } catch (const std::exception&) {
      return 0;  // a panel the writer refuses
    }
    try {
      fuzz::check_same_panel(p, io::parse_ts(text, "round_trip.ts", options), "format_ts");
    } catch (const std::exception& e) {
      fuzz::fail(std::string("parse_ts refuses what format_ts wrote: ") + e.what());
    }
  } catch (const std::exception&) {
  }
  return 0;
}
