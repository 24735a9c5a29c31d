#pragma once
/// @file params.hpp
/// @brief One table per hyper-parameter struct, the single description of its fields.
///
/// Each `XxxParams` struct declares its fields with their types and defaults, and right
/// below it specialises `ParamTable<XxxParams>`: one row per field with its name, help
/// text, check, command-line flag and the model-format version that first stored it, in
/// the order the model files store them. Everything else is derived from the table:
/// - validation (`validate_params`): each row's check, with messages naming the field and
///   its value;
/// - serialization (`serialize_params`): the fields in table order, older format versions
///   read with the values those files imply, and retired fields still read from old files;
/// - the `strider` command line: one option per row with a flag (parsing, help, defaults);
/// - JSON output and the parameter tables of docs/parameters.md.
/// Equality is the struct's defaulted `operator==`.
///
/// Adding a parameter is one member, one row, and its use. Removing one keeps a
/// `RetiredField` row, so that files written while it existed still load: its value is
/// ignored when it only steered fitting (the fitted model says all), and a file whose
/// value would change the features is refused with a FormatError naming the option.

#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include <cereal/cereal.hpp>

#include "strider/detail/cereal_bool.hpp"
#include "strider/detail/cereal_eigen.hpp"
#include "strider/detail/serial_version.hpp"
#include "strider/types.hpp"

