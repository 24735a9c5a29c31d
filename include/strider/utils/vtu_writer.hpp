#pragma once
/// @file vtu_writer.hpp
/// @brief Writes a 3-D point cloud with one named scalar per point as a VTK XML
/// UnstructuredGrid (`.vtu`, ASCII), the file ParaView and VisIt open directly.
///
/// Source: "scipar" (Accelerating Python for Scientific Computing), its
/// `VtuWriter` class and `writeClustersMerged`, which write the 50 + 30 Gaussian clusters
/// (1090 points in all) through the `vtk` Python module. The document gives no timing.
/// What differs from the document's code and why:
/// - No dependency on VTK: the XML is written directly (format "VTK XML UnstructuredGrid",
///   version 1.0, ASCII, `header_type="UInt64"`).
/// - One VTK_VERTEX cell (type 1) per point instead of a single VTK_POLY_VERTEX cell for
///   the whole cloud: each point is then its own cell, so ParaView can pick, threshold
///   and extract points one by one; both render as points.
/// - The file name is used as given: the document's `"{} .vtu".format(filename)` puts a
///   space before the extension ("cluster_0 .vtu").
/// - `stack_clusters()` labels every point with its cluster's index. The document's
///   `concatenateArrays` advances its row counter before writing the labels, so the
///   labels of cluster k land on the rows of cluster k + 1 (cluster 0 keeps the zeros of
///   the initial array, the last cluster's label is dropped).
/// - The write is atomic (a temporary file in the same directory, then rename()), so a
///   reader never sees a half-written file.
/// - Coordinates and values are written with the shortest decimal form that reads back
///   to the same double (std::to_chars), so the file round-trips exactly.
/// - Non-finite coordinates or values are rejected: NaN has no meaning as a position, and
///   VTK's ASCII readers differ in whether they parse "nan"/"inf".

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "strider/types.hpp"

namespace strider::utils {

/**
 * @brief Writes `points` with the scalar `values` as a VTK XML UnstructuredGrid file.
 *
 * The file holds N points, N cells of type VTK_VERTEX (connectivity 0..N-1, offsets
 * 1..N), the point coordinates as a 3-component Float64 array and `values` as the
 * Float64 point-data array `scalar_name`, marked as the active scalars. An empty cloud
 * (N = 0) gives a valid file with no points.
 * @param path        destination, typically ending in ".vtu"; replaced atomically
 * @param points      N x 3 coordinates (x, y, z), one row per point
 * @param values      N scalars, one per point (e.g. a cluster index)
 * @param scalar_name name of the scalar array shown by ParaView (XML-escaped on output)
 * @throws std::invalid_argument when points does not have 3 columns, values.size() != N,
 *         scalar_name is empty, or a coordinate or value is NaN or infinite (the message
 *         names the row)
 * @throws std::runtime_error when the file cannot be written (the message names it)
 */
void write_vtu_point_cloud(const std::filesystem::path& path,
                           const Eigen::Ref<const RowMatrixD>& points,
                           const Eigen::Ref<const VectorD>& values,
                           const std::string& scalar_name = "point_values");

/**
 * @brief Stacks clusters of 3-D points into one cloud labelled by cluster index.
 * @param clusters K matrices of n_k x 3 points (n_k may be 0)
 * @return (points, labels): sum(n_k) x 3 points in cluster order, and for each point the
 *         index k of its cluster, as a double (the scalar written to the `.vtu` file)
 * @throws std::invalid_argument when a cluster does not have 3 columns
 */
std::pair<RowMatrixD, VectorD> stack_clusters(const std::vector<RowMatrixD>& clusters);

}  // namespace strider::utils
