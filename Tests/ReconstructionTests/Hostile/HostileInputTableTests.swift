import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Testing

/// One hostile input: how to damage the fixture, the command line, and what must happen.
struct HostileCase: Sendable, CustomTestStringConvertible {
    enum Outcome: Sendable { case refused, succeeds }
    let name: String
    let outcome: Outcome
    /// A fragment the output must contain.
    let fragment: String
    /// Damages the fixture and returns the command line (run in the fixture's folder).
    let prepare: @Sendable (HostileFixture) throws -> [String]
    /// Files a successful run may create.
    var creates: Set<String> = ["out.nrrd"]
    /// `ulimit -f` in KiB, for disk-full cases.
    var fileSizeLimitKiB: Int?
    /// Peak resident memory allowed, MiB.
    var peakMiB = 400

    var testDescription: String { name }

    static func refused(_ name: String, _ fragment: String, fileSizeLimitKiB: Int? = nil,
                        _ prepare: @escaping @Sendable (HostileFixture) throws -> [String]) -> HostileCase {
        HostileCase(name: name, outcome: .refused, fragment: fragment, prepare: prepare, fileSizeLimitKiB: fileSizeLimitKiB)
    }

    static func succeeds(_ name: String, _ fragment: String, creates: Set<String> = ["out.nrrd"],
                         _ prepare: @escaping @Sendable (HostileFixture) throws -> [String]) -> HostileCase {
        HostileCase(name: name, outcome: .succeeds, fragment: fragment, prepare: prepare, creates: creates)
    }
}

/// The standard command line on the fixture.
func reconstruct(_ extra: [String] = [], output: String? = "out.nrrd") -> [String] {
    ["reconstruct", "sweep.igs.mha", "-c", "sweep.config.xml"] + (output.map { ["-o", $0] } ?? []) + extra
}

/// Writes `video.igs.mha` (the fixture's frames without transforms) and `tracker.igs.mha`
/// (`trackerFrames` without pixels, their timestamps 5 s later).
func writeSplit(_ f: HostileFixture, trackerFrames: [TrackedFrame]) throws {
    var video = HostileFixture.sequence
    for i in video.frames.indices { video.frames[i].transforms = [:] }
    try HostileFixture.write(video, to: f.path("video.igs.mha"))
    var tracker = TrackedSequence()
    for var frame in trackerFrames {
        frame.image = Image(width: 0, height: 0)
        frame.timestamp += 5
        tracker.frames.append(frame)
    }
    try HostileFixture.write(tracker, to: f.path("tracker.igs.mha"))
}

/// A transform value with one NaN.
let nanTransform = "nan 0 0 0 0 1 0 0 0 0 1 0 0 0 0 1"

