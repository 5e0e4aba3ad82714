"""A pyigtl OpenIGTLink server (127.0.0.1) that sends a few tracked frames to whoever connects.

Usage: python3 pyigtl_sender.py PORT FRAMES
Frame i: TRANSFORM "ProbeToReference" (translation z = i mm), then IMAGE "Image" (60x40 uint8,
value 100 + 20 i, identity matrix) with the same timestamp. Prints "sent N" and exits.
"""
import sys
import time

import numpy as np
import pyigtl

port, frames = int(sys.argv[1]), int(sys.argv[2])
server = pyigtl.OpenIGTLinkServer(port=port, local_server=True)
# A hang deadline, not a clock: on a loaded machine the test may connect minutes after this starts.
deadline = time.time() + 600
while not server.is_connected():
    if time.time() > deadline:
        sys.exit("no client connected")
    time.sleep(0.01)
t0 = time.time()
for i in range(frames):
    t = t0 + 0.1 * i
    matrix = np.eye(4)
    matrix[2, 3] = i
    server.send_message(pyigtl.TransformMessage(matrix, timestamp=t, device_name="ProbeToReference"), wait=True)
    voxels = np.full((1, 40, 60), 100 + 20 * i, dtype=np.uint8)  # (k, j, i)
    server.send_message(pyigtl.ImageMessage(voxels, timestamp=t, device_name="Image"), wait=True)
    time.sleep(0.05)
print("sent", frames, flush=True)
time.sleep(1.0)
server.stop()
