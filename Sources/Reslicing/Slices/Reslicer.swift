import Dispatch
import Foundation
import Geometry
import Imaging
import Recordings

/// Samples a volume on a sequence of posed image planes, in parallel batches, handing the
/// slices to a sink in order: the engine of `freehand reslice`.
///
/// The volume is shared, not copied; at most one batch of slices is in memory at a time, so a
/// curve of thousands of slices streams. The output is identical for any thread count: every
/// pixel is computed independently from the same pose.
public struct Reslicer: Sendable {
    /// One slice as produced: its image (the volume's scalar type; integer types rounded to
    /// nearest and clamped) and the number of its pixels that fell inside the volume.
    public struct Slice: Sendable {
        public var image: Image
        public var pixelsInside: Int
        /// Per row, the maximum and the mean of the pixels within the panorama band (empty
        /// unless asked for).
        public var rowMaximum: [Double]
        public var rowMean: [Double]
    }

    /// The volume being sampled.
    public let volume: AnyVolume
    /// The interpolation.
    public let interpolation: Interpolation
    /// Worker threads.
    public let threads: Int
    private let sampler: AnyVolumeSampler

    /// A reslicer over `volume`; `threads` nil = one per core.
    public init(volume: AnyVolume, interpolation: Interpolation, threads: Int? = nil) throws(ResliceError) {
        if let threads, !(1...1024).contains(threads) {
            throw .invalidOption(name: "threads", value: "\(threads)", reason: "must be 1 to 1024")
        }
        do { sampler = try AnyVolumeSampler(volume, interpolation: interpolation) } catch {
            throw .invalidInput(file: "volume", reason: error.description)
        }
        self.volume = volume
        self.interpolation = interpolation
        self.threads = threads ?? max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Samples every pose in order and calls `sink(index, slice)` for each, in order, one batch
    /// at a time. `panoramaBand` (pixels each side of the centre column) also fills each
    /// slice's row maximum and mean over |x - centre| <= band.
    public func run(poses: [SlicePose], geometry: SliceGeometry, panoramaBand: Double? = nil,
                    batchSize: Int? = nil, sink: (Int, Slice) throws -> Void) throws {
        try geometry.validate()
        let batch = max(1, batchSize ?? threads * 4)
        var first = 0
        while first < poses.count {
            let count = min(batch, poses.count - first)
            var results = [Slice?](repeating: nil, count: count)
            let start = first
            let workers = min(threads, count)
            results.withSharedBuffer { out in
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    var row = [Double](repeating: 0, count: geometry.width)
                    var i = w
                    while i < count {
                        out[i] = render(poses[start + i], geometry, panoramaBand, &row)
                        i += workers
                    }
                }
            }
            for (i, slice) in results.enumerated() { try sink(start + i, slice!) }
            first += count
        }
    }

    /// One slice.
    func render(_ pose: SlicePose, _ g: SliceGeometry, _ band: Double?, _ row: inout [Double]) -> Slice {
        let type = volume.scalarType
        var bytes = [UInt8](repeating: 0, count: g.width * g.height * type.byteCount)
        var inside = 0
        var rowMaximum: [Double] = [], rowMean: [Double] = []
        if band != nil {
            rowMaximum = [Double](repeating: 0, count: g.height)
            rowMean = [Double](repeating: 0, count: g.height)
        }
        let toIndex = sampler.geometry.physicalToIndex!
        let m = toIndex * pose.imageToReference
        let origin = m.translation, ax = m.column(0), ay = m.column(1)
        if pose.isValid, origin.x.isFinite, ax.x.isFinite, ax.y.isFinite, ax.z.isFinite, ay.x.isFinite, ay.y.isFinite, ay.z.isFinite {
            let centre = g.centrePixel.x
            // Clamped in Double first: a huge band must not overflow the conversion to Int.
            let lo = band.map { Int(max(0, min(Double(g.width), (centre - $0).rounded(.up)))) } ?? 0
            let hi = band.map { Int(max(-1, min(Double(g.width - 1), (centre + $0).rounded(.down)))) } ?? -1
            row.withUnsafeMutableBufferPointer { r in
                bytes.withUnsafeMutableBytes { raw in
                    for y in 0..<g.height {
                        let start = origin + Double(y) * ay
                        inside += sampler.sample(fromIndex: start, step: ax, count: g.width, into: r)
                        PixelStore.store(r, count: g.width, as: type, into: raw, at: y * g.width)
                        if band != nil, hi >= lo {
                            var peak = -Double.infinity, sum = 0.0
                            for x in lo...hi { peak = max(peak, r[x]); sum += r[x] }
                            rowMaximum[y] = peak
                            rowMean[y] = sum / Double(hi - lo + 1)
                        }
                    }
                }
            }
        }
        return Slice(image: Image(width: g.width, height: g.height, components: 1, scalarType: type, bytes: bytes),
                     pixelsInside: inside, rowMaximum: rowMaximum, rowMean: rowMean)
    }
}

extension Reslicer {
    /// Whether physical position `p` (mm) is inside the volume.
    public func contains(physical p: SIMD3<Double>) -> Bool {
        switch sampler {
        case .uint8(let s): return s.contains(index: s.index(ofPhysical: p))
        case .int16(let s): return s.contains(index: s.index(ofPhysical: p))
        case .uint16(let s): return s.contains(index: s.index(ofPhysical: p))
        case .float32(let s): return s.contains(index: s.index(ofPhysical: p))
        case .float64(let s): return s.contains(index: s.index(ofPhysical: p))
        }
    }
}
