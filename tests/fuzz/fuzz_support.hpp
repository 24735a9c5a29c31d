#pragma once
// Helpers shared by the libFuzzer targets of tests/fuzz/.
//
// Every target feeds its input to one public entry point and catches std::exception: a
// clean error is the expected answer to a malformed input. Anything else is a finding:
// a sanitizer report, a crash, a timeout, an allocation over the fuzzer's limit, or a
// broken invariant, which the helpers below report with fail() (message, then abort()).

#include <unistd.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "strider/classifier.hpp"
#include "strider/io/read_options.hpp"
#include "strider/io/ucr.hpp"
#include "strider/linear/ridge_classifier_cv.hpp"
#include "strider/linear/ridge_cv.hpp"
#include "strider/linear/standard_scaler.hpp"
#include "strider/panel.hpp"
#include "strider/regressor.hpp"
#include "strider/transform/dilated_kernel_transform.hpp"

namespace strider::fuzz {

/// Reports a broken invariant and aborts, so that libFuzzer keeps the input.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "strider fuzz invariant broken: %s\n", what.c_str());
  std::abort();
}

/// The fuzzer's bytes as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A file of this process in the temporary directory (the model loaders read paths),
/// rewritten for every input and removed when the process exits normally.
class TempFile {
 public:
  /// @param extension ".json" or ".strider": selects the loader's encoding
  explicit TempFile(const std::string& extension)
      : path_(std::filesystem::temp_directory_path() /
              ("strider_fuzz_" + std::to_string(::getpid()) + extension)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }

  const std::filesystem::path& path() const noexcept { return path_; }

  /// Replaces the file's content; aborts when it cannot (not a finding about strider,
  /// but fuzzing without the file would test nothing).
  void write(std::string_view bytes) const {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) fail("cannot write " + path_.string());
  }

 private:
  std::filesystem::path path_;
};

/// Two doubles are the same value: bit for bit, or both NaN (any payload).
inline bool same_value(double a, double b) {
  if (std::isnan(a) && std::isnan(b)) return true;
  return std::memcmp(&a, &b, sizeof a) == 0;
}

/// What every panel a reader returns must satisfy: one length per series in
/// [1, max_length], zero padding past each length, labels iff requested and present.
inline void check_panel(const Panel& p, const char* who) {
  const std::string w = who;
  if (p.n_series() < 1) fail(w + ": a reader returned an empty panel");
  if (p.n_channels() < 1 || p.max_length() < 1) fail(w + ": panel without channels or points");
  if (static_cast<index_t>(p.lengths().size()) != p.n_series()) fail(w + ": lengths size");
  for (index_t i = 0; i < p.n_series(); ++i) {
    const index_t len = p.length(i);
    if (len < 1 || len > p.max_length()) fail(w + ": length outside [1, max_length]");
    for (index_t c = 0; c < p.n_channels(); ++c) {
      for (index_t t = len; t < p.max_length(); ++t) {
        if (p(i, c, t) != 0.0) fail(w + ": non-zero padding");
      }
    }
  }
  if (p.has_labels() && static_cast<index_t>(p.labels().size()) != p.n_series()) {
    fail(w + ": labels size");
  }
}

/// `text` with every byte outside printable ASCII written as \xHH.
inline std::string escaped(const std::string& text) {
  std::string out;
  for (const char ch : text) {
    const auto byte = static_cast<unsigned char>(ch);
    if (byte >= 0x20 && byte < 0x7f && ch != '\\') {
      out += ch;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", byte);
      out += hex;
    }
  }
  return out;
}

/// Same shape, lengths, labels and values (inside each series).
inline void check_same_panel(const Panel& a, const Panel& b, const char* who) {
  const std::string w = who;
  if (a.n_series() != b.n_series() || a.n_channels() != b.n_channels() ||
      a.max_length() != b.max_length() || a.lengths() != b.lengths()) {
    fail(w + ": round trip changed the shape: " + a.summary() + " vs " + b.summary());
  }
  if (a.has_labels() != b.has_labels()) fail(w + ": round trip added or dropped the labels");
  for (std::size_t i = 0; i < a.labels().size(); ++i) {
    if (a.labels()[i] != b.labels()[i]) {
      fail(w + ": round trip changed label " + std::to_string(i) + " from \"" +
           escaped(a.labels()[i]) + "\" to \"" + escaped(b.labels()[i]) + "\"");
    }
  }
  for (index_t i = 0; i < a.n_series(); ++i) {
    for (index_t c = 0; c < a.n_channels(); ++c) {
      for (index_t t = 0; t < a.length(i); ++t) {
        if (!same_value(a(i, c, t), b(i, c, t))) {
          fail(w + ": round trip changed series " + std::to_string(i) + " channel " +
               std::to_string(c) + " t " + std::to_string(t));
        }
      }
    }
  }
}

/// The fixed panel a loaded model predicts on: 3 series of length 40, 40 and 23 (so
/// variable-length handling runs too), `n_channels` channels, smooth values.
inline Panel small_panel(index_t n_channels) {
  constexpr index_t kSeries = 3;
  constexpr index_t kLength = 40;
  const std::vector<index_t> lengths = {kLength, kLength, 23};
  Panel::Tensor data = Panel::Tensor::from_shape({static_cast<std::size_t>(kSeries),
                                                  static_cast<std::size_t>(n_channels),
                                                  static_cast<std::size_t>(kLength)});
  data.fill(0.0);
  for (index_t i = 0; i < kSeries; ++i) {
    for (index_t c = 0; c < n_channels; ++c) {
      for (index_t t = 0; t < lengths[static_cast<std::size_t>(i)]; ++t) {
        data(i, c, t) = std::sin(0.3 * static_cast<double>(t * (i + 1)) + static_cast<double>(c)) +
                        0.1 * static_cast<double>(i);
      }
    }
  }
  return Panel(std::move(data), lengths);
}

