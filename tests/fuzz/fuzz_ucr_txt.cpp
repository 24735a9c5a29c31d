// libFuzzer target: strider::io::parse_ucr_txt (UCR 2015 .txt/.csv text, comma or
// whitespace separated).
// Input: one byte of options (bit 0: Labels::unlabelled), then the file content.
// A labelled panel read back is formatted with format_ucr_tsv() and parsed as .tsv: the
// two readers must agree on it.

#include <cstddef>
#include <cstdint>
#include <exception>

#include "fuzz_support.hpp"
#include "strider/io/ucr.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strider;
  if (size == 0) return 0;
  const io::ReadOptions options{.labels = (data[0] & 1) != 0 ? io::Labels::unlabelled
                                                             : io::Labels::labelled};
  try {
    const Panel p = io::parse_ucr_txt(fuzz::as_text(data + 1, size - 1), "fuzz.txt", options);
    fuzz::check_panel(p, "parse_ucr_txt");
    if (p.has_labels() != (options.labels == io::Labels::labelled)) {
      fuzz::fail("parse_ucr_txt: labels do not follow the options");
    }
    if (p.n_channels() != 1) fuzz::fail("parse_ucr_txt: a multivariate panel");
    if (!p.has_labels()) return 0;
    std::string text;
    try {
      text = io::format_ucr_tsv(p);
    } catch (const std::exception&) {
      return 0;  // a panel the writer refuses (e.g. a label with a tab)
    }
    try {
      fuzz::check_same_panel(p, io::parse_ucr_tsv(text, "round_trip.tsv"), "format_ucr_tsv");
    } catch (const std::exception& e) {
      fuzz::fail(std::string("parse_ucr_tsv refuses what format_ucr_tsv wrote: ") + e.what());
    }
  } catch (const std::exception&) {
  }
  return 0;
}
