import FileSafety
import Dispatch
import Geometry
import Imaging
import Recordings
import Registration

/// Resamples a volume onto a new grid through a chain of transforms with ONE interpolation: every
/// linear transform is multiplied into one matrix (a thin-plate spline is evaluated in its place in
/// the chain), and each output voxel centre is mapped to the input and interpolated once with
/// `VolumeSampler`, the project's one interpolator.
///
/// Memory: the input streams in one z-slice at a time. When the output voxel covers two or more
/// input voxels along an axis (linear or cubic interpolation), the input is block-averaged while it
/// streams (`BlockAverage`: the anti-aliasing box filter), so only the reduced volume is held; the
/// output is computed in slabs of z-slices, slices in parallel, and streamed to disk.
public struct Resampler: Sendable {
    /// Output -> input transform chain (applied in order to each output point).
    public var chain: TransformChain
    public var grid: OutputGrid
    public var interpolation: Interpolation
    /// A label map: nearest-neighbour, no averaging across labels.
    public var labelMap: Bool
    /// Bytes the volumes held in memory may take.
    public var memoryLimit: Int
    /// Compress the output (gzip / zlib).
    public var compressed: Bool

    public init(chain: TransformChain, grid: OutputGrid, interpolation: Interpolation = .linear, labelMap: Bool = false,
                memoryLimit: Int = 2 << 30, compressed: Bool = true) {
        self.chain = chain
        self.grid = grid
        self.interpolation = labelMap ? .nearest : interpolation
        self.labelMap = labelMap
        self.memoryLimit = memoryLimit
        self.compressed = compressed
    }

    /// What was done, for the command to print.
    public struct Report: Sendable {
        public var output: VolumeGeometry
        public var blockFactors: SIMD3<Int>
        public var heldVoxels: Int
    }

    /// Resamples `input` into `output` (.nrrd or .mha; never the input).
    public func run(input: String, output: String) throws(ResamplingError) -> Report {
        if FileIdentity.sameFile(input, output) { throw .recording(.io(file: output, message: "refusing to overwrite the input; choose another -o")) }
        do {
            let reader = try VolumeSlabReader(path: input)
            let out = try grid.geometry(input: reader.geometry, chain: chain)
            guard out.voxelCount > 0, out.voxelCount < 1 << 40 else { throw ResamplingError.invalidGrid("\(out.dimensions) voxels") }
            let factors = labelMap || interpolation == .nearest ? SIMD3<Int>.one : antiAliasingFactors(input: reader.geometry, output: out)
            let held = BlockAverage.geometry(reader.geometry, factors: factors).voxelCount
            let slab = max(1, min(out.dimensions.z, (16 << 20) / max(1, out.dimensions.x * out.dimensions.y)))
            let bytes = held * 4 * (interpolation == .cubic ? 2 : 1) + reader.sliceBytes * 3 + slab * out.dimensions.x * out.dimensions.y * 12
            if bytes > memoryLimit { throw ResamplingError.tooLarge(what: "resampling \(input)", bytes: bytes, limit: memoryLimit) }
            let volume = try BlockAverage.read(reader, factors: factors)
            let sampler = try VolumeSampler(volume, interpolation: interpolation, background: 0)
            let type = Resampler.outputType(reader.scalarType)
            let writer = try VolumeStreamWriter(path: output, geometry: out, scalarType: type, compressed: compressed)
            var k0 = 0, anyNonZero = false
            while k0 < out.dimensions.z {
                let k1 = min(out.dimensions.z, k0 + slab)
                let values = sampleSlab(sampler, grid: out, slices: k0..<k1)
                if !anyNonZero { anyNonZero = values.contains { $0 != 0 && !$0.isNaN } }
                let perSlice = out.dimensions.x * out.dimensions.y
                for k in 0..<(k1 - k0) {
                    try writer.append(sliceBytes: Resampler.bytes(values[(k * perSlice)..<((k + 1) * perSlice)], as: type))
                }
                k0 = k1
            }
            // Exit 0 means a non-empty result: an all-zero output is refused (the writer, dropped, removes its temporary file).
            guard anyNonZero else {
                throw ResamplingError.emptyResult(file: input, reason: volume.voxels.contains { $0 != 0 }
                    ? "no output voxel falls inside it: through the transforms it lies outside the output grid"
                    : "every voxel is 0")
            }
            try writer.finish()
            return Report(output: out, blockFactors: factors, heldVoxels: held)
        } catch let e as ResamplingError { throw e }
        catch let e as RecordingError { throw .recording(e) }
        catch let e as SamplingError { throw .sampling(e) }
        catch { throw .invalidGrid("\(error)") }
    }

