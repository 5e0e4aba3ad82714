import Imaging

/// Loading the IMPORTANCE_MASK weights.
public enum ImportanceMask {
    /// Reads an 8-bit grey PNG as an importance mask, rows in the frames' order.
    ///
    /// PLUS reads the PNG with `vtkPNGReader` (which stores the last file row first) and then
    /// flips it in Y, so mask row y is PNG file row y; `PNG.read` already returns file rows
    /// top-down, so no flip is applied here. Like PLUS, a mask with more than one channel is
    /// refused.
    public static func load(_ path: String) throws(ReconstructionError) -> Image {
        let image: Image
        do {
            image = try PNG.read(path)
        } catch {
            throw .importanceMask(path: path, reason: error.description)
        }
        guard image.components == 1, image.scalarType == .uint8 else {
            throw .importanceMask(path: path, reason: "must be an 8-bit grey PNG (found \(image.components) channels of \(image.scalarType))")
        }
        return image
    }
}
