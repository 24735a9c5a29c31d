#include "strider/labels.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <stdexcept>

namespace strider {

namespace {

bool parse_number(const std::string& s, double& v) {
  const char* first = s.data();
  const char* last = s.data() + s.size();
  if (first != last && *first == '+') ++first;
  auto [ptr, ec] = std::from_chars(first, last, v);
  return ec == std::errc() && ptr == last && first != last;
}

}  // namespace

std::vector<std::string> sorted_classes(const std::vector<std::string>& labels) {
  std::vector<std::string> classes = labels;
  std::sort(classes.begin(), classes.end());
  classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
  std::vector<double> values(classes.size());
  bool numeric = true;
  for (std::size_t k = 0; k < classes.size() && numeric; ++k) {
    numeric = parse_number(classes[k], values[k]) && !std::isnan(values[k]);
  }
  if (numeric) {
    std::vector<std::size_t> order(classes.size());
    for (std::size_t k = 0; k < order.size(); ++k)
      order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<std::string> sorted;
    sorted.reserve(classes.size());
    for (std::size_t k : order)
      sorted.push_back(classes[k]);
    classes.swap(sorted);
  }
  return classes;
}

std::vector<index_t> class_indices(const std::vector<std::string>& labels,
                                   const std::vector<std::string>& classes) {
  std::map<std::string, index_t> index;
  for (std::size_t k = 0; k < classes.size(); ++k)
    index.emplace(classes[k], static_cast<index_t>(k));
  std::vector<index_t> out(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto it = index.find(labels[i]);
    if (it == index.end()) {
      throw std::invalid_argument("class_indices(): label \"" + labels[i] + "\" (position " +
                                  std::to_string(i) + ") is not one of the " +
                                  std::to_string(classes.size()) + " classes");
    }
    out[i] = it->second;
  }
  return out;
}

}  // namespace strider