    /// Block sizes (input voxels per axis) for anti-aliasing: how many input voxels one output
    /// voxel spans along each input axis, through the linear part of the chain, rounded down.
    func antiAliasingFactors(input: VolumeGeometry, output: VolumeGeometry) -> SIMD3<Int> {
        let jacobian = chain.steps.reduce(Transform3D.identity) { m, step in (step.matrix ?? .identity) * m }
        let outAxes = Transform3D(linear: output.direction, translation: .zero)
        guard let toInput = Transform3D(linear: input.direction, translation: .zero).inverse else { return .one }
        var factors = SIMD3<Int>.one
        for a in 0..<3 {
            var span = 0.0
            for b in 0..<3 {
                var step = SIMD3<Double>.zero
                step[b] = output.spacing[b]
                span = max(span, abs(toInput.applyToVector(jacobian.applyToVector(outAxes.applyToVector(step)))[a]))
            }
            let f = (span / input.spacing[a] + 1e-9).rounded(.down)
            factors[a] = !f.isFinite || f < 1 ? 1 : (f < Double(input.dimensions[a]) ? Int(f) : input.dimensions[a])
        }
        return factors
    }

    /// Values of output slices `slices`, computed in parallel, one slice per task.
    func sampleSlab(_ sampler: VolumeSampler<Float>, grid out: VolumeGeometry, slices: Range<Int>) -> [Double] {
        let nx = out.dimensions.x, ny = out.dimensions.y
        var values = [Double](repeating: 0, count: nx * ny * slices.count)
        let toPhysical = out.indexToPhysical
        let chain = self.chain
        let linear = chain.matrix
        values.withSharedBuffer { buffer in
            DispatchQueue.concurrentPerform(iterations: slices.count) { s in
                let k = Double(slices.lowerBound + s)
                var row = [Double](repeating: 0, count: nx)
                for j in 0..<ny {
                    let base = (s * ny + j) * nx
                    if let m = linear {
                        let start = sampler.index(ofPhysical: m.apply(toPhysical.apply(SIMD3(0, Double(j), k))))
                        let next = sampler.index(ofPhysical: m.apply(toPhysical.apply(SIMD3(1, Double(j), k))))
                        row.withUnsafeMutableBufferPointer { _ = sampler.sample(fromIndex: start, step: next - start, count: nx, into: $0) }
                        for i in 0..<nx { buffer[base + i] = row[i] }
                    } else {
                        for i in 0..<nx {
                            buffer[base + i] = sampler.value(atPhysical: chain.apply(toPhysical.apply(SIMD3(Double(i), Double(j), k))))
                        }
                    }
                }
            }
        }
        return values
    }

    /// The voxel type written for a file type (types the writers handle, widened without loss).
    static func outputType(_ t: ScalarType) -> ScalarType {
        switch t {
        case .int8: return .int16
        case .int32, .uint32: return .float64
        default: return t
        }
    }

    /// Values rounded and clamped to `type`, as native-order bytes.
    static func bytes(_ values: ArraySlice<Double>, as type: ScalarType) -> [UInt8] {
        func integers<S: FixedWidthInteger>(_: S.Type) -> [UInt8] {
            let lo = Double(S.min), hi = Double(S.max)
            return values.map { v in v.isNaN ? S.zero : S(min(hi, max(lo, v.rounded()))) }.withUnsafeBytes { Array($0) }
        }
        switch type {
        case .uint8: return integers(UInt8.self)
        case .int16: return integers(Int16.self)
        case .uint16: return integers(UInt16.self)
        case .float32: return values.map { Float($0) }.withUnsafeBytes { Array($0) }
        default: return values.map { $0 }.withUnsafeBytes { Array($0) }
        }
    }
}
