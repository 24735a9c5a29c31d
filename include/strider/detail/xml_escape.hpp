#pragma once
// Private: text made safe inside XML (SVG, VTK) attribute values and elements.

#include <string>

namespace strider::detail {

/// s with &, <, >, " and ' replaced by their XML entities.
inline std::string xml_escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace strider::detail
