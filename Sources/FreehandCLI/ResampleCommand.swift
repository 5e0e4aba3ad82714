import ArgumentParser
import Imaging
import Recordings
import Registration
import Resampling


/// `freehand resample`: one interpolation through every transform, streamed in slabs.
struct ResampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resample",
        abstract: "Resample a volume onto a new grid through composed transforms, interpolating once.",
        discussion: """
        Transforms move the input volume and apply in the order given (like nesting it under them \
        in 3D Slicer): a 4x4 matrix text file (LPS; --ras-matrices for RAS), an ITK .tfm/.txt as \
        3D Slicer saves it (linear or thin-plate spline), or config.xml:FromToTo for a PLUS \
        device-set transform. All linear ones are multiplied into one matrix and the volume is \
        interpolated once. When an output voxel spans two or more input voxels along an axis \
        (linear/cubic), the input is block-averaged while it streams in (anti-aliasing, like \
        SimpleITK's BinShrink), so large stacks resample within --memory-limit.
        """)

    @Argument(help: "Input volume (.nrrd, .nhdr, .mha, .mhd).")
    var input: String

    @Option(name: .shortAndLong, help: "Output volume (.nrrd or .mha).")
    var output: String

    @Option(help: "Take the output grid (size, spacing, origin, directions) from this volume.")
    var reference: String?

    @Option(parsing: .upToNextOption, help: "Output spacing in mm: one value or three (x y z).")
    var spacing: [Double] = []

    @Option(parsing: .upToNextOption, help: "Output size in voxels: one value or three (with --spacing).")
    var size: [Int] = []

    @Option(name: .customLong("transform"), help: "A transform applied to the input (repeatable, applied in order).")
    var transforms: [String] = []

    @Flag(help: "4x4 matrix text files are in RAS (as 3D Slicer shows them) rather than LPS.")
    var rasMatrices = false

    @Option(help: "nearest, linear or cubic (B-spline).")
    var interpolation: Interpolation = .linear

    @Flag(help: "The input is a label map: nearest neighbour, no averaging.")
    var labelMap = false

    @Option(help: "Memory the held volumes may take, MiB.")
    var memoryLimit = 2048

    @Flag(help: "Write uncompressed data.")
    var uncompressed = false

    func validate() throws {
        guard (reference == nil) != spacing.isEmpty else { throw ValidationError("give either --reference or --spacing") }
        guard [0, 1, 3].contains(spacing.count), spacing.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw ValidationError("--spacing takes one or three positive millimetre values")
        }
        guard [0, 1, 3].contains(size.count), size.allSatisfy({ $0 > 0 }), size.isEmpty || !spacing.isEmpty else {
            throw ValidationError("--size takes one or three positive voxel counts, with --spacing")
        }
        guard memoryLimit > 0, memoryLimit < 1 << 30 else { throw ValidationError("--memory-limit must be a positive number of MiB") }
    }

    func run() throws {
        let chain = try TransformFile.resamplingChain(applying: transforms, rasMatrix: rasMatrices)
        let grid: OutputGrid
        if let reference {
            grid = .reference(try VolumeSlabReader.geometry(reference))
        } else {
            let s = spacing.count == 1 ? SIMD3(repeating: spacing[0]) : SIMD3(spacing[0], spacing[1], spacing[2])
            grid = .spacing(s, size: size.isEmpty ? nil : (size.count == 1 ? SIMD3(repeating: size[0]) : SIMD3(size[0], size[1], size[2])))
        }
        let resampler = Resampler(chain: chain, grid: grid, interpolation: interpolation, labelMap: labelMap,
                                  memoryLimit: memoryLimit << 20, compressed: !uncompressed)
        let report = try resampler.run(input: input, output: output)
        let g = report.output
        print("written \(output): \(g.dimensions.x)x\(g.dimensions.y)x\(g.dimensions.z) voxels at \(g.spacing.x) \(g.spacing.y) \(g.spacing.z) mm, "
              + "\(transforms.count) transform(s) composed, one \(resampler.interpolation.rawValue) interpolation")
        if report.blockFactors != .one {
            let f = report.blockFactors
            print("anti-aliasing: input block-averaged \(f.x)x\(f.y)x\(f.z) before interpolation")
        }
    }
}