@Suite(.enabled(if: FreehandExecutable.isAvailable, "needs the built freehand executable (swift build)"))
struct HostileInputTableTests {
    static let cases: [HostileCase] = [
        // MARK: outputs never replace inputs or each other
        .refused("default output is the recording itself", "is the same file as the recording") { f in
            try FileManager.default.removeItem(atPath: f.path("sweep.igs.mha"))
            try HostileFixture.write(HostileFixture.sequence, to: f.path("sweep.nrrd"))
            return ["reconstruct", "sweep.nrrd", "-c", "sweep.config.xml"]
        },
        .refused("-o equals the recording", "is the same file as the recording") { _ in reconstruct(output: "sweep.igs.mha") },
        .refused("-o is ./ spelling of the recording", "is the same file as the recording") { _ in reconstruct(output: "./sweep.igs.mha") },
        .refused("-o through ../ of the recording", "is the same file as the recording") { f in
            reconstruct(output: "../" + f.dir.lastPathComponent + "/sweep.igs.mha")
        },
        .refused("-o is a symbolic link to the recording", "is the same file as the recording") { f in
            try FileManager.default.createSymbolicLink(atPath: f.path("link.nrrd"), withDestinationPath: "sweep.igs.mha")
            return reconstruct(output: "link.nrrd")
        },
        .refused("-o is a hard link to the recording", "is the same file as the recording") { f in
            try FileManager.default.linkItem(atPath: f.path("sweep.igs.mha"), toPath: f.path("hard.mha"))
            return reconstruct(output: "hard.mha")
        },
        .refused("--preview is the recording", "is the same file as the recording") { _ in reconstruct(["--preview", "sweep.igs.mha"]) },
        .refused("--accumulation is the recording", "is the same file as the recording") { _ in reconstruct(["--accumulation", "sweep.igs.mha"]) },
        .refused("-o is the configuration", "is the same file as the configuration") { _ in reconstruct(output: "sweep.config.xml") },
        .refused("-o is a --calibration file", "is the same file as the calibration") { f in
            try HostileFixture.config.write(toFile: f.path("cal.mha"), atomically: false, encoding: .utf8)
            return reconstruct(["--calibration", "cal.mha"], output: "cal.mha")
        },
        .refused("--grid-from given a recording", "--grid-from sweep.igs.mha: is a recording (a tracked sequence), not a volume") { _ in
            reconstruct(["--grid-from", "sweep.igs.mha"])
        },
        .refused("--preview is -o", "is the same file as the output volume") { _ in reconstruct(["--preview", "out.nrrd"]) },
        .refused("--accumulation is -o", "is the same file as the output volume") { _ in reconstruct(["--accumulation", "./out.nrrd"]) },
        .refused(".mhd output would write the recording's data file", "is the same file as the recording's data file") { f in
            try HostileFixture.write(HostileFixture.sequence, to: f.path("scan.mhd"))
            try FileManager.default.moveItem(atPath: f.path("scan.raw"), toPath: f.path("vol.raw"))
            let header = try String(contentsOfFile: f.path("scan.mhd"), encoding: .utf8)
            try header.replacingOccurrences(of: "ElementDataFile = scan.raw", with: "ElementDataFile = vol.raw")
                .write(toFile: f.path("scan.mhd"), atomically: false, encoding: .utf8)
            return ["reconstruct", "scan.mhd", "-c", "sweep.config.xml", "-o", "vol.mhd"]
        },
        .refused("-o is a folder", "is a folder, not a regular file") { f in
            try FileManager.default.createDirectory(atPath: f.path("vol.nrrd"), withIntermediateDirectories: false)
            return reconstruct(output: "vol.nrrd")
        },
        .refused("-o in a missing folder", "does not exist") { _ in reconstruct(output: "no/such/folder/out.nrrd") },
        .refused("-o is a character device", "character device") { _ in reconstruct(output: "/dev/null") },

        // MARK: inputs that are not regular files
        .refused("recording is a FIFO", "FIFO") { f in
            try FileManager.default.removeItem(atPath: f.path("sweep.igs.mha"))
            #expect(mkfifo(f.path("sweep.igs.mha"), 0o644) == 0)
            return reconstruct()
        },
        .refused("recording is a folder", "is a folder") { f in
            try FileManager.default.createDirectory(atPath: f.path("dir.igs.mha"), withIntermediateDirectories: false)
            return ["reconstruct", "dir.igs.mha", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },
        .refused("recording is a character device", "character device") { _ in
            ["reconstruct", "/dev/zero", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },
        .refused("configuration is a FIFO", "FIFO") { f in
            #expect(mkfifo(f.path("fifo.xml"), 0o644) == 0)
            return ["reconstruct", "sweep.igs.mha", "-c", "fifo.xml", "-o", "out.nrrd"]
        },
        .refused("--calibration is a folder", "is a folder") { f in
            try FileManager.default.createDirectory(atPath: f.path("cal.xml"), withIntermediateDirectories: false)
            return reconstruct(["--calibration", "cal.xml"])
        },
        .refused(".mhd ElementDataFile is a FIFO", "FIFO") { f in
            try HostileFixture.write(HostileFixture.sequence, to: f.path("scan.mhd"))
            try FileManager.default.removeItem(atPath: f.path("scan.raw"))
            #expect(mkfifo(f.path("scan.raw"), 0o644) == 0)
            return ["reconstruct", "scan.mhd", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },
        .refused(".mhd ElementDataFile is a folder", "is a folder") { f in
            try HostileFixture.write(HostileFixture.sequence, to: f.path("scan.mhd"))
            try FileManager.default.removeItem(atPath: f.path("scan.raw"))
            try FileManager.default.createDirectory(atPath: f.path("scan.raw"), withIntermediateDirectories: false)
            return ["reconstruct", "scan.mhd", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },

        // MARK: numbers from the configuration and options
        .refused("OutputSpacing zero", "OutputSpacing") { f in try f.setAttribute("OutputSpacing", "0 0 0"); return reconstruct() },
        .refused("OutputSpacing NaN", "OutputSpacing=\"nan 1 1\"") { f in try f.setAttribute("OutputSpacing", "nan 1 1"); return reconstruct() },
        .refused("OutputSpacing absurdly small", "OutputSpacing") { f in try f.setAttribute("OutputSpacing", "1e-300 1 1"); return reconstruct() },
        .refused("OutputExtent beyond integers", "OutputExtent") { f in
            try f.setAttribute("OutputExtent", "0 1e10 0 10 0 10"); return reconstruct()
        },
        .refused("OutputOrigin infinite", "OutputOrigin") { f in
            try f.setAttribute("OutputExtent", "0 10 0 10 0 10"); try f.setAttribute("OutputOrigin", "inf 0 0"); return reconstruct()
        },
        .refused("HoleFilling Size 1e300", "Size=\"1e300\"") { f in
            try f.editConfig { $0.replacingOccurrences(of: "Size=\"3\"", with: "Size=\"1e300\"") }; return reconstruct(["--fill-holes"])
        },
        .refused("HoleFilling Size NaN", "Size=\"nan\"") { f in
            try f.editConfig { $0.replacingOccurrences(of: "Size=\"3\"", with: "Size=\"nan\"") }; return reconstruct(["--fill-holes"])
        },
        .refused("StickLengthLimit negative", "StickLengthLimit=\"-3\"") { f in
            try f.editConfig { $0.replacingOccurrences(of: "StickLengthLimit=\"9\"", with: "StickLengthLimit=\"-3\"") }; return reconstruct(["--fill-holes"])
        },
        .refused("NumberOfSticksToUse absurd", "NumberOfSticksToUse=\"99\"") { f in
            try f.editConfig { $0.replacingOccurrences(of: "NumberOfSticksToUse=\"1\"", with: "NumberOfSticksToUse=\"99\"") }; return reconstruct()
        },
        .refused("Stdev zero", "Stdev=\"0.0\"") { f in
            try f.editConfig { $0.replacingOccurrences(of: "Stdev=\"0.6667\"", with: "Stdev=\"0\"") }; return reconstruct()
        },
        .refused("MinimumKnownVoxelsRatio above 1", "MinimumKnownVoxelsRatio") { f in
            try f.editConfig { $0.replacingOccurrences(of: "MinimumKnownVoxelsRatio=\"0.50001\"", with: "MinimumKnownVoxelsRatio=\"2\"") }; return reconstruct()
        },
        .refused("ClipRectangleSize negative", "ClipRectangleSize") { f in try f.setAttribute("ClipRectangleSize", "-5 10"); return reconstruct() },
        .refused("FanAnglesDeg out of range", "FanAnglesDeg") { f in try f.setAttribute("FanAnglesDeg", "400 10"); return reconstruct() },
        .refused("FanRadiusStopPixel infinite", "FanRadiusStopPixel") { f in try f.setAttribute("FanRadiusStopPixel", "inf"); return reconstruct() },
        .refused("PixelRejectionThreshold NaN", "PixelRejectionThreshold") { f in try f.setAttribute("PixelRejectionThreshold", "nan"); return reconstruct() },
        .refused("SkipInterval absurd", "SkipInterval") { f in try f.setAttribute("SkipInterval", "1e12"); return reconstruct() },
        .refused("NumberOfThreads negative", "NumberOfThreads") { f in try f.setAttribute("NumberOfThreads", "-1"); return reconstruct() },
        .refused("--max-memory NaN", "--max-memory") { _ in reconstruct(["--max-memory", "nan"]) },
        .refused("--spacing NaN", "spacing") { _ in reconstruct(["--spacing", "nan"]) },
        .refused("hole filling memory above the guard", "above the limit") { f in
            try f.editConfig { $0.replacingOccurrences(of: "Size=\"3\"", with: "Size=\"255\"") }
            return reconstruct(["--fill-holes", "--max-memory", "0.05"])
        },

        // MARK: empty results are errors with the real cause
        .refused("clip rectangle outside the image", "clip rectangle (5000, 5000, 100, 100) lies outside the 48x40 image") { f in
            try f.setAttribute("ClipRectangleOrigin", "5000 5000"); try f.setAttribute("ClipRectangleSize", "100 100"); return reconstruct()
        },
        .refused("fan covering no pixel", "covers no pixel") { f in
            try f.setAttribute("FanAnglesDeg", "-10 10"); try f.setAttribute("FanOriginPixel", "24 -5000")
            try f.setAttribute("FanRadiusStartPixel", "0"); try f.setAttribute("FanRadiusStopPixel", "100")
            return reconstruct()
        },
        .refused("tracker-only recording", "tracker-only sequence") { f in
            var s = HostileFixture.sequence
            for i in s.frames.indices { s.frames[i].image = Image(width: 0, height: 0) }
            try HostileFixture.write(s, to: f.path("sweep.igs.mha"))
            return reconstruct()
        },
        .refused("all-zero calibration", "degenerate") { f in
            try f.editConfig { text in
                let r = text.range(of: "Matrix=\"[^\"]*\"", options: .regularExpression)!
                return text.replacingCharacters(in: r, with: "Matrix=\"0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\"")
            }
            return reconstruct()
        },
        .refused("everything below PixelRejectionThreshold", "rejected by PixelRejectionThreshold=300") { f in
            try f.setAttribute("PixelRejectionThreshold", "300"); return reconstruct()
        },
        .refused("fixed grid far from the frames", "lands inside the output grid") { f in
            try f.setAttribute("OutputExtent", "0 9 0 9 0 9"); try f.setAttribute("OutputOrigin", "100000 100000 100000"); return reconstruct()
        },
        .refused("every pose INVALID", "none of the 24 frames") { f in
            try f.editHeader { $0.replacingOccurrences(of: "ProbeToTrackerTransformStatus = OK", with: "ProbeToTrackerTransformStatus = MISSING") }
            return reconstruct()
        },

        // MARK: per-frame fields as IGSIO reads them
        .succeeds("one NaN pose", "1 invalid transform") { f in try f.setFrameField(5, "ProbeToTrackerTransform", nanTransform); return reconstruct() },
        .succeeds("one infinite pose", "holds NaN or infinity") { f in
            try f.setFrameField(6, "ProbeToTrackerTransform", "1 0 0 inf 0 1 0 0 0 0 1 0 0 0 0 1"); return reconstruct()
        },
        .succeeds("one non-rigid pose", "is not a rigid transform") { f in
            try f.setFrameField(7, "ProbeToTrackerTransform", "2 0 0 0 0 2 0 0 0 0 2 0 0 0 0 1"); return reconstruct()
        },
        .succeeds("one unreadable pose", "is not 16 numbers") { f in
            try f.setFrameField(8, "ProbeToTrackerTransform", "1 0 0 x"); return reconstruct()
        },
        .succeeds("missing TransformStatus", "has no ProbeToTrackerTransformStatus field") { f in
            try f.removeFrameField(3, "ProbeToTrackerTransformStatus"); return reconstruct()
        },
        .succeeds("timestamps out of order and repeated", "timestamps: 1 out of order, 1 repeated") { f in
            try f.setFrameField(4, "Timestamp", "1"); try f.setFrameField(10, "Timestamp", String(HostileFixture.sequence.frames[9].timestamp))
            return reconstruct()
        },

        // MARK: obsolete PLUS attributes
        .succeeds("Compounding=\"On\" without CompoundingMode", "read as CompoundingMode=\"MEAN\"") { f in
            try f.editConfig { $0.replacingOccurrences(of: "CompoundingMode=\"MEAN\"", with: "Compounding=\"On\"") }; return reconstruct()
        },
        .succeeds("FanDepth", "FanDepth=\"500\" read as FanRadiusStopPixel") { f in try f.setAttribute("FanDepth", "500"); return reconstruct() },

        // MARK: --allow-empty writes what the user asked for
        .succeeds("--allow-empty with every pixel rejected", "0.0% hit") { f in
            try f.setAttribute("PixelRejectionThreshold", "300"); return reconstruct(["--allow-empty"])
        },

        // MARK: separate tracker recordings
        .succeeds("video + tracker recordings on clocks 5 s apart", "24 frames used, 0 skipped") { f in
            try writeSplit(f, trackerFrames: HostileFixture.sequence.frames)
            return ["reconstruct", "video.igs.mha", "--tracker", "tracker.igs.mha", "--tracker-offset=-5",
                    "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },
        .refused("-o is the --tracker recording", "is the same file as the tracker recording") { f in
            try writeSplit(f, trackerFrames: HostileFixture.sequence.frames)
            return ["reconstruct", "video.igs.mha", "--tracker", "tracker.igs.mha", "-c", "sweep.config.xml", "-o", "tracker.igs.mha"]
        },
        .refused("--tracker-offset NaN", "tracker time offset") { f in
            try writeSplit(f, trackerFrames: HostileFixture.sequence.frames)
            return ["reconstruct", "video.igs.mha", "--tracker", "tracker.igs.mha", "--tracker-offset", "nan", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },
        .refused("tracker recording with one pose", "usable pose sample") { f in
            try writeSplit(f, trackerFrames: Array(HostileFixture.sequence.frames.prefix(1)))
            return ["reconstruct", "video.igs.mha", "--tracker", "tracker.igs.mha", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },
        .refused("--tracker is a FIFO", "FIFO") { f in
            try writeSplit(f, trackerFrames: HostileFixture.sequence.frames)
            try FileManager.default.removeItem(atPath: f.path("tracker.igs.mha"))
            #expect(mkfifo(f.path("tracker.igs.mha"), 0o644) == 0)
            return ["reconstruct", "video.igs.mha", "--tracker", "tracker.igs.mha", "-c", "sweep.config.xml", "-o", "out.nrrd"]
        },

        // MARK: disk full: no partial file survives
        .refused("file-size limit (disk full)", "write failed", fileSizeLimitKiB: 4) { _ in reconstruct(["--preview", "out.png"]) },
        .refused("file-size limit on the .mhd pair", "write failed", fileSizeLimitKiB: 4) { _ in reconstruct(output: "out.mhd") },

        // MARK: spacing, replay and calibrate refuse the same inputs
        .refused("spacing on a FIFO", "FIFO") { f in
            #expect(mkfifo(f.path("p.igs.mha"), 0o644) == 0)
            return ["spacing", "p.igs.mha", "--depth", "40"]
        },
        .refused("spacing output is its input", "is the same file as") { _ in ["spacing", "sweep.igs.mha", "--depth", "40", "--output", "sweep.igs.mha"] },
        .refused("replay a folder", "is a folder") { f in
            try FileManager.default.createDirectory(atPath: f.path("d.igs.mha"), withIntermediateDirectories: false)
            return ["replay", "d.igs.mha", "-c", "sweep.config.xml", "--port", "1", "-q"]
        },
        .refused("calibrate output is its recording", "is the same file as") { _ in
            ["calibrate", "--step", "spacing", "--recording", "sweep.igs.mha", "--depth", "40", "--yes", "--output", "sweep.igs.mha"]
        },
    ]

    @Test(arguments: cases)
    func hostileInput(_ c: HostileCase) throws {
        let fixture = try HostileFixture(c.name.filter { $0.isLetter || $0.isNumber })
        defer { try? FileManager.default.removeItem(at: fixture.dir) }
        let arguments = try c.prepare(fixture)
        let before = fixture.snapshot()
        let r = try FreehandExecutable.runMeasured(arguments, currentDirectory: fixture.dir, fileSizeLimitKiB: c.fileSizeLimitKiB)
        let after = fixture.snapshot()
        let log = "\(c.name): exit \(r.status), peak \(r.peakKiB.map { "\($0 / 1024) MiB" } ?? "?")\n\(r.output)"
        switch c.outcome {
        case .refused: #expect(r.status == 1 || r.status == 64, "\(log)")
        case .succeeds: #expect(r.status == 0, "\(log)")
        }
        #expect(r.output.contains(c.fragment), "\(log)")
        #expect(!r.output.contains("Fatal error"), "\(log)")
        if let peak = r.peakKiB { #expect(peak <= c.peakMiB * 1024, "\(log)") }
        // Inputs unchanged, byte for byte.
        for (name, sum) in before { #expect(after[name] == sum, "\(c.name): \(name) changed\n\(log)") }
        // No partial file, and nothing new unless the command succeeded.
        let created = Set(after.keys).subtracting(before.keys)
        #expect(!after.keys.contains { $0.contains(".partial") }, "\(c.name): partial file left: \(after.keys.sorted())")
        switch c.outcome {
        case .refused: #expect(created.isEmpty, "\(c.name): created \(created.sorted())\n\(log)")
        case .succeeds:
            #expect(created.isSubset(of: c.creates), "\(c.name): created \(created.sorted())")
            if created.contains("out.nrrd") {
                let volume = try VolumeFile.read(fixture.path("out.nrrd"))
                #expect(volume.geometry.voxelCount > 0)
            }
        }
        print("| \(c.name) | \(r.status) | \(c.fragment) | \(r.peakKiB.map { "\($0 / 1024)" } ?? "?") MiB |")
    }
}
