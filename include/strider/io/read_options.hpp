#pragma once
/// @file io/read_options.hpp
/// @brief Options of the dataset readers: whether a file has a class label (or a
/// regression target) per series.
///
/// A UCR `.tsv`/`.txt`/`.csv` line is `label, v1, v2, ...` or just `v1, v2, ...`, and
/// nothing in the file says which. Reading an unlabelled file as labelled would take each
/// series' first value as its label and shift the series by one, so the caller says what
/// the file holds (strider::io::Labels) and the reader checks what it can:
///
/// **The label rule** (`.tsv`, `.txt`, `.csv` read as Labels::labelled). The first field
/// of every line must look like a class label, which is either
/// - text that is not a number (`walk`, `abnormal`, `c1`), or
/// - a whole number of magnitude at most 2^53, in any spelling (`1`, `-1`, `0`, `+2`,
///   `1.0`, `1.0000000e+00` as in the UCR 2015 `.txt` files).
///
/// A first field that is a number with a fractional part (`-0.7316`, `1.5`), a missing
/// value (`NaN`), an infinity or a number beyond 2^53 (`1e20`) is a series value, not a
/// label: the reader raises strider::FormatError naming the file and the first such line,
/// and tells the caller to read the file as Labels::unlabelled if it has no label column.
/// Every file of the UCR 2018 and UEA archives (integer or text labels) and of the UCR
/// 2015 archive (`1.0000000e+00`-style labels) passes; an unlabelled file of real-valued
/// (e.g. z-normalised) series is refused on its first line, since a real-valued first
/// point is a whole number only by chance.
///
/// The rule is one-sided: an integer first column does not prove a label column. A file
/// of integer-valued series (counts, such as Chinatown or HouseTwenty) without labels
/// passes it and is read with its first values as labels; only the caller can say such a
/// file is unlabelled. Row lengths are no evidence either: in an equal-length file every
/// line has the same number of fields whether or not it starts with a label. This is why
/// there is no "detect" mode: it could only guess "labelled" for such files, silently.
///
/// `.ts` files declare their labels in the header (`@classLabel true l1 l2 ...` or
/// `@classLabel false`), so no rule applies to them.

namespace strider::io {

/// Whether each series of a dataset file comes with a class label.
enum class Labels {
  /// `.tsv`/`.txt`/`.csv`: the first field of each line is the label, checked by the label
  /// rule (see the file comment); the panel has one label per series. `.ts`: labels as the
  /// header declares (`@classLabel false` gives an unlabelled panel).
  labelled,
  /// `.tsv`/`.txt`/`.csv`: every field is a series value; the panel has no labels. `.ts`:
  /// labels declared by `@classLabel true` are checked as usual, then dropped.
  unlabelled,
  /// Regression targets: `.tsv`/`.txt`/`.csv`: the first field of each line is a numeric
  /// target, which must be a finite number (any number, fractions included; the label
  /// rule does not apply); the panel's labels hold the targets' text (read them with
  /// strider::targets_from_labels()). `.ts`: as labelled (`@targetLabel true` files
  /// check their targets as they are read).
  targets
};

/// Options of read_dataset_file(), read_ucr_tsv(), read_ucr_txt(), read_ts() and their
/// parse_*() counterparts, e.g. `read_dataset_file(path, {.labels = Labels::unlabelled})`.
struct ReadOptions {
  Labels labels = Labels::labelled;  ///< whether the lines carry a class label
  /// Bound on the zero padding of a variable-length file. A Panel stores every series
  /// padded to the longest one, so a file with one long series and many short ones would
  /// need far more memory than its values: the readers refuse a file whose padded size
  /// (series x channels x longest length) exceeds `max_padding_ratio` times the number of
  /// values it holds, plus 2^20, naming the file, the sizes and this option. 16 leaves
  /// room for every variable-length dataset of the UCR and UEA archives (at most about 5).
  /// The check comes before the panel's storage is allocated. Infinity removes the bound;
  /// a negative or NaN ratio is refused with std::invalid_argument.
  double max_padding_ratio = 16.0;
};

}  // namespace strider::io
