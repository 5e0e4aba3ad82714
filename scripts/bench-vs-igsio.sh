#!/usr/bin/env bash
# Freehand against IGSIO's vtkIGSIOVolumeReconstructor (the reconstruction PLUS and SlicerIGSIO
# run), side by side on this machine: same inputs, same configuration per case, one run with the
# two interleaved, so the ratios hold whatever the machine's load.
#
#   scripts/bench-vs-igsio.sh IGSIO_BUILD_DIR
#
# IGSIO_BUILD_DIR is what ../shared/anchors/igsio/build.sh built (bin/paste_bench and
# bin/VolumeReconstructorTest). Inputs: a simulated 640x480 sweep (`freehand simulate`, written
# once, uncompressed) into a 0.3 mm grid, and PLUS's SpinePhantomFreehand recording with its
# configuration (0.5 mm grid, STICK hole filling) when the PLUS data is present. For every
# interpolation x Optimization x compounding x thread count a PLUS configuration variant is
# written and both sides time it: IGSIO's paste_bench and `freehand bench --recording` (read
# whole, then per run paste and hole filling timed separately; medians of RUNS). Whole process:
# IGSIO's VolumeReconstructorTest against `freehand reconstruct`, both writing uncompressed .mha.
# Outputs are compared byte for byte (voxels, dimensions, spacing, origin) wherever IGSIO is
# deterministic (1 thread); Freehand's 2-thread output is compared with IGSIO's 1-thread output.
#
# Environment: FREEHAND (a freehand binary; default: swift build -c release), RUNS (3),
# ROUNDS (2: passes over every case, each side's median of RUNS per case and pass, alternating
# which goes first; each side's fastest pass counts), FRAMES (1000), COMPOUNDING (MEAN,LATEST,MAXIMUM),
# THREADS (1,2), WHOLE_RUNS (3),
# WORK (/tmp/freehand-vs-igsio), FREEHAND_PLUS_DATA (../shared/data/plus).
# Prints Markdown tables and writes them to $WORK/report.md. Exit 1 when any output differs.
set -euo pipefail
igsio="${1:?usage: scripts/bench-vs-igsio.sh IGSIO_BUILD_DIR}"
igsio="$(cd "$igsio" && pwd)"
for b in paste_bench VolumeReconstructorTest; do
  [ -x "$igsio/bin/$b" ] || { echo "no $igsio/bin/$b: build IGSIO first (../shared/anchors/igsio/build.sh $igsio)" >&2; exit 2; }
done
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ -z "${FREEHAND:-}" ]; then
  (cd "$root" && swift build -c release --product freehand >&2)
  FREEHAND="$root/.build/release/freehand"
fi
plus="${FREEHAND_PLUS_DATA:-$root/../shared/data/plus}"
work="${WORK:-/tmp/freehand-vs-igsio}"
mkdir -p "$work"
export IGSIO_BIN="$igsio/bin" FREEHAND PLUS_LIB="$plus/PlusLibData" WORK="$work" \
  RUNS="${RUNS:-3}" FRAMES="${FRAMES:-1000}" COMPOUNDING="${COMPOUNDING:-MEAN,LATEST,MAXIMUM}" \
  THREADS="${THREADS:-1,2}" WHOLE_RUNS="${WHOLE_RUNS:-3}" ROUNDS="${ROUNDS:-2}"
exec python3 - <<'PY'
import os, re, subprocess, sys, time, platform, datetime
import xml.etree.ElementTree as ET

env = os.environ
igsio, freehand, work = env["IGSIO_BIN"], env["FREEHAND"], env["WORK"]
runs, frames, whole_runs, rounds = int(env["RUNS"]), int(env["FRAMES"]), int(env["WHOLE_RUNS"]), int(env["ROUNDS"])
for name, value in (("RUNS", runs), ("FRAMES", frames), ("WHOLE_RUNS", whole_runs), ("ROUNDS", rounds)):
    if value < 1:
        sys.exit(f"{name}={value}: must be 1 or more")
