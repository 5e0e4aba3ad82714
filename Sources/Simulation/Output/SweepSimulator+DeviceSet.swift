import Geometry

extension SweepSimulator {
    /// A PLUS device-set configuration for reconstructing this sweep: `<CoordinateDefinitions>`
    /// with the calibration `ImageToProbe`, and a `<VolumeReconstruction>` element (nearest
    /// neighbour, MEAN compounding, whole frame, isotropic `outputSpacing`) with a `<HoleFilling>`
    /// list ready for `FillHoles="ON"`.
    public func deviceSetConfiguration(outputSpacing: Double = 0.5, sequenceFileName: String? = nil,
                                       fillHoles: Bool = false) -> String {
        let m = probe.imageToProbe.elements.map(formatNumber)
        let rows = (0..<4).map { r in m[(r * 4)..<(r * 4 + 4)].joined(separator: " ") }
        let spacing = formatNumber(outputSpacing)
        let source = sequenceFileName.map { " Recording=\"\($0.xmlEscaped)\"" } ?? ""
        return """
        <PlusConfiguration version="2.1">
          <DeviceSet Name="Freehand simulated phantom sweep"
            Description="Digital phantom swept with a simulated \(probe.width)x\(probe.height) linear probe (\(formatNumber(probe.spacing.x)) x \(formatNumber(probe.spacing.y)) mm pixels), \(frameCount) frames; made by freehand simulate"\(source) />

          <CoordinateDefinitions>
            <Transform From="Image" To="Probe"
              Matrix="\(rows[0])
                      \(rows[1])
                      \(rows[2])
                      \(rows[3])" />
          </CoordinateDefinitions>

          <VolumeReconstruction
            ImageCoordinateFrame="Image" ReferenceCoordinateFrame="Reference"
            OutputSpacing="\(spacing) \(spacing) \(spacing)"
            ClipRectangleOrigin="0 0" ClipRectangleSize="\(probe.width) \(probe.height)"
            Interpolation="NEAREST_NEIGHBOR" Optimization="FULL"
            CompoundingMode="MEAN" FillHoles="\(fillHoles ? "ON" : "OFF")" NumberOfThreads="0">
            <HoleFilling>
              <HoleFillingElement Type="GAUSSIAN" Size="3" Stdev="0.6667" MinimumKnownVoxelsRatio="0.50001" />
              <HoleFillingElement Type="STICK" StickLengthLimit="9" NumberOfSticksToUse="1" />
            </HoleFilling>
          </VolumeReconstruction>
        </PlusConfiguration>

        """
    }
}
