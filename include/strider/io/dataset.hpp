#pragma once
/// @file io/dataset.hpp
/// @brief Reading a dataset file by its extension, and a UCR/UEA archive dataset (its
/// train and test splits) by name.

#include <filesystem>
#include <string>

#include "strider/io/read_options.hpp"
#include "strider/panel.hpp"

namespace strider::io {

/**
 * @brief Reads one dataset file, choosing the reader by the extension (any case):
 * `.tsv` -> read_ucr_tsv(), `.ts` -> read_ts(), `.txt` and `.csv` -> read_ucr_txt().
 * @param path    the file
 * @param options whether the file has labels, passed on to the reader: the default
 *                (Labels::labelled) reads the first field of `.tsv`/`.txt`/`.csv` lines
 *                as the label and refuses a file whose first field is a real-valued
 *                series value (see io/read_options.hpp); `{.labels = Labels::unlabelled}`
 *                reads every field as a value (and drops `.ts` labels); and the padding
 *                bound, max_padding_ratio
 * @return the file's panel (n_series x n_channels x max_length), with the file and the
 *         line of each series recorded (Panel::set_source())
 * @throws FormatError naming the file when the extension is none of these (line 0), the
 *         file cannot be opened, it is malformed, or it is past one of the readers'
 *         bounds: a value beyond kMaxAbsValue, a series longer than kMaxSeriesLength, or
 *         lengths too uneven for max_padding_ratio (see io/ucr.hpp and io/ts_format.hpp)
 */
Panel read_dataset_file(const std::filesystem::path& path, const ReadOptions& options = {});

/**
 * @brief The file of one split of a UCR/UEA-layout dataset, the one load_ucr_dataset()
 * reads: `<root>/<name>/<name>_<split>.<ext>` for the first of the extensions `.tsv`,
 * `.ts`, `.txt`, `.csv` that exists (e.g. to read TRAIN alone).
 * @param split "TRAIN" or "TEST"
 * @throws FormatError when none exists (the message lists the paths looked for)
 */
std::filesystem::path find_ucr_split(const std::filesystem::path& root, const std::string& name,
                                     const std::string& split);

/**
 * @brief Loads `<root>/<name>/<name>_TRAIN.<ext>` and `<root>/<name>/<name>_TEST.<ext>`,
 * as laid out by the UCR 2018 and UEA archives.
 *
 * Each split is looked for with the extensions `.tsv`, `.ts`, `.txt`, `.csv`, in that
 * order; the first that exists is read (the two splits may use different formats).
 * Both splits are read with `options` (by default: labelled, with the default bounds;
 * Labels::targets for a regression dataset).
 * Test labels need not be among the training classes (the classifier decides).
 * @param root folder holding one sub-folder per dataset
 * @param name dataset name, e.g. "GunPoint"
 * @return the train and test panels
 * @throws std::invalid_argument when name is empty or contains a path separator
 * @throws FormatError when a split is missing (the message lists the paths looked for),
 *         a file is malformed, or the splits have different numbers of channels
 */
TrainTest load_ucr_dataset(const std::filesystem::path& root, const std::string& name,
                           const ReadOptions& options = {});

}  // namespace strider::io