compoundings = env["COMPOUNDING"].split(",")
threads = [int(t) for t in env["THREADS"].split(",")]
interpolations = ["NEAREST_NEIGHBOR", "LINEAR"]
optimizations = ["FULL", "PARTIAL", "NONE"]
started = time.time()

def log(msg):
    print(f"[{time.time() - started:6.0f} s] {msg}", file=sys.stderr, flush=True)

def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"failed ({p.returncode}): {' '.join(cmd)}\n{p.stdout}\n{p.stderr}")
    return p.stdout

def load():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())

# --- inputs -----------------------------------------------------------------------------
inputs = []
sweep = f"{work}/sweep-{frames}.igs.mha"
if not os.path.exists(sweep):
    log(f"writing the simulated sweep ({frames} frames 640x480, uncompressed) to {sweep}")
    run([freehand, "simulate", "-o", sweep, "--frames", str(frames), "--width", "640", "--height", "480",
         "--spacing", "0.08", "--output-spacing", "0.3", "--uncompressed"])
inputs.append(("simulated sweep", sweep, sweep[:-len(".igs.mha")] + ".config.xml", {"FillHoles": "OFF", "OutputSpacing": "0.3 0.3 0.3"}))
spine = f"{env['PLUS_LIB']}/TestImages/SpinePhantomFreehand.igs.mha"
spine_cfg = f"{env['PLUS_LIB']}/ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml"
if os.path.exists(spine) and os.path.exists(spine_cfg):
    inputs.append(("PLUS spine", spine, spine_cfg, {}))
else:
    log(f"PLUS spine recording not found under {env['PLUS_LIB']}: skipped")

def variant(base, overrides, name):
    """The base configuration with <VolumeReconstruction> attributes replaced."""
    tree = ET.parse(base)
    vr = tree.getroot().find("VolumeReconstruction")
    for k, v in overrides.items():
        vr.set(k, v)
    path = f"{work}/{name}.xml"
    tree.write(path)
    return path

# --- parsing ----------------------------------------------------------------------------
def parse(text):
    m = re.search(r"added=(\d+) grid=(\S+) .*?paste_median=([\d.]+)s => ([\d.]+) frames/s wall, ([\d.]+) frames per CPU-s.*?"
                  r"(?:fill/GetReconstructedVolume|fill) median=([\d.]+)s \(cpu ([\d.]+)s\)", text)
    if not m:
        sys.exit(f"cannot parse:\n{text}")
    k = re.search(r"kernels=(\w+)", text)
    return dict(added=int(m[1]), grid=m[2], fps=float(m[4]), cpu_fps=float(m[5]), fill=float(m[6]), fill_cpu=float(m[7]),
                kernels=k[1] if k else "")

def read_mha(path):
    with open(path, "rb") as f:
        data = f.read()
    header, fields = 0, {}
    for line in data.split(b"\n"):
        header += len(line) + 1
        k, _, v = line.decode("latin-1").partition("=")
        fields[k.strip()] = v.strip()
        if k.strip() == "ElementDataFile":
            break
    if fields.get("CompressedData", "False") != "False" or fields.get("ElementDataFile") != "LOCAL":
        sys.exit(f"{path}: expected an uncompressed .mha with local data")
    geometry = {k: [float(x) for x in fields[k].split()] for k in ("DimSize", "ElementSpacing", "Offset")}
    return geometry, fields["ElementType"], data[header:]

def compare(a, b):
    """'yes', or how the two volumes differ (geometry to the 6 digits IGSIO writes)."""
    ga, ta, va = read_mha(a)
    gb, tb, vb = read_mha(b)
    for k in ga:
        if any(abs(x - y) > 1e-5 * max(1, abs(x)) for x, y in zip(ga[k], gb[k])):
            return f"no: {k} {ga[k]} vs {gb[k]}"
    if ta != tb:
        return f"no: {ta} vs {tb}"
    if va != vb:
        n = sum(1 for x, y in zip(va, vb) if x != y) if len(va) == len(vb) else -1
        return f"NO: {n} voxels differ"
    return "yes"

