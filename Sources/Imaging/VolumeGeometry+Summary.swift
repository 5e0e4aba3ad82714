import Foundation
import Geometry

extension VolumeGeometry {
    /// `120x80x60 voxels at 0.5 mm, origin (1.00, -2.00, 3.00)` (spacing as `0.5x0.5x1` when
    /// anisotropic), for command summaries.
    public var summary: String {
        let s = spacing
        let size = s.x == s.y && s.y == s.z ? formatNumber(s.x) : "\(formatNumber(s.x))x\(formatNumber(s.y))x\(formatNumber(s.z))"
        return "\(dimensions.x)x\(dimensions.y)x\(dimensions.z) voxels at \(size) mm, "
            + String(format: "origin (%.2f, %.2f, %.2f)", origin.x, origin.y, origin.z)
    }
}
