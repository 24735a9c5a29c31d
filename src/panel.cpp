#include "strider/panel.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

namespace strider {

namespace {

std::string shape_string(const Panel::Tensor& t) {
  return std::to_string(t.shape(0)) + " x " + std::to_string(t.shape(1)) + " x " +
         std::to_string(t.shape(2));
}

}  // namespace

Panel::Panel(Tensor data) : data_(std::move(data)) {
  lengths_.assign(data_.shape(0), static_cast<index_t>(data_.shape(2)));
  check_lengths();
}

Panel::Panel(Tensor data, std::vector<index_t> lengths)
    : data_(std::move(data)), lengths_(std::move(lengths)) {
  check_lengths();
}

Panel::Panel(Tensor data, std::vector<index_t> lengths, std::vector<std::string> labels)
    : Panel(std::move(data), std::move(lengths)) {
  set_labels(std::move(labels));
}

void Panel::check_lengths() {
  const index_t n = n_series(), c = n_channels(), t = max_length();
  if (n > 0 && (c == 0 || t == 0)) {
    throw std::invalid_argument("Panel: data of shape " + shape_string(data_) +
                                " has series but no channels or no time points");
  }
  if (static_cast<index_t>(lengths_.size()) != n) {
    throw std::invalid_argument("Panel: " + std::to_string(lengths_.size()) +
                                " lengths given for " + std::to_string(n) + " series");
  }
  double* buf = data_.data();
  for (index_t i = 0; i < n; ++i) {
    const index_t len = lengths_[i];
    if (len < 1 || len > t) {
      throw std::invalid_argument("Panel: series " + std::to_string(i) + " has length " +
                                  std::to_string(len) + ", expected 1 to " + std::to_string(t) +
                                  " (the data's last dimension)");
    }
    if (len < t) {
      for (index_t ch = 0; ch < c; ++ch) {
        std::fill(buf + (i * c + ch) * t + len, buf + (i * c + ch + 1) * t, 0.0);
      }
    }
  }
}

Panel Panel::from_matrix(xt::xtensor<double, 2>&& data) {
  const std::size_t n = data.shape(0), t = data.shape(1);
  Tensor::inner_shape_type shape = {n, 1, t};
  Tensor::inner_strides_type strides;
  xt::compute_strides(shape, xt::layout_type::row_major, strides);
  // Steal the storage: no copy of the values.
  Tensor moved(std::move(data.storage()), std::move(shape), std::move(strides));
  return Panel(std::move(moved));
}

Panel Panel::from_buffer(const double* data, index_t n_series, index_t n_channels,
                         index_t n_timepoints) {
  if (n_series < 0 || n_channels < 0 || n_timepoints < 0) {
    throw std::invalid_argument("Panel::from_buffer(): negative size " + std::to_string(n_series) +
                                " x " + std::to_string(n_channels) + " x " +
                                std::to_string(n_timepoints));
  }
  const std::size_t count = static_cast<std::size_t>(n_series) * n_channels * n_timepoints;
  if (count > 0 && data == nullptr) {
    throw std::invalid_argument("Panel::from_buffer(): null data for " + std::to_string(count) +
                                " values");
  }
  Tensor t =
      Tensor::from_shape({static_cast<std::size_t>(n_series), static_cast<std::size_t>(n_channels),
                          static_cast<std::size_t>(n_timepoints)});
  if (count > 0) std::memcpy(t.data(), data, count * sizeof(double));
  return Panel(std::move(t));
}

Panel Panel::from_eigen(const Eigen::Ref<const RowMatrixD>& x) {
  Tensor t = Tensor::from_shape(
      {static_cast<std::size_t>(x.rows()), 1, static_cast<std::size_t>(x.cols())});
  for (index_t i = 0; i < x.rows(); ++i) {
    for (index_t j = 0; j < x.cols(); ++j)
      t.data()[i * x.cols() + j] = x(i, j);
  }
  return Panel(std::move(t));
}

index_t Panel::min_length() const noexcept {
  if (lengths_.empty()) return 0;
  return *std::min_element(lengths_.begin(), lengths_.end());
}

bool Panel::equal_length() const noexcept {
  const index_t t = max_length();
  return std::all_of(lengths_.begin(), lengths_.end(), [t](index_t l) { return l == t; });
}

index_t Panel::length(index_t i) const {
  if (i < 0 || i >= n_series()) {
    throw std::out_of_range("Panel::length(): series " + std::to_string(i) + " of " +
                            std::to_string(n_series()));
  }
  return lengths_[i];
}

bool Panel::has_missing() const noexcept {
  for (index_t i = 0; i < n_series(); ++i) {
    for (index_t c = 0; c < n_channels(); ++c) {
      const double* s = data_.data() + (i * n_channels() + c) * max_length();
      for (index_t t = 0; t < lengths_[i]; ++t) {
        if (std::isnan(s[t])) return true;
      }
    }
  }
  return false;
}

const double* Panel::series(index_t i, index_t c) const {
  if (i < 0 || i >= n_series() || c < 0 || c >= n_channels()) {
    throw std::out_of_range("Panel::series(): (series " + std::to_string(i) + ", channel " +
                            std::to_string(c) + ") outside " + std::to_string(n_series()) +
                            " series x " + std::to_string(n_channels()) + " channels");
  }
  return data_.data() + (i * n_channels() + c) * max_length();
}

double Panel::at(index_t i, index_t c, index_t t) const {
  const double* s = series(i, c);
  if (t < 0 || t >= lengths_[i]) {
    throw std::out_of_range("Panel::at(): time point " + std::to_string(t) + " outside series " +
                            std::to_string(i) + " of length " + std::to_string(lengths_[i]));
  }
  return s[t];
}

void Panel::set_labels(std::vector<std::string> labels) {
  if (static_cast<index_t>(labels.size()) != n_series()) {
    throw std::invalid_argument("Panel::set_labels(): " + std::to_string(labels.size()) +
                                " labels for " + std::to_string(n_series()) + " series");
  }
  labels_ = std::move(labels);
  classes_ = sorted_classes(labels_);
  y_ = class_indices(labels_, classes_);
  labelled_ = true;
}

Panel Panel::subset(const std::vector<index_t>& rows) const {
  const index_t c = n_channels(), t = max_length();
  Tensor out =
      Tensor::from_shape({rows.size(), static_cast<std::size_t>(c), static_cast<std::size_t>(t)});
  std::vector<index_t> lengths(rows.size());
  std::vector<std::string> labels;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const index_t i = rows[k];
    if (i < 0 || i >= n_series()) {
      throw std::out_of_range("Panel::subset(): series " + std::to_string(i) + " of " +
                              std::to_string(n_series()));
    }
    std::copy_n(data_.data() + i * c * t, c * t, out.data() + k * c * t);
    lengths[k] = lengths_[i];
    if (labelled_) labels.push_back(labels_[i]);
  }
  Panel p(std::move(out), std::move(lengths));
  if (labelled_) p.set_labels(std::move(labels));
  if (!source_file_.empty()) {
    std::vector<index_t> lines(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k)
      lines[k] = source_lines_[static_cast<std::size_t>(rows[k])];
    p.set_source(source_file_, std::move(lines));
  }
  return p;
}

