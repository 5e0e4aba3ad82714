import Imaging

extension ReconstructionSetup.Request {
    /// Reconstructs on `geometry`'s grid (spacing, origin and size), e.g. to map slices cut
    /// from a volume by `freehand reslice` back onto that volume. Reconstruction grids have
    /// identity directions, so only such volumes can lend theirs.
    public mutating func useGrid(of geometry: VolumeGeometry, from path: String) throws(ReconstructionSetupError) {
        guard geometry.direction == [1, 0, 0, 0, 1, 0, 0, 0, 1] else {
            throw .invalidOption(name: "--grid-from", value: path, reason: "the volume's axes are not the identity directions a reconstruction grid has")
        }
        guard spacing.isEmpty else {
            throw .invalidOption(name: "--spacing", value: spacing.map { "\($0)" }.joined(separator: " "), reason: "--grid-from sets the spacing; leave out --spacing")
        }
        spacing = [geometry.spacing.x, geometry.spacing.y, geometry.spacing.z]
        origin = geometry.origin
        extent = [0, geometry.dimensions.x - 1, 0, geometry.dimensions.y - 1, 0, geometry.dimensions.z - 1]
    }
}
