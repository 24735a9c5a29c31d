// io::write_npy: the bytes of NumPy's .npy format, and numpy.load() reading them back.

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "strider/io/npy.hpp"
#include "test_support.hpp"

namespace strider {
namespace {

using test::TempDir;

TEST(IoNpy, HeaderAndValuesAreNumpysFormat) {
  RowMatrixD x(3, 5);
  for (index_t i = 0; i < 3; ++i)
    for (index_t j = 0; j < 5; ++j)
      x(i, j) = 0.1 * static_cast<double>(i * 5 + j) - 1.0;
  TempDir dir;
  io::write_npy(dir / "x.npy", x);
  const std::string bytes = test::read_file(dir / "x.npy");
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  const std::size_t header_length =
      static_cast<unsigned char>(bytes[8]) | (static_cast<std::size_t>(bytes[9]) << 8);
  const std::size_t start = 10 + header_length;
  EXPECT_EQ(start % 64, 0u);
  const std::string header = bytes.substr(10, header_length);
  EXPECT_EQ(header.rfind("{'descr': '<f8', 'fortran_order': False, 'shape': (3, 5), }", 0), 0u);
  EXPECT_EQ(header.back(), '\n');
  ASSERT_EQ(bytes.size(), start + 15 * sizeof(double));
  RowMatrixD back(3, 5);
  std::memcpy(back.data(), bytes.data() + start, 15 * sizeof(double));
  EXPECT_EQ(back, x);

  const RowMatrixF xf = x.cast<float>();
  io::write_npy(dir / "xf.npy", xf);
  EXPECT_NE(test::read_file(dir / "xf.npy").find("'descr': '<f4'"), std::string::npos);
  EXPECT_THROW(io::write_npy(dir / "missing" / "x.npy", x), std::runtime_error);
}

TEST(IoNpy, NumpyLoadsWhatIsWritten) {
  RowMatrixD x(4, 3);
  x << 1, 2, 3, 4, 5, 6, 7, 8, 9, -1e300, 1e-300, 0.5;
  TempDir dir;
  io::write_npy(dir / "x.npy", x);
  const std::string script =
      "import sys\n"
      "try:\n"
      "    import numpy as np\n"
      "except ImportError:\n"
      "    sys.exit(77)\n"
      "a = np.load(sys.argv[1])\n"
      "want = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9], [-1e300, 1e-300, 0.5]])\n"
      "sys.exit(0 if a.dtype == np.float64 and a.shape == (4, 3) and (a == want).all() else 1)\n";
  test::write_file(dir / "check.py", script);
  const std::string python = STRIDER_PYTHON;
  if (python.empty()) GTEST_SKIP() << "no python3";
  const int status = std::system(("\"" + python + "\" \"" + (dir / "check.py").string() + "\" \"" +
                                  (dir / "x.npy").string() + "\"")
                                     .c_str());
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 77) GTEST_SKIP() << "numpy not available (python3-numpy)";
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace strider
