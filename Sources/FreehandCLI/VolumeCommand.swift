import ArgumentParser
import Recordings

/// `freehand volume`: look at and fix a volume's or sequence's geometry without resampling.
struct VolumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "volume",
        abstract: "Show or fix the geometry (spacing, origin, directions) of a volume or sequence without resampling.",
        subcommands: [Info.self, Set.self]
    )

    /// `freehand volume info FILE`.
    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Dimensions, spacing, origin, directions (ITK LPS), type, physical extent, value range; for sequences also frames, fields and the spacing implied by ImageToProbe.")

        @Argument(help: "Volume or sequence (.nrrd, .nhdr, .mha, .mhd, .igs.mha, .igs.nrrd, .seq.nrrd).")
        var file: String

        @Flag(help: "Skip reading the voxels for the value range (header only).")
        var noRange = false

        func run() throws {
            for line in try VolumeSummary(path: file, valueRange: !noRange).lines { print(line) }
        }
    }

    /// `freehand volume set FILE --spacing ... -o OUT`.
    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a copy with new spacing/origin/directions; the voxel bytes are copied unchanged (detached data: only the header is written).",
            discussion: """
            Values are ITK physical (LPS) coordinates, as `volume info` prints them. --spacing takes \
            one to three words (0.00325 0.00325 0.005); --origin and --directions take one \
            comma-separated word each, so negative numbers work (--origin -10,5,3). \
            --center moves the origin so the centre of the grid is at (0,0,0), like 3D Slicer's \
            "Center volume". For sequences (.igs.mha, .igs.nrrd, .seq.nrrd) only --spacing \
            applies: it is the image pixel spacing. The output keeps the input's format.
            """)

        @Argument(help: "Volume or sequence to fix.")
        var file: String

        @Option(parsing: .upToNextOption, help: "Spacing in mm: one value (all axes; image axes for sequences), or one per axis.")
        var spacing: [String] = []

        @Option(parsing: .unconditionalSingleValue, help: "Centre of the first voxel, mm (LPS), comma-separated: -10,5,3.")
        var origin: [String] = []

        @Option(parsing: .unconditionalSingleValue, help: "Axis directions, comma-separated row-major 3x3 (columns are the axes): 0,1,0,-1,0,0,0,0,1.")
        var directions: [String] = []

        @Flag(help: "Put the centre of the volume at the origin (0,0,0).")
        var center = false

        @Option(name: .shortAndLong, help: "Output file (same format as the input; never the input).")
        var output: String

        func validate() throws {
            if let problem = try edit().validationProblem() { throw ValidationError(problem) }
        }

        func edit() throws -> GeometryEdit {
            GeometryEdit(spacing: try Self.numbers(spacing, "--spacing"), origin: try Self.numbers(origin, "--origin"),
                         directions: try Self.numbers(directions, "--directions"), center: center)
        }

        /// Numbers from words that may themselves hold comma-separated lists; nil when none given.
        static func numbers(_ words: [String], _ option: String) throws -> [Double]? {
            guard !words.isEmpty else { return nil }
            return try words.flatMap { $0.split(separator: ",") }.map { part in
                guard let v = Double(part.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                    throw ValidationError("\(option): '\(part)' is not a finite number")
                }
                return v
            }
        }

        func run() throws {
            let summary = try VolumeHeaderEditor.apply(try edit(), input: file, output: output)
            print("written \(output) (voxel data unchanged)")
            for line in summary.lines.dropFirst() { print("  " + line) }
        }
    }
}
