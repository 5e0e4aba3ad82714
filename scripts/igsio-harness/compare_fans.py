#!/usr/bin/env python3
"""Fan masks against IGSIO: pastes PLUS's spine sweep with PLUS's SonixRP TRUS fan config and four
fan variants (fractional origins, one-sided and swapped angles, start radii cutting rows in two,
origin above the image), for FULL, PARTIAL and NONE, nearest and linear, LATEST and MEAN, with
IGSIO's paste_bench (1 thread) and `freehand bench` (2 threads), and counts differing voxels.

Usage: scripts/igsio-harness/compare_fans.py IGSIO_BUILD [FREEHAND] [PLUS_DATA]
(defaults: .build/release/freehand, ../shared/data/plus/PlusLibData). Exit 1 if any output differs.
Needs SimpleITK (scripts/setup.sh installs it).
"""
import os, re, subprocess, sys, tempfile
import SimpleITK as sitk

igsio = sys.argv[1]
freehand = sys.argv[2] if len(sys.argv) > 2 else ".build/release/freehand"
data = sys.argv[3] if len(sys.argv) > 3 else "../shared/data/plus/PlusLibData"
rec = f"{data}/TestImages/SpinePhantomFreehand.igs.mha"
base = open(f"{data}/ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SonixRP_TRUS_D70mm_NN_LATE.xml").read()
fans = [
    {},  # PLUS's own: origin (380, 20), angles -45..45, radii 120..360
    dict(FanOriginPixel="380.5 20", FanAnglesDeg="-30 10", FanRadiusStartPixel="0", FanRadiusStopPixel="360"),
    dict(FanOriginPixel="380 20.25", FanAnglesDeg="-45 45", FanRadiusStartPixel="200", FanRadiusStopPixel="400"),
    dict(FanOriginPixel="400.75 -30.5", FanAnglesDeg="20 -35", FanRadiusStartPixel="60.5", FanRadiusStopPixel="500.25"),
    dict(FanOriginPixel="400 100", FanAnglesDeg="-60 60", FanRadiusStartPixel="10", FanRadiusStopPixel="300",
         ClipRectangleOrigin="0 0", ClipRectangleSize="819 615"),
]
work = tempfile.mkdtemp(prefix="compare-fans-")
failures = 0
for i, fan in enumerate(fans):
    for opt in ["FULL", "PARTIAL", "NONE"]:
        for interp in ["NEAREST_NEIGHBOR", "LINEAR"]:
            for comp in ["LATEST", "MEAN"]:
                cfg = base
                for k, v in dict(fan, Optimization=opt, Interpolation=interp, CompoundingMode=comp).items():
                    cfg, n = re.subn(k + '="[^"]*"', f'{k}="{v}"', cfg)
                    assert n == 1, k
                name = f"{work}/fan{i}-{opt}-{interp[:2]}-{comp}"
                open(name + ".xml", "w").write(cfg)
                subprocess.run([f"{igsio}/bin/paste_bench", name + ".xml", rec, "1", "1", name + "-igsio.mha"], check=True, capture_output=True)
                subprocess.run([freehand, "bench", "--recording", rec, "--config", name + ".xml", "--threads", "2", "--runs", "1",
                                "--output", name + "-freehand.mha"], check=True, capture_output=True)
                a = sitk.GetArrayFromImage(sitk.ReadImage(name + "-igsio.mha"))
                b = sitk.GetArrayFromImage(sitk.ReadImage(name + "-freehand.mha"))
                differ = int((a != b).sum()) if a.shape == b.shape else -1
                failures += differ != 0
                print(f"fan {i} {opt:7} {interp:16} {comp:6}: {differ} of {a.size} voxels differ ({int((a > 0).sum())} nonzero)", flush=True)
print("all identical" if failures == 0 else f"{failures} outputs differ")
sys.exit(1 if failures else 0)
