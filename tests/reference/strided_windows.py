#!/usr/bin/env python3
"""Windows of a dilated, zero-padded series with numpy's as_strided, as the document
(a parallel Python talk: generate_strides_1D / convolve_x) builds them.

usage: strided_windows.py X.txt LENGTH DILATION PADDING OUT.txt
X.txt: one value per line. OUT.txt: one window per line, values separated by spaces
(repr-exact). Exits 77 when numpy cannot be imported.
"""
import sys

try:
    import numpy as np
    from numpy.lib.stride_tricks import as_strided
except ImportError:
    print("strided_windows.py: numpy is not installed", file=sys.stderr)
    sys.exit(77)


def generate_strides_1d(x, window_size, dilation):
    n_timestamps = x.shape[0]
    shape_new = (n_timestamps - (window_size - 1) * dilation, window_size)
    s0 = x.strides[0]
    return as_strided(x, shape=shape_new, strides=(s0, dilation * s0))


def convolve_x(x, length, dilation, padding):
    if padding > 0:
        x_pad = np.zeros(x.shape[0] + 2 * padding)
        x_pad[padding:-padding] = x
    else:
        x_pad = x
    return generate_strides_1d(x_pad, length, dilation)


def main():
    x = np.loadtxt(sys.argv[1], ndmin=1)
    length, dilation, padding = (int(v) for v in sys.argv[2:5])
    windows = convolve_x(x, length, dilation, padding)
    with open(sys.argv[5], "w") as f:
        for row in windows:
            f.write(" ".join(repr(float(v)) for v in row) + "\n")


if __name__ == "__main__":
    main()
