import Foundation
import Imaging

/// How much memory a reconstruction may allocate, checked before allocating.
public struct MemoryBudget: Sendable, Equatable {
    /// The limit in bytes for volume + accumulation buffer.
    public var limitBytes: Int

    /// A fixed limit.
    public init(limitBytes: Int) {
        self.limitBytes = limitBytes
    }

    /// Half of the machine's physical memory.
    public static var `default`: MemoryBudget {
        MemoryBudget(limitBytes: Int(ProcessInfo.processInfo.physicalMemory / 2))
    }

    /// Bytes needed for `geometry` with `scalarType` voxels plus the 16-bit accumulation buffer,
    /// or nil when the count overflows.
    public static func requiredBytes(for geometry: VolumeGeometry, scalarType: ScalarType) -> (voxels: Int, bytes: Int)? {
        let d = geometry.dimensions
        guard d.x > 0, d.y > 0, d.z > 0 else { return (0, 0) }
        let (xy, o1) = d.x.multipliedReportingOverflow(by: d.y)
        guard !o1 else { return nil }
        let (voxels, o2) = xy.multipliedReportingOverflow(by: d.z)
        guard !o2 else { return nil }
        let (bytes, o3) = voxels.multipliedReportingOverflow(by: scalarType.byteCount + 2)
        guard !o3 else { return nil }
        return (voxels, bytes)
    }

    /// Throws `volumeTooLarge` (stating voxels and bytes) when `geometry` does not fit.
    public func check(_ geometry: VolumeGeometry, scalarType: ScalarType) throws(ReconstructionError) {
        let d = geometry.dimensions
        guard d.x > 0, d.y > 0, d.z > 0 else { throw .invalidGrid("dimensions \(d.x)x\(d.y)x\(d.z) must be positive") }
        guard let (voxels, bytes) = MemoryBudget.requiredBytes(for: geometry, scalarType: scalarType) else {
            throw .volumeTooLarge(dimensions: d, voxels: Int.max, bytes: Int.max, limitBytes: limitBytes)
        }
        if bytes > limitBytes {
            throw .volumeTooLarge(dimensions: d, voxels: voxels, bytes: bytes, limitBytes: limitBytes)
        }
    }

    /// Like `check(_:scalarType:)`, adding what hole filling allocates: a filled copy of the
    /// volume, the kernels' weight cubes and, for STICK, the known-voxel table.
    public func check(_ geometry: VolumeGeometry, scalarType: ScalarType, holeFilling: [HoleFillingElement]) throws(ReconstructionError) {
        try check(geometry, scalarType: scalarType)
        guard !holeFilling.isEmpty, let (voxels, bytes) = MemoryBudget.requiredBytes(for: geometry, scalarType: scalarType) else { return }
        let copy = voxels.multipliedReportingOverflow(by: scalarType.byteCount)
        var kernels = holeFilling.reduce(0) { $0 &+ $1.kernelBytes }
        var tableOverflow = false
        if holeFilling.contains(where: { $0.kind == .stick }) {
            let table = StickEvaluator.KnownVoxels.requiredBytes(dimensions: geometry.dimensions)
            tableOverflow = table == nil
            kernels = kernels &+ (table ?? 0)
        }
        let (total, overflow) = bytes.addingReportingOverflow(copy.partialValue &+ kernels)
        if copy.overflow || tableOverflow || overflow || total > limitBytes {
            throw .volumeTooLarge(dimensions: geometry.dimensions, voxels: voxels, bytes: overflow || tableOverflow ? Int.max : total, limitBytes: limitBytes)
        }
    }
}
