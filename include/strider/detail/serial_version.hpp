#pragma once
/// @file detail/serial_version.hpp
/// @brief The check every serialize() makes first: a class version newer than this
/// library's means a file written by a later strider, which must be refused by name
/// rather than misread.

#include <cstdint>
#include <string>

#include "strider/error.hpp"

namespace strider::detail {

/// @throws FormatError "<what> version <version> is newer than this library supports
///         (<supported>)" when version > supported
inline void check_serial_version(const char* what, std::uint32_t version, std::uint32_t supported) {
  if (version <= supported) return;
  throw FormatError("<model>", 0,
                    std::string(what) + " version " + std::to_string(version) +
                        " is newer than this library supports (" + std::to_string(supported) + ")");
}

}  // namespace strider::detail
