import Geometry
import Imaging

/// An IMAGE body: a 2-D or 3-D image (or a sub-volume of one) with its geometry.
///
/// Geometry follows the specification: `matrix` holds the i, j and k direction columns, each
/// scaled by the spacing along that axis, then P, the position of the image CENTRE. The
/// position of voxel (0, 0, 0) is `P - sum_a(col_a * (size_a - 1) / 2)`, computed over the
/// whole image `size` (not the sub-volume). `imageToReference` gives the resulting 4x4.
///
/// `pixels` always hold the sub-volume in host (little-endian) byte order, x fastest; the
/// decoder converts from the wire. `endianness` is the byte order the pixels had (or will
/// have) on the wire.
public struct IGTLImage: Sendable, Equatable {
    /// Byte order of pixel data on the wire (header field E).
    public enum Endianness: UInt8, Sendable, Hashable {
        case big = 1, little = 2
    }
    /// Patient coordinate system of the matrix (header field O).
    public enum CoordinateSystem: UInt8, Sendable, Hashable {
        case ras = 1, lps = 2
    }

    /// Scalars per voxel (1 for grey, 3 for RGB).
    public var components: Int
    /// Component type.
    public var scalarType: ScalarType
    /// Pixel byte order on the wire: as received, or to be sent.
    public var endianness: Endianness
    /// Whether the decoder found the pixels little-endian although E said big (see
    /// `IGTLDecodingOptions.correctMislabelledEndianness`). Not sent.
    public var endiannessCorrected: Bool
    /// RAS or LPS.
    public var coordinateSystem: CoordinateSystem
    /// Size of the whole image in voxels (i, j, k).
    public var size: SIMD3<Int>
    /// The 12 matrix floats as on the wire: column i * spacing_i, column j * spacing_j,
    /// column k * spacing_k, centre P.
    public var matrix: [Float]
    /// First voxel of the sub-volume carried.
    public var subvolumeOffset: SIMD3<Int>
    /// Size of the sub-volume carried (equal to `size` for a whole image).
    public var subvolumeSize: SIMD3<Int>
    /// Sub-volume pixels, host byte order, x fastest then y then z, components interleaved.
    public var pixels: [UInt8]

    /// Creates an image body; `pixels` must hold `subvolumeSize` voxels.
    public init(components: Int = 1, scalarType: ScalarType, size: SIMD3<Int>, matrix: [Float],
                coordinateSystem: CoordinateSystem = .ras, endianness: Endianness = .little,
                subvolumeOffset: SIMD3<Int> = .zero, subvolumeSize: SIMD3<Int>? = nil, pixels: [UInt8]) {
        precondition(matrix.count == 12, "an IMAGE matrix has 12 floats")
        self.components = components
        self.scalarType = scalarType
        self.endianness = endianness
        self.endiannessCorrected = false
        self.coordinateSystem = coordinateSystem
        self.size = size
        self.matrix = matrix
        self.subvolumeOffset = subvolumeOffset
        self.subvolumeSize = subvolumeSize ?? size
        self.pixels = pixels
    }

    /// Bytes the sub-volume's pixels take.
    public var expectedPixelByteCount: Int {
        subvolumeSize.x * subvolumeSize.y * subvolumeSize.z * components * scalarType.byteCount
    }

    /// Direction column `a` (0 = i, 1 = j, 2 = k) scaled by the spacing along it.
    public func column(_ a: Int) -> SIMD3<Double> {
        SIMD3(Double(matrix[3 * a]), Double(matrix[3 * a + 1]), Double(matrix[3 * a + 2]))
    }

    /// The image centre P.
    public var centre: SIMD3<Double> { column(3) }

    /// Voxel spacing (mm): the lengths of the three columns.
    public var spacing: SIMD3<Double> {
        func length(_ c: SIMD3<Double>) -> Double { (c * c).sum().squareRoot() }
        return SIMD3(length(column(0)), length(column(1)), length(column(2)))
    }

    /// Position of voxel (0, 0, 0) of the whole image: `P - sum_a(col_a * (size_a - 1) / 2)`.
    public var origin: SIMD3<Double> {
        var o = centre
        for a in 0..<3 { o -= column(a) * (Double(size[a]) - 1) / 2 }
        return o
    }

    /// Maps voxel indices (i, j, k) of the whole image to mm in `coordinateSystem`,
    /// spacing included. Setting it rewrites `matrix` (the centre is recomputed from `size`).
    public var imageToReference: Transform3D {
        get {
            let ci = column(0), cj = column(1), ck = column(2)
            return Transform3D(linear: [ci.x, cj.x, ck.x, ci.y, cj.y, ck.y, ci.z, cj.z, ck.z], translation: origin)
        }
        set {
            var p = newValue.translation
            for a in 0..<3 { p += newValue.column(a) * (Double(size[a]) - 1) / 2 }
            var m: [Float] = []
            for a in 0..<3 { let c = newValue.column(a); m += [Float(c.x), Float(c.y), Float(c.z)] }
            m += [Float(p.x), Float(p.y), Float(p.z)]
            matrix = m
        }
    }

    /// `imageToReference` expressed in RAS (LPS matrices have x and y negated).
    public var imageToRAS: Transform3D {
        coordinateSystem == .ras ? imageToReference : Transform3D.scaling(SIMD3(-1, -1, 1)) * imageToReference
    }
}
