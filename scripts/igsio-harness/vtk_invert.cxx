// vtk_invert: vtkMatrix4x4::Invert and Multiply4x4 of the matrices GeometryTests' Transform3DVTKTests
// check, as IEEE bit patterns (16 hex digits each, row-major), with the VTK IGSIO links to.
//   g++ -std=c++17 -I/usr/include/vtk-9.1 scripts/igsio-harness/vtk_invert.cxx -o /tmp/vtk_invert \
//     -lvtkCommonMath-9.1 -lvtkCommonCore-9.1 && /tmp/vtk_invert
#include <vtkMatrix4x4.h>
#include <cstdint>
#include <cstdio>
#include <cstring>
static void print(const char* what, const double m[16]) {
  printf("%s", what);
  for (int i = 0; i < 16; i++) { uint64_t u; std::memcpy(&u, &m[i], 8); printf(" 0x%016llx,", (unsigned long long)u); }
  printf("\n");
}
int main() {
  // ReferenceToTracker of frame 0 of `freehand simulate --frames 40 --width 640 --height 480 --spacing 0.08 --output-spacing 0.3`.
  const double referenceToTracker[16] = {0.8357605300175538, -0.491200566887762, -0.24541055306143383, 120.5, 0.43583894779255544, 0.8652867268683306, -0.2476354011295016, -45.25, 0.33398914361376436, 0.10000441687561736, 0.9372568316920992, -850, 0, 0, 0, 1};
  // An anisotropic grid's index-to-physical matrix (Translate then Scale).
  const double grid[16] = {0.3, 0, 0, -27.667307275838155, 0, 0.7, 0, -1.1418062882384143, 0, 0, 1.1, 1.484568328493351, 0, 0, 0, 1};
  double inv[16], product[16];
  vtkMatrix4x4::Invert(referenceToTracker, inv); print("inverse(referenceToTracker)", inv);
  vtkMatrix4x4::Invert(grid, inv); print("inverse(grid)", inv);
  vtkMatrix4x4::Multiply4x4(grid, referenceToTracker, product); print("grid * referenceToTracker", product);
  return 0;
}