/// The panel for a model expecting `n_channels` channels: that many when it is small,
/// else one (the model then refuses it, cleanly).
inline Panel panel_for(index_t n_channels) {
  return small_panel(n_channels >= 1 && n_channels <= 4 ? n_channels : 1);
}

/// A 3 x n_features matrix for the linear stages (none when a model claims so many
/// features that the matrix alone would be the problem; loading was still exercised).
inline bool small_features(index_t n_features, RowMatrixD& x) {
  if (n_features < 1 || n_features > (index_t{1} << 16)) return false;
  x.resize(3, n_features);
  for (index_t i = 0; i < x.rows(); ++i) {
    for (index_t j = 0; j < x.cols(); ++j) {
      x(i, j) = std::cos(0.7 * static_cast<double>(j) + static_cast<double>(i));
    }
  }
  return true;
}

/// Uses a loaded model the way a program would, so that what a file claims and only
/// bites at predict time (geometry, sizes, classes) runs too. Throws what they throw.
inline void exercise(const KernelClassifier& model) {
  const Panel x = panel_for(model.transform().n_channels());
  const std::vector<std::string> predicted = model.predict(x);
  if (static_cast<index_t>(predicted.size()) != x.n_series()) fail("predict: wrong count");
  for (const std::string& label : predicted) {
    bool known = false;
    for (const std::string& c : model.classes())
      known = known || c == label;
    if (!known) fail("predict: a label that is not among classes()");
  }
}

inline void exercise(const KernelRegressor& model) {
  const Panel x = panel_for(model.transform().n_channels());
  const RowMatrixD predicted = model.predict(x);
  if (predicted.rows() != x.n_series() || predicted.cols() != model.n_targets()) {
    fail("regressor predict: wrong shape");
  }
  if (!predicted.allFinite()) fail("regressor predict: a non-finite prediction");
}

inline void exercise(const DilatedKernelTransform& transform) {
  const Panel x = panel_for(transform.n_channels());
  const RowMatrixD f = transform.transform<double>(x);
  if (f.rows() != x.n_series() || f.cols() != transform.n_features()) {
    fail("transform: wrong output shape");
  }
}

inline void exercise(const StandardScaler& scaler) {
  RowMatrixD x;
  if (!small_features(scaler.n_features(), x)) return;
  const RowMatrixD scaled = scaler.transform<double>(x);
  if (scaled.rows() != x.rows() || scaled.cols() != x.cols()) fail("scaler: wrong shape");
}

inline void exercise(const RidgeClassifierCV& ridge) {
  RowMatrixD x;
  if (!small_features(ridge.n_features(), x)) return;
  const std::vector<std::string> predicted = ridge.predict<double>(x);
  if (static_cast<index_t>(predicted.size()) != x.rows()) fail("ridge: wrong count");
}

inline void exercise(const RidgeCV& ridge) {
  RowMatrixD x;
  if (!small_features(ridge.n_features(), x)) return;
  const RowMatrixD predicted = ridge.predict<double>(x);
  if (predicted.rows() != x.rows() || predicted.cols() != ridge.n_targets()) {
    fail("ridge regression: wrong shape");
  }
}

/// The label mode an options byte selects: bit 0 Labels::unlabelled, else bit 1
/// Labels::targets, else Labels::labelled.
inline io::Labels label_mode(std::uint8_t options) {
  if ((options & 1) != 0) return io::Labels::unlabelled;
  return (options & 2) != 0 ? io::Labels::targets : io::Labels::labelled;
}

/// Read with Labels::targets, every label of a .tsv/.txt/.csv file is a target that
/// targets_from_labels() accepts (the readers and it follow one rule).
inline void check_targets(const Panel& p, const io::ReadOptions& options, const std::string& who) {
  if (options.labels != io::Labels::targets || !p.has_labels()) return;
  try {
    (void)targets_from_labels(p);
  } catch (const std::exception& e) {
    fail(who + ": a target the reader accepted is refused by targets_from_labels: " + e.what());
  }
}

/**
 * The body of the UCR text targets: `parse` (parse_ucr_tsv or parse_ucr_txt) reads the
 * input after its options byte (label_mode()); a labelled panel read back is formatted
 * with format_ucr_tsv() and parsed as .tsv with the same options, which must give the same
 * panel.
 */
inline int fuzz_ucr_text(const std::uint8_t* data, std::size_t size,
                         Panel (*parse)(std::string_view, const std::string&,
                                        const io::ReadOptions&),
                         const char* name) {
  if (size == 0) return 0;
  const io::ReadOptions options{.labels = label_mode(data[0])};
  const std::string who = name;
  try {
    const Panel p = parse(as_text(data + 1, size - 1), "fuzz input", options);
    check_panel(p, name);
    if (p.has_labels() != (options.labels != io::Labels::unlabelled)) {
      fail(who + ": labels do not follow the options");
    }
    check_targets(p, options, who);
    if (p.n_channels() != 1) fail(who + ": a multivariate panel");
    if (!p.has_labels()) return 0;
    std::string text;
    try {
      text = io::format_ucr_tsv(p);
    } catch (const std::exception&) {
      return 0;  // a panel the writer refuses (e.g. a label with a tab)
    }
    try {
      check_same_panel(p, io::parse_ucr_tsv(text, "round_trip.tsv", options), "format_ucr_tsv");
    } catch (const std::exception& e) {
      fail(std::string("parse_ucr_tsv refuses what format_ucr_tsv wrote: ") + e.what());
    }
  } catch (const std::exception&) {
  }
  return 0;
}

}  // namespace strider::fuzz