namespace strider {

/// One field of a params struct P, of type V.
template <class P, class V>
struct ParamField {
  using struct_type = P;
  using value_type = V;
  const char* name;  ///< the field's name: C++ member, model files, JSON, docs
  V P::*member;      ///< the field
  const char* help;  ///< one sentence: what it does
  /// The command-line flag without "--" ("" when not on the command line). A bool flag
  /// `x` is given as `--x` (true) or `--no-x` (false).
  const char* flag = "";
  const char* metavar = "";  ///< placeholder of the value in the help ("K", "L1,L2,..")
  /// "" when the value is valid, else what is expected ("expected >= 1"); nullptr: any value
  std::string (*check)(const V&) = nullptr;
  std::uint32_t since = 1;   ///< first format version of P that stores the field
  V before{};                ///< the value files older than `since` imply
  const char* aliases = "";  ///< other accepted flag spellings, comma-separated
};

/// What a retired option did, which decides how a file that stored it loads.
enum class RetiredEffect {
  fit_only,          ///< only steered fitting: the stored value is ignored
  changes_features,  ///< changed the features: a value other than `inert` is refused
};

/// A field that the format versions [since, retired) of P stored and later ones do not.
template <class P, class V>
struct RetiredField {
  using struct_type = P;
  using value_type = V;
  const char* name;
  std::uint32_t since;
  std::uint32_t retired;  ///< first format version without it
  V inert;                ///< the value under which it changed nothing
  RetiredEffect effect;
  const char* what;  ///< what it did, for the refusal message
};

/// The table of a params struct: specialised next to each struct with
/// `static const auto& fields()` returning a tuple of ParamField / RetiredField rows.
template <class P>
struct ParamTable;

/// Names of the values of an enum, specialised next to each enum used as a parameter:
/// `static constexpr std::pair<E, const char*> items[] = {...};`
template <class E>
struct EnumNames;

template <class V>
concept ParamStruct = requires {
  ParamTable<V>::fields();
};

template <class V>
concept NamedEnum = std::is_enum_v<V> && requires {
  EnumNames<V>::items;
};

/// Calls f(row) for every row of P's table, in table (= storage) order.
template <class P, class F>
void for_each_row(F&& f) {
  std::apply([&](const auto&... row) { (f(row), ...); }, ParamTable<P>::fields());
}

/// Calls f(row) for every live (not retired) field of P.
template <class P, class F>
void for_each_param(F&& f) {
  for_each_row<P>([&](const auto& row) {
    using Row = std::decay_t<decltype(row)>;
    if constexpr (std::is_same_v<Row, ParamField<P, typename Row::value_type>>) f(row);
  });
}

// ---- values as text, for messages, the command line and the docs ---------------------

/// Text and parsing of one parameter type. parse() throws std::invalid_argument whose
/// message says what was expected ("expected an integer").
template <class V>
struct ParamText;

/// Shortest text that reads back as v ("1.5", "1e+39", "nan", "inf").
std::string shortest_text(double v);

namespace detail {
std::int64_t parse_integer(std::string_view text);
double parse_number(std::string_view text);
std::vector<std::string_view> split_list(std::string_view text);
}  // namespace detail

template <>
struct ParamText<index_t> {
  static std::string text(index_t v) { return std::to_string(v); }
  static index_t parse(std::string_view s) { return detail::parse_integer(s); }
  static const char* kind() { return "integer"; }
};
template <>
struct ParamText<int> {
  static std::string text(int v) { return std::to_string(v); }
  static int parse(std::string_view s);
  static const char* kind() { return "integer"; }
};
template <>
struct ParamText<std::uint64_t> {
  static std::string text(std::uint64_t v) { return std::to_string(v); }
  static std::uint64_t parse(std::string_view s);
  static const char* kind() { return "integer >= 0"; }
};
template <>
struct ParamText<double> {
  static std::string text(double v) { return shortest_text(v); }
  static double parse(std::string_view s) { return detail::parse_number(s); }
  static const char* kind() { return "number"; }
};
template <>
struct ParamText<bool> {
  static std::string text(bool v) { return v ? "true" : "false"; }
  static bool parse(std::string_view s);
  static const char* kind() { return "bool"; }
};
template <NamedEnum E>
struct ParamText<E> {
  static std::string text(E v) {
    for (const auto& [value, name] : EnumNames<E>::items)
      if (value == v) return name;
    return std::to_string(static_cast<long long>(v));
  }
  /// The names joined: "a, b or c".
  static std::string choices() {
    std::string s;
    const std::size_t n = std::size(EnumNames<E>::items);
    for (std::size_t i = 0; i < n; ++i)
      s += std::string(i == 0 ? "" : i + 1 == n ? " or " : ", ") + EnumNames<E>::items[i].second;
    return s;
  }
  static E parse(std::string_view s) {
    for (const auto& [value, name] : EnumNames<E>::items)
      if (s == name) return value;
    throw std::invalid_argument("expected " + choices());
  }
  static bool known(E v) {
    for (const auto& item : EnumNames<E>::items)
      if (item.first == v) return true;
    return false;
  }
  static const char* kind() { return "choice"; }
};
template <class T, class Container>
struct ParamListText {
  static std::string text(const Container& v) {
    std::string s;
    for (const auto& x : v)
      s += (s.empty() ? "" : ",") + ParamText<T>::text(x);
    return s;
  }
  static std::vector<T> parse_items(std::string_view s) {
    std::vector<T> out;
    for (std::string_view item : detail::split_list(s))
      out.push_back(ParamText<T>::parse(item));
    return out;
  }
};
template <class T>
struct ParamText<std::vector<T>> : ParamListText<T, std::vector<T>> {
  static std::vector<T> parse(std::string_view s) {
    return ParamListText<T, std::vector<T>>::parse_items(s);
  }
  static const char* kind() { return "list"; }
};
template <class T, std::size_t N>
struct ParamText<std::array<T, N>> : ParamListText<T, std::array<T, N>> {
  static std::array<T, N> parse(std::string_view s) {
    const std::vector<T> v = ParamListText<T, std::array<T, N>>::parse_items(s);
    if (v.size() != N)
      throw std::invalid_argument(std::to_string(v.size()) + " values; expected " +
                                  std::to_string(N));
    std::array<T, N> out{};
    std::copy(v.begin(), v.end(), out.begin());
    return out;
  }
  static const char* kind() { return "list"; }
};

/// A short text of a value for help and docs: as ParamText, except that a list of more
/// than 6 values gives its size and range ("20 values from 1e-04 to 10000").
template <class V>
std::string summary_text(const V& v) {
  if constexpr (requires {
                  v.size();
                  typename V::value_type;
                }) {
    using T = typename V::value_type;
    if (v.size() > 6)
      return std::to_string(v.size()) + " values from " + ParamText<T>::text(v.front()) + " to " +
             ParamText<T>::text(v.back());
  }
  return ParamText<V>::text(v);
}

// ---- validation ---------------------------------------------------------------------

/**
 * @brief Runs every row's check (and a nested struct's own validate()).
 * @param who prefix of the message, e.g. "DilatedKernelTransform"
 * @throws std::invalid_argument "<who>: <name> = <value>; <what is expected>"
 */
template <class P>
void validate_params(const P& p, const std::string& who) {
  for_each_param<P>([&](const auto& row) {
    using V = typename std::decay_t<decltype(row)>::value_type;
    const V& value = p.*row.member;
    if constexpr (ParamStruct<V>) {
      value.validate(who + ": " + row.name);
    } else {
      std::string problem = row.check ? row.check(value) : std::string();
      if constexpr (NamedEnum<V>) {
        if (problem.empty() && !ParamText<V>::known(value))
          problem = "expected " + ParamText<V>::choices();
      }
      if (!problem.empty()) {
        const std::string text = ParamText<V>::text(value);
        throw std::invalid_argument(who + ": " + row.name + " = " +
                                    (text.empty() ? "(empty)" : text) + "; " + problem);
      }
    }
  });
}

// ---- serialization ------------------------------------------------------------------

namespace detail {

/// Upper bound on the entries of a list parameter in a model file.
inline constexpr std::uint64_t kMaxParamList = std::uint64_t{1} << 20;

/// Reads or writes one parameter value with a fixed-width storage type.
template <class Archive, class V>
void serialize_value(Archive& ar, const char* name, V& v) {
  constexpr bool loading = Archive::is_loading::value;
  if constexpr (ParamStruct<V>) {
    ar(cereal::make_nvp(name, v));
  } else if constexpr (std::is_same_v<V, bool>) {
    serialize_bool(ar, name, v);
  } else if constexpr (std::is_same_v<V, double> || std::is_same_v<V, std::uint64_t>) {
    ar(cereal::make_nvp(name, v));
  } else if constexpr (std::is_same_v<V, index_t>) {
    std::int64_t s = v;
    ar(cereal::make_nvp(name, s));
    if constexpr (loading) v = static_cast<index_t>(s);
  } else if constexpr (std::is_same_v<V, int> || std::is_enum_v<V>) {
    auto s = static_cast<std::int32_t>(v);
    ar(cereal::make_nvp(name, s));
    if constexpr (loading) {
      v = static_cast<V>(s);
      if constexpr (NamedEnum<V>) {
        if (!ParamText<V>::known(v))
          throw_archive_error(std::string(name) + " = " + std::to_string(s) +
                              " is unknown; expected " + ParamText<V>::choices());
      }
    }
  } else if constexpr (requires { typename V::value_type; }) {
    using T = typename V::value_type;
    using S = std::conditional_t<std::is_same_v<T, index_t>, std::int64_t, T>;
    std::vector<S> s;
    if constexpr (loading) {
      load_vector(ar, name, s, kMaxParamList);
      if constexpr (requires { v.resize(0); }) {
        v.assign(s.begin(), s.end());
      } else {
        if (s.size() != v.size())
          throw_archive_error(std::string(name) + " has " + std::to_string(s.size()) +
                              " values, expected " + std::to_string(v.size()));
        std::copy(s.begin(), s.end(), v.begin());
      }
    } else {
      s.assign(v.begin(), v.end());
      ar(cereal::make_nvp(name, s));
    }
  } else {
    static_assert(sizeof(V) == 0, "no storage rule for this parameter type");
  }
}

}  // namespace detail

/**
 * @brief cereal serialization of a params struct from its table (see the file comment).
 * A loaded struct is validated.
 * @throws FormatError on a newer version, a retired option whose stored value would change
 *         the features, or invalid values
 */
template <class Archive, class P>
void serialize_params(Archive& ar, P& p, std::uint32_t version, const char* who) {
  constexpr bool loading = Archive::is_loading::value;
  detail::check_serial_version(who, version, P::kSerialVersion);
  for_each_row<P>([&](const auto& row) {
    using Row = std::decay_t<decltype(row)>;
    using V = typename Row::value_type;
    if constexpr (std::is_same_v<Row, RetiredField<P, V>>) {
      if (version < row.since || version >= row.retired) return;
      V stored = row.inert;
      detail::serialize_value(ar, row.name, stored);
      if (loading && row.effect == RetiredEffect::changes_features && !(stored == row.inert)) {
        detail::throw_archive_error(
            std::string(who) + ": the file uses " + row.name + " = " + ParamText<V>::text(stored) +
            " (" + row.what + "), an option retired in format version " +
            std::to_string(row.retired) + "; refit the model with this version of strider");
      }
    } else {
      if (version < row.since) {
        if constexpr (loading) p.*row.member = row.before;
        return;
      }
      detail::serialize_value(ar, row.name, p.*row.member);
    }
  });
  if constexpr (loading) {
    try {
      p.validate(who);
    } catch (const std::invalid_argument& e) {
      detail::throw_archive_error(e.what());
    }
  }
}

// ---- common checks ------------------------------------------------------------------

namespace checks {
std::string at_least_one(const index_t& v);
std::string n_jobs(const int& v);
std::string probability(const double& v);
std::string positive_finite_list(const std::vector<double>& v);
}  // namespace checks

}  // namespace strider