# --- paste and hole filling -------------------------------------------------------------
rows, fills, failures = [], [], 0
cases = []
for label, rec, base, extra in inputs:
    for interp in interpolations:
        for opt in optimizations:
            for comp in compoundings:
                for t in threads:
                    tag = f"{'sim' if label.startswith('sim') else 'spine'}-{interp[:2]}-{opt}-{comp}-{t}"
                    cfg = variant(base, dict(extra, Interpolation=interp, Optimization=opt, CompoundingMode=comp,
                                             NumberOfThreads=str(t)), tag)
                    cases.append(dict(label=label, rec=rec, extra=extra, interp=interp, opt=opt, comp=comp, t=t, tag=tag,
                                      cfg=cfg, out_i=f"{work}/{tag}-igsio.mha", out_f=f"{work}/{tag}-freehand.mha", ri=[], rf=[]))
log(f"load average {load()}; {len(inputs)} inputs x {len(interpolations) * len(optimizations) * len(compoundings)} cases "
    f"x threads {threads}, {rounds} passes of {runs} runs each")
# ROUNDS passes over every case, each side's median of RUNS per case and pass, alternating which
# side goes first; each side keeps its least disturbed (fastest) pass. The passes are minutes
# apart, so a burst of load on a shared machine disturbs one pass of a case, not all of them.
order = 0
for r in range(rounds):
    for c in cases:
        do_igsio = lambda: c["ri"].append(parse(run([f"{igsio}/paste_bench", c["cfg"], c["rec"], str(c["t"]), str(runs), c["out_i"]])))
        do_free = lambda: c["rf"].append(parse(run([freehand, "bench", "--recording", c["rec"], "--config", c["cfg"],
                                                    "--threads", str(c["t"]), "--runs", str(runs), "--output", c["out_f"]])))
        order += 1
        for step in ((do_igsio, do_free) if order % 2 else (do_free, do_igsio)):
            step()
        log(f"pass {r + 1}/{rounds} {c['tag']}: IGSIO {c['ri'][-1]['fps']:.1f} frames/s, Freehand {c['rf'][-1]['fps']:.1f} frames/s")
igsio_one = {}
for c in cases:
    t, tag = c["t"], c["tag"]
    i, f = max(c["ri"], key=lambda r: r["fps"]), max(c["rf"], key=lambda r: r["fps"])
    if i["grid"] != f["grid"] or i["added"] != f["added"]:
        sys.exit(f"{tag}: IGSIO grid {i['grid']} / {i['added']} frames, Freehand {f['grid']} / {f['added']}")
    key = (c["label"], c["interp"], c["opt"], c["comp"])
    if t == 1:
        same, igsio_one[key] = compare(c["out_i"], c["out_f"]), c["out_i"]
    elif key in igsio_one:
        same = compare(igsio_one[key], c["out_f"]) + " (vs IGSIO 1 thread)"
    else:
        same = "not checked"
    if same.startswith("NO") or same.startswith("no"):
        failures += 1
    rows.append((c["label"], c["interp"], c["opt"], c["comp"], t, i, f, same))
    log(f"{tag}: IGSIO {i['fps']:.1f} frames/s, Freehand {f['fps']:.1f} frames/s, {f['fps'] / i['fps']:.2f}x; identical: {same}")
    if c["extra"].get("FillHoles") != "OFF" and c["comp"] == "MEAN":
        fills.append((c["label"], c["interp"], c["opt"], t, i, f))

# --- whole process ----------------------------------------------------------------------
def wall(cmd):
    t0 = time.perf_counter()
    run(cmd)
    return time.perf_counter() - t0

whole = []
cases = [(inputs[0], "NEAREST_NEIGHBOR", "FULL"), (inputs[0], "LINEAR", "PARTIAL")]
if len(inputs) > 1:
    cases.append((inputs[1], "NEAREST_NEIGHBOR", "FULL"))
