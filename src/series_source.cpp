#include "strider/series_source.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

namespace strider {

void SeriesSource::seek(index_t first) {
  if (first < 0 || first > n_series()) {
    throw std::invalid_argument(describe() + ": seek to series " + std::to_string(first) +
                                "; expected 0 to " + std::to_string(n_series()));
  }
  position_ = first;
}

Panel SeriesSource::next(index_t max_series) {
  if (max_series < 1) {
    throw std::invalid_argument(describe() + ": next(" + std::to_string(max_series) +
                                "); expected at least 1 series");
  }
  const index_t count = std::min(max_series, n_series() - position_);
  if (count <= 0) return Panel{};
  Panel batch = read(position_, count);
  if (batch.n_series() < 1 || batch.n_series() > count) {
    throw std::logic_error(describe() + ": read " + std::to_string(batch.n_series()) +
                           " series for a batch of at most " + std::to_string(count));
  }
  position_ += batch.n_series();
  return batch;
}

PanelSource::PanelSource(const Panel& x) : x_(x) {
  if (!x.has_labels()) throw std::invalid_argument("PanelSource: the panel has no labels");
}

Panel PanelSource::read(index_t first, index_t count) {
  std::vector<index_t> rows(static_cast<std::size_t>(count));
  for (index_t i = 0; i < count; ++i)
    rows[static_cast<std::size_t>(i)] = first + i;
  return x_.subset(rows);
}

}  // namespace strider
