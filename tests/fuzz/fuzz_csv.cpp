// libFuzzer target: strider::io::parse_csv_matrix (numeric CSV).
// Input: one byte of options (value % 3: CsvHeader automatic, present, absent), then the
// file content.

#include <cstddef>
#include <cstdint>
#include <exception>

#include "fuzz_support.hpp"
#include "strider/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace strider;
  if (size == 0) return 0;
  constexpr io::CsvHeader kHeaders[] = {io::CsvHeader::automatic, io::CsvHeader::present,
                                        io::CsvHeader::absent};
  const io::CsvHeader header = kHeaders[data[0] % 3];
  try {
    const io::CsvMatrix m =
        io::parse_csv_matrix(fuzz::as_text(data + 1, size - 1), "fuzz.csv", header);
    if (!m.column_names.empty() && static_cast<index_t>(m.column_names.size()) != m.values.cols()) {
      fuzz::fail("parse_csv_matrix: header and rows disagree on the width");
    }
    if (header == io::CsvHeader::absent && !m.column_names.empty()) {
      fuzz::fail("parse_csv_matrix: column names without a header");
    }
  } catch (const std::exception&) {
  }
  return 0;
}