void Panel::set_source(std::string file, std::vector<index_t> lines) {
  if (static_cast<index_t>(lines.size()) != n_series()) {
    throw std::invalid_argument("Panel::set_source(): " + std::to_string(lines.size()) +
                                " lines for " + std::to_string(n_series()) + " series");
  }
  source_file_ = std::move(file);
  source_lines_ = std::move(lines);
}

std::string Panel::describe_series(index_t i) const {
  if (!source_file_.empty() && i >= 0 && i < n_series()) {
    return source_file_ + " line " + std::to_string(source_lines_[static_cast<std::size_t>(i)]);
  }
  return "series " + std::to_string(i);
}

std::string Panel::describe_point(index_t i, index_t c, index_t t) const {
  if (!source_file_.empty() && i >= 0 && i < n_series()) {
    return describe_series(i) + ", channel " + std::to_string(c + 1) + ", value " +
           std::to_string(t + 1);
  }
  return "series " + std::to_string(i) + ", channel " + std::to_string(c) + ", position " +
         std::to_string(t);
}

std::string Panel::summary() const {
  std::string s = std::to_string(n_series()) + " series x " + std::to_string(n_channels()) +
                  (n_channels() == 1 ? " channel" : " channels") + ", length ";
  if (equal_length()) {
    s += std::to_string(max_length());
  } else {
    s += std::to_string(min_length()) + "-" + std::to_string(max_length());
  }
  if (labelled_) s += ", " + std::to_string(n_classes()) + " classes";
  return s;
}

}  // namespace strider
