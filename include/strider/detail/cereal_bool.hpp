#pragma once
/// @file detail/cereal_bool.hpp
/// @brief Reading a bool from a binary archive safely.
///
/// cereal's binary archives read a bool as one raw byte straight into the bool object;
/// a corrupted byte (say 228) is then an invalid bool, which is undefined behaviour. We
/// read the byte into an integer, accept only 0 and 1, and throw FormatError otherwise.
/// The bytes on disk are the same as cereal's (one byte); text archives are unchanged.

#include <cstdint>
#include <string>

#include <cereal/cereal.hpp>
#include <cereal/details/traits.hpp>

#include "strider/detail/serial_version.hpp"

namespace strider::detail {

template <class Archive>
void serialize_bool(Archive& ar, const char* name, bool& value) {
  if constexpr (cereal::traits::is_text_archive<Archive>::value) {
    ar(cereal::make_nvp(name, value));
  } else if constexpr (Archive::is_loading::value) {
    std::uint8_t byte = 0;
    ar(cereal::make_nvp(name, byte));
    if (byte > 1) {
      throw_archive_error(std::string("invalid boolean ") + name + " = " + std::to_string(byte));
    }
    value = byte == 1;
  } else {
    std::uint8_t byte = value ? 1 : 0;
    ar(cereal::make_nvp(name, byte));
  }
}

}  // namespace strider::detail
