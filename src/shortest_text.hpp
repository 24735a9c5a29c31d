#pragma once
// Internal: the text of a double for error messages, shared by the modules' .cpp files.

#include <charconv>
#include <string>

namespace strider {

/// Shortest text that reads back as v ("1.5", "1e+39", "nan", "inf").
inline std::string shortest_text(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

}  // namespace strider
