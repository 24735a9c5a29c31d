#include "strider/params.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace strider {

std::string shortest_text(double v) {
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, result.ptr);
}

namespace detail {

namespace {

/// from_chars over the whole of s (a leading '+' allowed); false when s is not exactly
/// one number of type T.
template <class T>
bool parse_whole(std::string_view s, T& value) {
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  if (first == last) return false;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  return ec == std::errc() && ptr == last;
}

}  // namespace

std::int64_t parse_integer(std::string_view text) {
  std::int64_t v = 0;
  if (!parse_whole(text, v)) throw std::invalid_argument("expected an integer");
  return v;
}

double parse_number(std::string_view text) {
  double v = 0.0;
  if (!parse_whole(text, v)) throw std::invalid_argument("expected a number");
  return v;
}

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> items;
  if (text.empty()) throw std::invalid_argument("expected a comma-separated list");
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    if (item.empty()) throw std::invalid_argument("expected a comma-separated list, no empty item");
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

}  // namespace detail

int ParamText<int>::parse(std::string_view s) {
  const std::int64_t v = detail::parse_integer(s);
  if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
    throw std::invalid_argument("expected an integer of at most 9 digits");
  return static_cast<int>(v);
}

std::uint64_t ParamText<std::uint64_t>::parse(std::string_view s) {
  std::uint64_t v = 0;
  if (!detail::parse_whole(s, v)) throw std::invalid_argument("expected an integer >= 0");
  return v;
}

bool ParamText<bool>::parse(std::string_view s) {
  if (s == "true" || s == "1") return true;
  if (s == "false" || s == "0") return false;
  throw std::invalid_argument("expected true or false");
}

namespace checks {

std::string at_least_one(const index_t& v) {
  return v >= 1 ? "" : "expected >= 1";
}

std::string n_jobs(const int& v) {
  return v == 0 ? "expected -1 (all cores), -k (all but k - 1) or k >= 1 threads" : "";
}

std::string probability(const double& v) {
  return v >= 0.0 && v <= 1.0 ? "" : "expected a probability in [0, 1]";
}

std::string positive_finite_list(const std::vector<double>& v) {
  if (v.empty()) return "expected at least one value";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (!(v[i] > 0.0 && std::isfinite(v[i])))
      return "item " + std::to_string(i + 1) + " = " + shortest_text(v[i]) +
             "; every value must be finite and > 0";
  }
  return "";
}

}  // namespace checks

}  // namespace strider
