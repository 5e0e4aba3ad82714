// The pixel-to-voxel matrix as IGSIO's vtkIGSIOPasteSliceIntoVolume builds it with VTK
// (Translate+Scale, Inverse, Concatenate), for one frame of the 40-frame simulated sweep whose
// ImageToReference and grid Freehand printed; prints it and the positions of the frame's last
// pixels. Pixel (639, 479) lands at z = 0 exactly here but at z = 4.4e-16 with Freehand's
// FrameMapping (m / spacing), the one voxel LINEAR PARTIAL/NONE differ in (README).
//   g++ -std=c++17 -I/usr/include/vtk-9.1 scripts/igsio-harness/frame_matrix.cxx -o /tmp/frame_matrix \
//     -lvtkCommonTransforms-9.1 -lvtkCommonMath-9.1 -lvtkCommonCore-9.1 -lvtksys-9.1
#include <vtkTransform.h>
#include <vtkMatrix4x4.h>
#include <vtkSmartPointer.h>
#include <cstdio>
int main() {
  double m[3][4] = {{0.07998700925316421, -0.0005000003107757756, 0.001352168018622243, -24.432390410387175}, {0.0004335790866729206, 0.07990378515628804, 0.003898349115521049, 0.40338018013729754}, {-0.0013749064830241844, -0.0038903876804490894, 0.07989351986373396, 4.226629270080804}};
  double o[3] = {-27.667307275838095, -1.141806288238416, 1.484568328493236}, s[3] = {0.3, 0.3, 0.3};
  auto M = vtkSmartPointer<vtkMatrix4x4>::New();
  for (int r = 0; r < 3; r++) for (int c = 0; c < 4; c++) M->SetElement(r, c, m[r][c]);
  auto a = vtkSmartPointer<vtkTransform>::New(); a->Translate(o); a->Scale(s); a->Inverse();
  auto b = vtkSmartPointer<vtkTransform>::New(); b->SetMatrix(M);
  auto c = vtkSmartPointer<vtkTransform>::New(); c->Scale(1, 1, 1);
  auto t = vtkSmartPointer<vtkTransform>::New(); t->Concatenate(a); t->Concatenate(b); t->Concatenate(c);
  auto R = vtkSmartPointer<vtkMatrix4x4>::New(); t->GetMatrix(R);
  double x[3], y[3], org[3];
  for (int i = 0; i < 3; i++) { x[i] = R->GetElement(i, 0); y[i] = R->GetElement(i, 1); org[i] = R->GetElement(i, 3); }
  printf("origin %.17g %.17g %.17g\nxa %.17g %.17g %.17g\nya %.17g %.17g %.17g\n", org[0], org[1], org[2], x[0], x[1], x[2], y[0], y[1], y[2]);
  for (int idY = 477; idY <= 479; idY++) {
    double p1[3]; for (int i = 0; i < 3; i++) { double p0 = org[i] + 0 * R->GetElement(i, 2); p1[i] = p0 + idY * y[i]; }
    for (int idX = 638; idX <= 639; idX++) printf("y %d x %d: %.17g %.17g %.17g\n", idY, idX, p1[0] + idX * x[0], p1[1] + idX * x[1], p1[2] + idX * x[2]);
  }
}
