"""An independent Plus Remote client: pyigtl sends the command XML 3D Slicer's Plus Remote
module sends, in PlusServer's legacy form (STRING CMD_<uid>, header version 2), and reads the
STRING ACK_<uid> replies and the IMAGE volumes.

Usage: python3 plus_remote_client.py PORT
Prints one JSON object: the reply text of each command, and the shape and voxel sum of the
snapshot and final IMAGE "liveReconstruction".
"""
import json
import sys
import time

import numpy as np
import pyigtl

port = int(sys.argv[1])
client = pyigtl.OpenIGTLinkClient(host="127.0.0.1", port=port)
uid = 0


def command(xml):
    global uid
    uid += 1
    message = pyigtl.StringMessage(xml, device_name="CMD_%d" % uid)
    message.header_version = 2
    client.send_message(message, wait=True)
    reply = client.wait_for_message("ACK_%d" % uid, timeout=120)
    return reply.string if reply is not None else None


def volume(timeout):
    image = client.wait_for_message("liveReconstruction", timeout=timeout)
    if image is None:
        return None
    voxels = np.asarray(image.image)
    return {"shape": list(voxels.shape), "sum": int(voxels.astype(np.int64).sum()), "nonzero": int(np.count_nonzero(voxels))}


deadline = time.time() + 600  # a hang deadline: the server may come up late on a loaded machine
while not client.is_connected():
    if time.time() > deadline:
        sys.exit("not connected")
    time.sleep(0.01)

result = {}
result["ids"] = command('<Command Name="RequestDeviceIds" DeviceType="VirtualVolumeReconstructor"/>')
result["start"] = command('<Command Name="StartVolumeReconstruction" VolumeReconstructorDeviceId="VolumeReconstructorDevice" '
                          'OutputSpacing="1 1 1" OutputOrigin="-15 -21 -50" OutputExtent="0 39 0 29 0 69" '
                          'OutputVolFilename="PeerVolume.nrrd" OutputVolDeviceName="liveReconstruction"/>')
# Snapshots until one holds reconstructed voxels (however loaded the machine is), at most 300 s.
snapshot = None
deadline = time.time() + 300
while time.time() < deadline:
    result["snapshot"] = command('<Command Name="GetVolumeReconstructionSnapshot" VolumeReconstructorDeviceId="VolumeReconstructorDevice" '
                                 'OutputVolFilename="PeerVolume.nrrd" OutputVolDeviceName="liveReconstruction" ApplyHoleFilling="False"/>')
    snapshot = volume(30)
    if snapshot is not None and snapshot["nonzero"] > 0:
        break
    time.sleep(0.3)
result["snapshotVolume"] = snapshot
result["stop"] = command('<Command Name="StopVolumeReconstruction" VolumeReconstructorDeviceId="VolumeReconstructorDevice" '
                         'OutputVolFilename="PeerVolume.nrrd" OutputVolDeviceName="liveReconstruction"/>')
result["stopVolume"] = volume(60)
result["unknown"] = command('<Command Name="Explode"/>')
print(json.dumps(result), flush=True)
client.stop()