for (label, rec, base, extra), interp, opt in cases:
    for t in threads:
        tag = f"whole-{'sim' if label.startswith('sim') else 'spine'}-{interp[:2]}-{opt}-{t}"
        cfg = variant(base, dict(extra, Interpolation=interp, Optimization=opt, CompoundingMode="MEAN", NumberOfThreads=str(t)), tag)
        out_i, out_f = f"{work}/{tag}-igsio.mha", f"{work}/{tag}-freehand.mha"
        ti, tf = [], []
        for r in range(whole_runs):
            pair = [lambda: ti.append(wall([f"{igsio}/VolumeReconstructorTest", f"--config-file={cfg}", f"--source-seq-file={rec}",
                                             f"--output-volume-file={out_i}", "--image-to-reference-transform=ImageToReference",
                                             "--disable-compression"])),
                    lambda: tf.append(wall([freehand, "reconstruct", rec, "--config", cfg, "--threads", str(t), "-o", out_f,
                                            "--uncompressed", "--quiet"]))]
            for step in (pair if r % 2 == 0 else pair[::-1]):
                step()
        same = compare(out_i, out_f) if t == 1 else "IGSIO not deterministic"
        if same.startswith("NO") or same.startswith("no"):
            failures += 1
        ti.sort(); tf.sort()
        whole.append((label, interp, opt, t, ti[len(ti) // 2], tf[len(tf) // 2], same))
        log(f"{tag}: IGSIO {ti[len(ti) // 2]:.2f} s, Freehand {tf[len(tf) // 2]:.2f} s; identical: {same}")

# --- report -----------------------------------------------------------------------------
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
out = [f"Freehand vs IGSIO, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores ({cpu}), "
       f"load average at end {load()}, medians of {runs} runs (paste: each side's fastest of {rounds} passes over all cases), "
       f"{time.time() - started:.0f} s in all; "
       f"Freehand's double-precision trilinear kernels: {', '.join(sorted({f['kernels'] for *_, f, _ in rows if f['kernels']})) or 'unknown'} "
       "(FREEHAND_KERNELS=baseline forces the baseline copy).", "",
       "Paste (frames/s, wall clock; ratio = Freehand / IGSIO; CPU ratio = the same in frames per CPU-second):", "",
       "| input | interpolation | optimization | compounding | threads | IGSIO frames/s | Freehand frames/s | ratio | CPU ratio | bit-identical |",
       "|---|---|---|---|---|---|---|---|---|---|"]
for label, interp, opt, comp, t, i, f, same in rows:
    out.append(f"| {label} | {interp} | {opt} | {comp} | {t} | {i['fps']:,.1f} | {f['fps']:,.1f} | {f['fps'] / i['fps']:.2f}x | "
               f"{f['cpu_fps'] / i['cpu_fps']:.2f}x | {same} |")
if fills:
    out += ["", "Hole filling (seconds; ratio = IGSIO / Freehand time):", "",
            "| input | interpolation | optimization | threads | IGSIO s | Freehand s | ratio |", "|---|---|---|---|---|---|---|"]
    for label, interp, opt, t, i, f in fills:
        out.append(f"| {label} | {interp} | {opt} | {t} | {i['fill']:.3f} | {f['fill']:.3f} | {i['fill'] / max(f['fill'], 1e-9):.2f}x |")
out += ["", f"Whole process (read, grid, paste, fill, write uncompressed .mha; seconds, median of {whole_runs}; "
        "share = Freehand / IGSIO time):", "",
        "| input | interpolation | optimization | threads | IGSIO VolumeReconstructorTest s | freehand reconstruct s | share | bit-identical |",
        "|---|---|---|---|---|---|---|---|"]
for label, interp, opt, t, ti, tf, same in whole:
    out.append(f"| {label} | {interp} | {opt} MEAN | {t} | {ti:.2f} | {tf:.2f} | {tf / ti:.2f} | {same} |")
text = "\n".join(out) + "\n"
open(f"{work}/report.md", "w").write(text)
print(text)
if failures:
    sys.exit(f"{failures} outputs differ from IGSIO's")
PY
