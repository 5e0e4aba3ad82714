// frame_matrices: IGSIO's per-frame matrices, as exact bit patterns, for comparing with Freehand's
// FrameMapping (Tests/ReconstructionTests/IGSIOMatrixDumpTests.swift reads this output when
// FREEHAND_IGSIO_MATRICES names it).
//   usage: frame_matrices CONFIG.xml SEQUENCE.igs.mha > matrices.txt
// Reads the recording and the PLUS config with IGSIO, sets the output grid as
// vtkIGSIOVolumeReconstructor does (configured or automatic extent), then for every frame:
// ImageToReference from IGSIO's transform repository and mImagePixToVolumePix built with the same
// VTK calls as vtkIGSIOPasteSliceIntoVolume's thread function (Translate/Scale/Inverse, SetMatrix,
// Scale, Concatenate x3, GetMatrix). Output lines (doubles as 16 hex digits of their IEEE bits):
//   grid OX OY OZ SX SY SZ
//   frame INDEX STATUS(OK|INVALID|NOPATH) ImageToReference[16 row-major] ImagePixToVolumePix[16 row-major]
// Built against the IGSIO build of ../shared/anchors/igsio/build.sh: see build-frame-matrices.sh.
#include "igsioTrackedFrame.h"
#include "igsioXmlUtils.h"
#include "vtkIGSIOSequenceIO.h"
#include "vtkIGSIOTrackedFrameList.h"
#include "vtkIGSIOTransformRepository.h"
#include "vtkIGSIOVolumeReconstructor.h"
#include "vtkIGSIOLogger.h"
#include <vtkImageData.h>
#include <vtkMatrix4x4.h>
#include <vtkSmartPointer.h>
#include <vtkTransform.h>
#include <vtkXMLDataElement.h>
#include <cstdint>
#include <cstdio>
#include <cstring>

static void bits(double v) { uint64_t u; std::memcpy(&u, &v, 8); printf(" %016llx", (unsigned long long)u); }
static void bits(vtkMatrix4x4* m) { for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) bits(m->GetElement(r, c)); }

int main(int argc, char** argv)
{
  if (argc != 3) { fprintf(stderr, "usage: %s config.xml seq.igs.mha\n", argv[0]); return 2; }
  vtkIGSIOLogger::Instance()->SetLogLevel(vtkIGSIOLogger::LOG_LEVEL_ERROR);
  vtkSmartPointer<vtkXMLDataElement> config = vtkSmartPointer<vtkXMLDataElement>::New();
  if (igsioXmlUtils::ReadDeviceSetConfigurationFromFile(config, argv[1]) == IGSIO_FAIL) { fprintf(stderr, "config read failed\n"); return 1; }
  vtkSmartPointer<vtkIGSIOTrackedFrameList> frames = vtkSmartPointer<vtkIGSIOTrackedFrameList>::New();
  if (vtkIGSIOSequenceIO::Read(argv[2], frames) != IGSIO_SUCCESS) { fprintf(stderr, "seq read failed\n"); return 1; }
  vtkSmartPointer<vtkIGSIOVolumeReconstructor> rec = vtkSmartPointer<vtkIGSIOVolumeReconstructor>::New();
  if (rec->ReadConfiguration(config) != IGSIO_SUCCESS) { fprintf(stderr, "ReadConfiguration failed\n"); return 1; }
  rec->SetImageCoordinateFrame("Image"); rec->SetReferenceCoordinateFrame("Reference");
  rec->SetFillHoles(false);
  vtkSmartPointer<vtkIGSIOTransformRepository> repo = vtkSmartPointer<vtkIGSIOTransformRepository>::New();
  if (repo->ReadConfiguration(config) != IGSIO_SUCCESS) { fprintf(stderr, "repo config failed\n"); return 1; }
  std::string err;
  if (rec->SetOutputExtentFromFrameList(frames, repo, err) != IGSIO_SUCCESS) { fprintf(stderr, "extent failed: %s\n", err.c_str()); return 1; }
  // The output volume whose origin and spacing the paste thread reads (str->OutputVolume).
  vtkSmartPointer<vtkImageData> volume = vtkSmartPointer<vtkImageData>::New();
  rec->GetReconstructedVolume(volume);
  printf("grid");
  for (int i = 0; i < 3; i++) bits(volume->GetOrigin()[i]);
  for (int i = 0; i < 3; i++) bits(volume->GetSpacing()[i]);
  printf("\n");

  igsioTransformName name("Image", "Reference");
  for (int i = 0; i < frames->GetNumberOfTrackedFrames(); i++)
  {
    igsioTrackedFrame* f = frames->GetTrackedFrame(i);
    vtkSmartPointer<vtkMatrix4x4> imageToReference = vtkSmartPointer<vtkMatrix4x4>::New();
    ToolStatus status = TOOL_INVALID;
    const char* label = "NOPATH";
    if (repo->SetTransforms(*f) == IGSIO_SUCCESS && repo->GetTransform(name, imageToReference, &status) == IGSIO_SUCCESS)
      label = status == TOOL_OK ? "OK" : "INVALID";
    // vtkIGSIOPasteSliceIntoVolume.cxx, the thread function: the same calls in the same order.
    vtkSmartPointer<vtkTransform> tVolumePixFromRef = vtkSmartPointer<vtkTransform>::New();
    tVolumePixFromRef->Translate(volume->GetOrigin());
    tVolumePixFromRef->Scale(volume->GetSpacing());
    tVolumePixFromRef->Inverse();
    vtkSmartPointer<vtkTransform> tRefFromImage = vtkSmartPointer<vtkTransform>::New();
    tRefFromImage->SetMatrix(imageToReference);
    vtkSmartPointer<vtkTransform> tImageFromImagePix = vtkSmartPointer<vtkTransform>::New();
    tImageFromImagePix->Scale(f->GetImageData()->GetImage()->GetSpacing());
    vtkSmartPointer<vtkTransform> tImagePixToVolumePix = vtkSmartPointer<vtkTransform>::New();
    tImagePixToVolumePix->Concatenate(tVolumePixFromRef);
    tImagePixToVolumePix->Concatenate(tRefFromImage);
    tImagePixToVolumePix->Concatenate(tImageFromImagePix);
    vtkSmartPointer<vtkMatrix4x4> m = vtkSmartPointer<vtkMatrix4x4>::New();
    tImagePixToVolumePix->GetMatrix(m);
    printf("frame %d %s", i, label);
    bits(imageToReference);
    bits(m);
    printf("\n");
  }
  return 0;
}
