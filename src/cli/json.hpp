#pragma once
// JSON output of the strider CLI, through rapidjson: escaped strings, shortest
// round-trip numbers (Grisu2), non-finite numbers as null, and the params of a model
// written from their tables.

#include <array>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <strider/params.hpp>

namespace strider::cli {

/// A JSON document written front to back: key() then a value inside objects.
class Json {
 public:
  Json();
  ~Json();
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;

  Json& begin_object();
  Json& end_object();
  Json& begin_array();
  Json& end_array();
  Json& key(const std::string& k);
  Json& value(const std::string& s);
  Json& value(const char* s) { return value(std::string(s)); }
  Json& value(bool b);
  Json& value(double v);  ///< null when not finite
  Json& value(std::int64_t v);
  Json& value(std::uint64_t v);
  Json& value(int v) { return value(static_cast<std::int64_t>(v)); }
  Json& null();
  template <class T>
  Json& value(const std::vector<T>& v) {
    begin_array();
    for (const auto& x : v)
      value(x);
    return end_array();
  }
  template <class T, std::size_t N>
  Json& value(const std::array<T, N>& v) {
    begin_array();
    for (const auto& x : v)
      value(x);
    return end_array();
  }
  /// A params struct as an object of its live fields (nested structs as objects, enums
  /// by name).
  template <ParamStruct P>
  Json& value(const P& p) {
    begin_object();
    for_each_param<P>([&](const auto& row) {
      using V = typename std::decay_t<decltype(row)>::value_type;
      key(row.name);
      if constexpr (NamedEnum<V>) {
        value(ParamText<V>::text(p.*row.member));
      } else if constexpr (std::is_same_v<V, index_t>) {
        value(static_cast<std::int64_t>(p.*row.member));
      } else {
        value(p.*row.member);
      }
    });
    return end_object();
  }
  template <class T>
  Json& field(const std::string& k, const T& v) {
    key(k);
    return value(v);
  }

  /// The document written so far.
  std::string str() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace strider::cli
