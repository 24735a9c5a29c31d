#!/usr/bin/env python3
"""Independent check of a .vtu file written by strider::utils::write_vtu_point_cloud.

usage: vtu_check.py FILE.vtu EXPECTED.txt SCALAR_NAME [--vtk]

EXPECTED.txt has one line "x y z value" per point (repr-exact decimal numbers).
Without --vtk the file is parsed with the standard library's XML parser (always
available) and its structure and numbers are compared exactly. With --vtk it is read
with VTK's own vtkXMLUnstructuredGridReader (Debian: python3-vtk9); exits 77 when the
vtk module cannot be imported, so the C++ test skips.
"""
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print("vtu_check.py: " + msg, file=sys.stderr)
    sys.exit(1)


def load_expected(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rows.append([float(t) for t in line.split()])
    return rows


def check_xml(path, expected, name):
    root = ET.parse(path).getroot()
    if root.tag != "VTKFile" or root.get("type") != "UnstructuredGrid":
        fail("root is not a VTKFile of type UnstructuredGrid")
    piece = root.find("UnstructuredGrid/Piece")
    n = len(expected)
    if int(piece.get("NumberOfPoints")) != n or int(piece.get("NumberOfCells")) != n:
        fail("wrong NumberOfPoints/NumberOfCells")
    pd = piece.find("PointData")
    if pd.get("Scalars") != name:
        fail("active scalars %r != %r" % (pd.get("Scalars"), name))
    arrays = {a.get("Name"): (a.text or "").split() for a in piece.iter("DataArray")}
    pts = [float(t) for t in arrays["Points"]]
    vals = [float(t) for t in arrays[name]]
    if len(pts) != 3 * n or len(vals) != n:
        fail("array sizes")
    for i, row in enumerate(expected):
        if pts[3 * i:3 * i + 3] != row[:3] or vals[i] != row[3]:
            fail("point %d differs: %r %r vs %r" % (i, pts[3 * i:3 * i + 3], vals[i], row))
    if [int(t) for t in arrays["connectivity"]] != list(range(n)):
        fail("connectivity")
    if [int(t) for t in arrays["offsets"]] != list(range(1, n + 1)):
        fail("offsets")
    if [int(t) for t in arrays["types"]] != [1] * n:
        fail("types (VTK_VERTEX = 1)")


def check_vtk(path, expected, name):
    try:
        import vtk  # noqa: F401
        from vtk.util.numpy_support import vtk_to_numpy  # noqa: F401
    except ImportError:
        print("vtu_check.py: the vtk Python module is not installed (python3-vtk9)",
              file=sys.stderr)
        sys.exit(77)
    reader = vtk.vtkXMLUnstructuredGridReader()
    reader.SetFileName(path)
    reader.Update()
    grid = reader.GetOutput()
    n = len(expected)
    if grid.GetNumberOfPoints() != n or grid.GetNumberOfCells() != n:
        fail("VTK reads %d points, %d cells, expected %d" %
             (grid.GetNumberOfPoints(), grid.GetNumberOfCells(), n))
    scalars = grid.GetPointData().GetScalars()
    if n > 0 and (scalars is None or scalars.GetName() != name):
        fail("VTK sees no active scalars named %r" % name)
    for i, row in enumerate(expected):
        if list(grid.GetPoint(i)) != row[:3] or scalars.GetValue(i) != row[3]:
            fail("VTK point %d differs" % i)
        if grid.GetCellType(i) != vtk.VTK_VERTEX:
            fail("VTK cell %d is not a VTK_VERTEX" % i)


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    path, expected_path, name = sys.argv[1:4]
    expected = load_expected(expected_path)
    if "--vtk" in sys.argv[4:]:
        check_vtk(path, expected, name)
    else:
        check_xml(path, expected, name)


if __name__ == "__main__":
    main()
