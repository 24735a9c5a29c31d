#include "strider/series_source.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace strider {

void SeriesSource::check_seek(index_t first, const char* who) const {
  if (first < 0 || first > n_series()) {
    throw std::invalid_argument(std::string(who) + "::seek(): series " + std::to_string(first) +
                                "; expected 0 to " + std::to_string(n_series()));
  }
}

void PanelSource::seek(index_t first) {
  check_seek(first, "PanelSource");
  next_ = first;
}

PanelSource::PanelSource(const Panel& x) : x_(x) {
  if (!x.has_labels()) throw std::invalid_argument("PanelSource: the panel has no labels");
}

Panel PanelSource::next(index_t max_series) {
  if (max_series < 1) {
    throw std::invalid_argument("PanelSource::next(): max_series = " + std::to_string(max_series) +
                                "; expected >= 1");
  }
  const index_t n = std::min(max_series, x_.n_series() - next_);
  std::vector<index_t> rows(static_cast<std::size_t>(std::max<index_t>(n, 0)));
  for (index_t i = 0; i < n; ++i)
    rows[static_cast<std::size_t>(i)] = next_ + i;
  next_ += std::max<index_t>(n, 0);
  return x_.subset(rows);
}

}  // namespace strider
