#!/usr/bin/env python3
"""pyigtl 0.3.4 peer for the IGTLink interoperability tests (127.0.0.1 only).

  pyigtl_peer.py send PORT VERSION   connect to our server, send IMAGE (RAS and LPS),
                                      TRANSFORM and STRING with header VERSION, then exit
  pyigtl_peer.py serve PORT          serve on 127.0.0.1:PORT, print what our client sends as JSON
                                      lines, then send IMAGE/TRANSFORM/STRING back and exit
"""
import json
import sys
import time

import numpy as np
import pyigtl

W, H = 40, 30
MATRIX = np.array([[0.0, -0.3, 0.0, 12.5],
                   [0.3, 0.0, 0.0, -7.25],
                   [0.0, 0.0, 2.0, 100.0],
                   [0.0, 0.0, 0.0, 1.0]])
TRANSFORM = np.array([[0.0, -1.0, 0.0, 1.5],
                      [1.0, 0.0, 0.0, 2.5],
                      [0.0, 0.0, 1.0, 3.5],
                      [0.0, 0.0, 0.0, 1.0]])


def pixels(dtype):
    y, x = np.mgrid[0:H, 0:W]
    # pyigtl treats a 2-D array as (j, k); a (k, j, i) = (1, H, W) array is one W x H slice.
    return (1000 + 7 * x + 11 * y).astype(dtype).reshape(1, H, W)


def outgoing(version, prefix):
    msgs = [
        pyigtl.ImageMessage(pixels('<u2'), ijk_to_world_matrix=MATRIX, world_coordinate_system='ras', device_name=prefix + 'Image'),
        # pyigtl 0.3.4 cannot pack big-endian arrays (its dtype lookup fails), so only '<u2'.
        pyigtl.ImageMessage(pixels('<u2'), ijk_to_world_matrix=MATRIX, world_coordinate_system='lps', device_name=prefix + 'ImageLPS'),
        pyigtl.TransformMessage(TRANSFORM, device_name=prefix + 'Transform'),
        pyigtl.StringMessage('hello from pyigtl', device_name=prefix + 'String'),
    ]
    for m in msgs:
        m.header_version = version
        if version >= 2:
            m.metadata = {'Origin': 'pyigtl', 'Kind': m._message_type}
            m.message_id = 77
    return msgs


def describe(m):
    d = {'type': m._message_type, 'device': m.device_name, 'header_version': m.header_version,
         'metadata': dict(m.metadata), 'timestamp': m.timestamp}
    if m._message_type == 'IMAGE':
        d['shape'] = list(m.image.shape)
        d['matrix'] = np.asarray(m.ijk_to_world_matrix).tolist()
        d['coord'] = m.world_coordinate_system
        d['values'] = [int(v) for v in np.asarray(m.image, dtype=np.int64).ravel()]
    elif m._message_type == 'TRANSFORM':
        d['matrix'] = np.asarray(m.matrix).tolist()
    elif m._message_type == 'STRING':
        d['string'] = m.string
    return d


def send(port, version):
    client = pyigtl.OpenIGTLinkClient(host='127.0.0.1', port=port)
    deadline = time.time() + 600  # a hang deadline: the server may come up late on a loaded machine
    while not client.is_connected() and time.time() < deadline:
        time.sleep(0.02)
    for m in outgoing(version, 'Py'):
        client.send_message(m, wait=True)
    # Stay connected until the test ends this process, so the server still knows this client
    # when the test (maybe late, on a loaded machine) asks which header version it negotiated.
    time.sleep(600)
    client.stop()


def serve(port):
    server = pyigtl.OpenIGTLinkServer(port=port, local_server=True)
    print('READY', flush=True)
    for name in ['OurImage', 'OurTransform', 'OurString']:
        m = server.wait_for_message(name, timeout=600)
        print(json.dumps(describe(m) if m is not None else {'device': name, 'missing': True}), flush=True)
    for m in outgoing(1, 'Py'):
        server.send_message(m, wait=True)
    time.sleep(1.0)
    print('DONE', flush=True)


if __name__ == '__main__':
    if sys.argv[1] == 'send':
        send(int(sys.argv[2]), int(sys.argv[3]))
    else:
        serve(int(sys.argv[2]))
