import Foundation
import Imaging

extension ReconstructionSettings {
    /// Reads Freehand's own `<VolumeReconstruction>` attributes (PLUS ignores them):
    /// `FreehandMethod` (PLUS, VNN, DW, TRAJECTORY), `FreehandMaxDistanceMm` (> 0),
    /// `FreehandNeighbours` (1...16), `FreehandWeighting` (GAUSSIAN, INVERSE_DISTANCE).
    mutating func parseBackwardAttributes(_ a: AttributeReader) throws(ReconstructionError) {
        if let v = try a.enumValue("FreehandMethod", ReconstructionMethod.self) { method = v }
        if let v = try a.double("FreehandMaxDistanceMm") {
            guard v > 0, v <= 1000 else {
                throw .invalidAttribute(name: "FreehandMaxDistanceMm", value: a.attributes["FreehandMaxDistanceMm"], reason: "must be a distance in mm above 0 and at most 1000")
            }
            backward.maximumDistance = v
        }
        if let v = try a.int("FreehandNeighbours") {
            guard (1...BackwardParameters.maximumNeighbours).contains(v) else {
                throw .invalidAttribute(name: "FreehandNeighbours", value: String(v), reason: "must be 1 to \(BackwardParameters.maximumNeighbours)")
            }
            backward.neighbours = v
        }
        if let v = try a.enumValue("FreehandWeighting", BackwardParameters.Weighting.self) { backward.weighting = v }
    }
}

extension BackwardParameters {
    /// The largest `neighbours` accepted.
    public static let maximumNeighbours = 16
}

extension ReconstructionSettings {
    /// The voxel type a reconstruction writes: `OutputScalarMode` when set, else 8-bit for an
    /// 8-bit request and float otherwise.
    public func resolvedScalarType(_ requested: ScalarType) -> ScalarType {
        switch outputScalarMode {
        case .uint8?: return .uint8
        case .float32?: return .float32
        case nil: return requested == .uint8 ? .uint8 : .float32
        }
    }

    /// Workers: `threads`, else `NumberOfThreads`; 0 means one per active processor.
    public func resolvedThreadCount(_ threads: Int?) -> Int {
        let requested = threads ?? numberOfThreads
        return requested > 0 ? requested : max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}
