import Dispatch
import Foundation
import Imaging

/// Fills the voxels a reconstruction never hit (accumulation 0) from their known neighbours,
/// with PLUS's hole-filling kernels tried in order until one succeeds; a hole where every
/// kernel fails becomes 0, as in PLUS. Known voxels are copied unchanged.
///
/// Work is split over z-slabs that all read the unmodified input, so the result does not
/// depend on the number of threads.
public struct HoleFiller: Sendable {
    /// The kernels, in the order they are tried.
    public var elements: [HoleFillingElement]
    /// Number of z-slabs processed in parallel; 0 picks one per available core (times 4
    /// for load balance).
    public var numberOfThreads: Int

    public init(elements: [HoleFillingElement], numberOfThreads: Int = 0) {
        self.elements = elements
        self.numberOfThreads = numberOfThreads
    }

    /// The filled volume. `accumulation` holds one value per voxel of `volume`, 0 where no
    /// pixel landed. `progress` is called on the calling thread with the z-slabs done and
    /// their total, after each round of parallel slabs.
    public func fill<S: VoxelScalar>(_ volume: Volume<S>, accumulation: [UInt16], progress: ((Int, Int) -> Void)? = nil) -> Volume<S> {
        precondition(accumulation.count == volume.voxels.count,
                     "hole filling needs one accumulation value per voxel: \(volume.voxels.count) voxels, \(accumulation.count) accumulation values")
        // Concrete calls, so the kernels are compiled for each voxel type.
        switch volume {
        case let v as Volume<UInt8>: return filled(v, accumulation: accumulation, progress: progress) as! Volume<S>
        case let v as Volume<Float>: return filled(v, accumulation: accumulation, progress: progress) as! Volume<S>
        case let v as Volume<UInt16>: return filled(v, accumulation: accumulation, progress: progress) as! Volume<S>
        case let v as Volume<Int16>: return filled(v, accumulation: accumulation, progress: progress) as! Volume<S>
        case let v as Volume<Double>: return filled(v, accumulation: accumulation, progress: progress) as! Volume<S>
        default: preconditionFailure("hole filling takes Imaging's voxel types (UInt8, UInt16, Int16, Float, Double), not \(S.self)")
        }
    }

    private func filled<S: HoleFillingVoxel>(_ volume: Volume<S>, accumulation: [UInt16], progress: ((Int, Int) -> Void)?) -> Volume<S> {
        guard !elements.isEmpty, volume.geometry.voxelCount > 0 else { return volume }
        let kernels = elements.map(HoleFillingKernel.init)
        let d = volume.geometry.dimensions
        let workers = numberOfThreads > 0 ? numberOfThreads : 4 * ProcessInfo.processInfo.activeProcessorCount
        // Every voxel is filled from the unmodified input, so the slab count (chosen for progress
        // reports: rounds of `workers` slabs) does not change the result.
        let slabs = min(d.z, workers * 8)
        let input = volume.voxels
        let known = kernels.contains { $0.element.kind == .stick }
            ? accumulation.withUnsafeBufferPointer { StickEvaluator.KnownVoxels(accumulation: $0, dimensions: d) } : nil
        var output = volume.voxels
        for first in stride(from: 0, to: slabs, by: workers) {
            let round = min(workers, slabs - first)
            output.withSharedBuffer { out in
                DispatchQueue.concurrentPerform(iterations: round) { index in
                    let slab = first + index
                    let sticks = kernels.map { kernel in known.flatMap { kernel.makeStickEvaluator(dimensions: d, known: $0) } }
                    // The holes of the current row that no kernel has filled yet.
                    let pending = UnsafeMutableBufferPointer<Int>.allocate(capacity: d.x)
                    defer { pending.deallocate() }
                    input.withUnsafeBufferPointer { inputVoxels in
                        accumulation.withUnsafeBufferPointer { acc in
                            for z in (slab * d.z / slabs)..<((slab + 1) * d.z / slabs) {
                                for y in 0..<d.y {
                                    let row = (z * d.y + y) * d.x
                                    var holes = 0
                                    for x in 0..<d.x where acc[row + x] == 0 {
                                        out[row + x] = S.converted(0)
                                        pending[holes] = x
                                        holes += 1
                                    }
                                    // Kernels in order, each on the holes the ones before left.
                                    for k in kernels.indices where holes > 0 {
                                        let kernel = kernels[k], stick = sticks[k]
                                        if let stick {
                                            holes = stick.fill(holes: pending, count: holes, y: y, z: z, input: inputVoxels,
                                                               accumulation: acc, output: out)
                                            continue
                                        }
                                        var left = 0
                                        for h in 0..<holes {
                                            let x = pending[h]
                                            if let v = kernel.value(at: SIMD3(x, y, z), input: inputVoxels, accumulation: acc,
                                                                    dimensions: d, stick: stick) {
                                                out[row + x] = v
                                            } else {
                                                pending[left] = x
                                                left += 1
                                            }
                                        }
                                        holes = left
                                    }
                                }
                            }
                        }
                    }
                }
            }
            progress?(first + round, slabs)
        }
        return Volume(geometry: volume.geometry, voxels: output)
    }
}
