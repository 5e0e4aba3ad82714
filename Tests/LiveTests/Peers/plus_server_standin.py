"""A PlusServer stand-in on pyigtl (127.0.0.1): IMAGE "Image_Image" (identity matrix, as
PlusServer sends it) plus TRANSFORM "ImageToReference" carrying the pose WITH the anisotropic
pixel spacing, the transform's timestamps offset from the images' by OFFSET_MS.

Usage: python3 plus_server_standin.py PORT FRAMES OFFSET_MS

Motion (t in s from T0 = 1000): ImageToReference(t) = Translation(0, 0, 20 t) *
Rotation(axis (0.2, 1, 0.1), 0.5 t rad) * Scaling(0.3, 0.2, 1). Frame i is at t_i = i / 30;
TRANSFORM samples are sent at t_(i-1) + offset (once, first) and t_i + offset, each before
image i. Image i (64 x 48 uint8) has pixel (x, y) = 40 + (3 x + 5 y + 7 i) mod 180.
Prints "sent N" and exits.
"""
import math
import sys
import time

import numpy as np
import pyigtl

T0 = 1000.0


def pose(t):
    axis = np.array([0.2, 1.0, 0.1])
    axis = axis / np.linalg.norm(axis)
    angle = 0.5 * t
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    r = np.eye(3) + math.sin(angle) * k + (1 - math.cos(angle)) * (k @ k)
    m = np.eye(4)
    m[:3, :3] = r @ np.diag([0.3, 0.2, 1.0])
    m[2, 3] = 20.0 * t
    return m


def main():
    port, frames, offset = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) / 1000.0
    server = pyigtl.OpenIGTLinkServer(port=port, local_server=True)
    deadline = time.time() + 600  # a hang deadline: the test may connect late on a loaded machine
    while not server.is_connected():
        if time.time() > deadline:
            sys.exit("no client connected")
        time.sleep(0.01)
    x, y = np.meshgrid(np.arange(64), np.arange(48))
    for i in range(-1, frames):
        t = i / 30.0
        server.send_message(pyigtl.TransformMessage(pose(t + offset), timestamp=T0 + t + offset,
                                                    device_name="ImageToReference"), wait=True)
        if i < 0:
            continue
        pixels = (40 + (3 * x + 5 * y + 7 * i) % 180).astype(np.uint8)
        server.send_message(pyigtl.ImageMessage(pixels[np.newaxis, :, :], timestamp=T0 + t, device_name="Image_Image"),
                            wait=True)
        time.sleep(0.005)
    print("sent", frames, flush=True)
    time.sleep(1.0)
    server.stop()


main()
