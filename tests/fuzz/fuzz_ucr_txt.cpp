// libFuzzer target: strider::io::parse_ucr_txt (UCR 2015 .txt/.csv text, comma or
// whitespace separated).
// Input: one byte of options (bit 0: Labels::unlabelled), then the file content. A
// labelled panel read back must survive format_ucr_tsv() and parse_ucr_tsv() unchanged.

#include <cstddef>
#include <cstdint>

#include "fuzz_support.hpp"
#include "strider/io/ucr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return strider::fuzz::fuzz_ucr_text(data, size, &strider::io::parse_ucr_txt, "parse_ucr_txt");
}
