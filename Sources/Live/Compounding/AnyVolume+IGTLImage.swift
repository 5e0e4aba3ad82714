import Geometry
import IGTLink
import Imaging
import Recordings

extension AnyVolume {
    /// The volume as a 3-D uint8 IMAGE body (float volumes are clamped to 0...255), placed by
    /// its origin and spacing, for viewers such as 3D Slicer. Nil when a dimension exceeds the
    /// 65535 voxels an IMAGE header can describe.
    public func igtlImage() -> IGTLImage? {
        let g = geometry
        guard g.dimensions.x <= 65535, g.dimensions.y <= 65535, g.dimensions.z <= 65535, g.voxelCount > 0 else { return nil }
        let bytes: [UInt8]
        switch self {
        case .uint8(let v): bytes = v.voxels
        default: bytes = doubleValues.map { UInt8(max(0, min(255, $0.rounded()))) }
        }
        var image = IGTLImage(components: 1, scalarType: .uint8, size: g.dimensions, matrix: [Float](repeating: 0, count: 12),
                              coordinateSystem: .ras, endianness: .little, pixels: bytes)
        let d = g.direction
        image.imageToReference = Transform3D(linear: [d[0] * g.spacing.x, d[1] * g.spacing.y, d[2] * g.spacing.z,
                                                      d[3] * g.spacing.x, d[4] * g.spacing.y, d[5] * g.spacing.z,
                                                      d[6] * g.spacing.x, d[7] * g.spacing.y, d[8] * g.spacing.z],
                                             translation: g.origin)
        return image
    }
}
