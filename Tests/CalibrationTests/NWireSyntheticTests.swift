import Geometry
import Imaging
import Testing
@testable import Calibration

/// The fCal 2.0 phantom wires (PlusDeviceSet_fCal_Sim_SpatialCalibration_2.0.xml).
func nwireFCal20Phantom() throws -> NWirePhantom {
    func w(_ n: String, _ f: SIMD3<Double>, _ b: SIMD3<Double>) -> PhantomWire { PhantomWire(name: n, front: f, back: b) }
    return try NWirePhantom(patterns: [
        NWirePattern(wires: [w("7:G1_g1", [30, 0, 20], [30, 40, 20]), w("8:L1_h1", [55, 0, 20], [35, 40, 20]), w("9:M1_m1", [60, 0, 20], [60, 40, 20])]),
        NWirePattern(wires: [w("4:G3_g3", [30, 0, 10], [30, 40, 10]), w("5:H3_l3", [35, 0, 10], [55, 40, 10]), w("6:M3_m3", [60, 0, 10], [60, 40, 10])]),
        NWirePattern(wires: [w("1:H5_h5", [35, 0, 0], [35, 40, 0]), w("2:L5_i5", [55, 0, 0], [40, 40, 0]), w("3:M5_m5", [60, 0, 0], [60, 40, 0])]),
    ])
}

/// A deterministic pseudo-random generator for reproducible synthetic data.
/// An 820x616 frame with Gaussian dots (sigma 2.2 px) at `dots` and a bright horizontal streak.
func nwireSyntheticFrame(dots: [SIMD2<Double>], streakRow: Int? = 560) -> Image {
    let w = 820, h = 616
    var values = [Double](repeating: 12, count: w * h)
    for d in dots {
        for y in max(0, Int(d.y) - 8)...min(h - 1, Int(d.y) + 8) {
            for x in max(0, Int(d.x) - 8)...min(w - 1, Int(d.x) + 8) {
                let r2 = (Double(x) - d.x) * (Double(x) - d.x) + (Double(y) - d.y) * (Double(y) - d.y)
                values[y * w + x] += 220 * NWireMath.exponential(-r2 / (2 * 2.2 * 2.2))
            }
        }
    }
    if let row = streakRow {
        for y in row...(row + 2) { for x in 60..<760 { values[y * w + x] += 200 } }
    }
    return Image(width: w, height: h, bytes: values.map { UInt8(min(255, $0.rounded())) })
}

@Test func nwirePatternGeometryFromPhantomDefinition() throws {
    let phantom = try nwireFCal20Phantom()
    let p = phantom.patterns[0]
    #expect(p.intersection12 == SIMD3(30, 50, 20))   // diagonal (55,0)-(35,40) extended meets x = 30 at y = 50
    #expect(p.intersection32 == SIMD3(60, -10, 20))
    // A cut at phantom y = 20 crosses the diagonal at x = 45, halfway between the side wires.
    let middle = p.middlePoint(dots: [SIMD2(600, 200), SIMD2(400, 200), SIMD2(200, 200)])
    #expect((middle - SIMD3(45, 20, 20)).length < 1e-9)
    let bad = [PhantomWire(name: "a", front: [0, 0, 0], back: [0, 40, 0]),
               PhantomWire(name: "b", front: [5, 0, 0], back: [20, 40, 0]),
               PhantomWire(name: "c", front: [30, 0, 0], back: [40, 40, 0])]
    #expect(throws: NWireError.self) { try NWirePattern(wires: bad) }
}

@Test func nwireSegmenterFindsAndLabelsSyntheticPattern() throws {
    let truth: [SIMD2<Double>] = [
        SIMD2(605.3, 191.8), SIMD2(436.6, 181.2), SIMD2(222.4, 173.7),
        SIMD2(600.2, 319.5), SIMD2(384.7, 313.9), SIMD2(218.8, 308.1),
        SIMD2(528.5, 454.6), SIMD2(385.2, 448.4), SIMD2(210.9, 438.3),
    ]
    // Shuffle the drawing order: labelling must not depend on it.
    var rng = SplitMix64(seed: 7)
    let frame = nwireSyntheticFrame(dots: truth.shuffled(using: &rng))
    let segmenter = try NWireSegmenter(parameters: NWireSegmentationParameters(), phantom: try nwireFCal20Phantom())
    let result = try segmenter.segment(frame)
    #expect(result.isPatternFound)
    #expect(result.points.count == 9)
    // Symmetric blobs: the weighted centroid is within a few hundredths of a pixel (8-bit rounding).
    for (found, expected) in zip(result.points, truth) {
        #expect((found - expected).length < 0.1, "\(found) vs \(expected)")
    }
    // The streak is a line, removed by the bar top-hat: no candidate near its row.
    #expect(!result.candidates.contains { abs($0.position.y - 561) < 5 })
}

@Test func nwireSegmenterRejectsWrongImagesAndParameters() throws {
    let phantom = try nwireFCal20Phantom()
    var p = NWireSegmentationParameters()
    p.approximateSpacingMmPerPixel = 0
    #expect(throws: NWireError.self) { try NWireSegmenter(parameters: p, phantom: phantom) }
    let segmenter = try NWireSegmenter(parameters: NWireSegmentationParameters(), phantom: phantom)
    let rgb = Image(width: 4, height: 4, components: 3, bytes: [UInt8](repeating: 0, count: 48))
    #expect(throws: NWireError.self) { try segmenter.segment(rgb) }
    // Empty and tiny frames give no pattern rather than a crash.
    #expect(!(try segmenter.segment(Image(width: 820, height: 616))).isPatternFound)
    #expect(!(try segmenter.segment(Image(width: 20, height: 10))).isPatternFound)
}

/// Synthetic tracked frames: wire intersections of random image poses through the phantom.
func nwireSyntheticObservations(imageToProbe: Transform3D, phantomToReference: Transform3D, phantom: NWirePhantom,
                           count: Int, noisePx: Double, seed: UInt64) -> [NWireObservation] {
    var rng = SplitMix64(seed: seed)
    var out: [NWireObservation] = []
    let probeToImage = imageToProbe.inverse!
    for _ in 0..<count {
        // Image plane near phantom y = 20: image x along -x, image y (depth) along -z.
        let yaw = Double.random(in: -0.25...0.25, using: &rng), pitch = Double.random(in: -0.15...0.15, using: &rng)
        let roll = Double.random(in: -0.1...0.1, using: &rng)
        let base = Transform3D(rowMajor: [-1, 0, 0, 78.4, 0, 0, 1, Double.random(in: 12...28, using: &rng),
                                          0, -1, 0, 34.25, 0, 0, 0, 1])
        let rotation = Transform3D.rotation(axis: SIMD3(0, 0, 1), angle: yaw) * Transform3D.rotation(axis: SIMD3(1, 0, 0), angle: pitch)
            * Transform3D.rotation(axis: SIMD3(0, 1, 0), angle: roll)
        let shift = Transform3D.translation(SIMD3(Double.random(in: -4...4, using: &rng), 0, Double.random(in: -3...3, using: &rng)))
        // ImageMm -> Phantom, then Image (pixels) -> Phantom through the true pixel sizes.
        let mmToPhantom = shift * Transform3D.translation(SIMD3(45, 20, 10)) * rotation * Transform3D.translation(SIMD3(-45, -20, -10)) * base
        let sx = imageToProbe.column(0).length, sy = imageToProbe.column(1).length
        let imageToPhantom = mmToPhantom * Transform3D.scaling(SIMD3(sx, sy, (sx + sy) / 2))
        let phantomToImage = imageToPhantom.inverse!
        var points: [SIMD2<Double>] = []
        for wire in phantom.patterns.flatMap(\.wires) {
            let a = phantomToImage.apply(wire.front), b = phantomToImage.apply(wire.back)
            let t = -a.z / (b.z - a.z)
            let hit = a + t * (b - a)
            points.append(SIMD2(hit.x + Double.random(in: -noisePx...noisePx, using: &rng),
                                hit.y + Double.random(in: -noisePx...noisePx, using: &rng)))
        }
        // ProbeToReference = PhantomToReference * ImageToPhantom * ProbeToImage.
        out.append(NWireObservation(points: points, probeToReference: phantomToReference * imageToPhantom * probeToImage))
    }
    return out
}

@Test(arguments: [NWireCalibration.Refinement.none, .rigidWithScale])
func nwireCalibrationRecoversKnownImageToProbe(refinement: NWireCalibration.Refinement) throws {
    let phantom = try nwireFCal20Phantom()
    let phantomToReference = Transform3D(rowMajor: [-0.0167397, -0.0153548, -0.999742, 15.6642, -0.999834, 0.0075107, 0.0166258, -25.3628,
                                                    0.00725347, 0.999854, -0.015478, -40.7799, 0, 0, 0, 1])
    let rotation = Transform3D.rotation(axis: SIMD3(0.2, -0.1, 1), angle: -1.55)
    var truth = rotation * Transform3D.scaling(SIMD3(0.0803, 0.0745, 0.0774))
    truth.translation = SIMD3(11.2, 48.4, -0.4)
    let calibration = nwireSyntheticObservations(imageToProbe: truth, phantomToReference: phantomToReference, phantom: phantom,
                                            count: 120, noisePx: 0.3, seed: 1)
    let validation = nwireSyntheticObservations(imageToProbe: truth, phantomToReference: phantomToReference, phantom: phantom,
                                           count: 60, noisePx: 0.3, seed: 2)
    let result = try NWireCalibration(phantom: phantom, phantomToReference: phantomToReference, refinement: refinement)
        .calibrate(calibration: calibration, validation: validation)
    // 0.3 px of uniform noise on the dots moves a middle point by ~0.03 mm; the fit averages 360 of them.
    let linear = (0..<3).flatMap { r in (0..<3).map { c in abs(result.imageToProbe[r, c] - truth[r, c]) } }.max()!
    #expect(linear < 2e-4)
    #expect((result.imageToProbe.translation - truth.translation).length < 0.1)
    #expect(abs(result.pixelSize.x - 0.0803) / 0.0803 < 0.002)
    #expect(abs(result.pixelSize.y - 0.0745) / 0.0745 < 0.002)
    #expect(result.validationError.mean < 0.05)
    #expect(result.calibrationFrameCount == 120 && result.validationFrameCount == 60)
    #expect(result.validationInPlaneErrors.count == 9)
    for e in result.validationInPlaneErrors { #expect(abs(e.mean.x) < 0.5 && abs(e.mean.y) < 0.5) }
    if refinement == .rigidWithScale { #expect(abs(result.axesAngleDegrees - 90) < 1e-6) }
}

@Test func nwireCalibrationNeedsEnoughFrames() throws {
    let phantom = try nwireFCal20Phantom()
    let few = nwireSyntheticObservations(imageToProbe: .scaling(SIMD3(0.08, 0.08, 0.08)), phantomToReference: .identity,
                                    phantom: phantom, count: 5, noisePx: 0.1, seed: 3)
    #expect(throws: NWireError.notEnoughFrames(found: 5, needed: 10)) {
        try NWireCalibration(phantom: phantom, phantomToReference: .identity).calibrate(calibration: few, validation: few)
    }
}

@Test func nwireLevenbergMarquardtParametersRoundTrip() throws {
    let m = Transform3D.rotation(axis: SIMD3(1, 2, 3), angle: 2.5) * Transform3D.scaling(SIMD3(0.08, 0.07, 0.075))
    var t = m
    t.translation = SIMD3(1, 2, 3)
    let back = NWireCalibration.transform(try #require(NWireCalibration.parameters(t)))
    #expect(back.maxDifference(to: t) < 1e-12)
}

@Test func nwireSpacingFromWireDistances() throws {
    // iCal 1.1 phantom (Queens/PlusDeviceSet_iCal_SonixTouch_BlackTargetGuideStepper_1.1.xml): Ns 20 mm apart, sides 40 mm apart.
    func w(_ x: Double, _ y: Double, _ x2: Double) -> PhantomWire { PhantomWire(name: "w", front: [x, y, 62.05], back: [x2, y, 142.05]) }
    let phantom = try NWirePhantom(patterns: [
        NWirePattern(wires: [w(49.86, 54.385, 49.86), w(39.86, 54.385, 19.86), w(9.86, 54.385, 9.86)]),
        NWirePattern(wires: [w(49.86, 34.385, 49.86), w(19.86, 34.385, 39.86), w(9.86, 34.385, 9.86)]),
        NWirePattern(wires: [w(39.86, 14.385, 39.86), w(29.86, 14.385, 19.86), w(9.86, 14.385, 9.86)]),
    ])
    let spacing = SIMD2(0.147, 0.142)
    var rng = SplitMix64(seed: 11)
    var frames: [[SIMD2<Double>]] = []
    for _ in 0..<40 {
        // The probe rotates about its axis: the wire cross-sections rotate in the image plane.
        let angle = Double.random(in: -0.2...0.2, using: &rng)
        let c = NWireMath.cosine(angle), s = NWireMath.sine(angle)
        var points: [SIMD2<Double>] = []
        for pattern in phantom.patterns {
            for wire in pattern.wires {
                let mm = SIMD2(60 - wire.front.x, 70 - wire.front.y)
                let rotated = SIMD2(c * mm.x - s * mm.y, s * mm.x + c * mm.y)
                points.append(rotated / spacing + SIMD2(200, 50))
            }
        }
        frames.append(points)
    }
    frames.append([])  // a frame without a pattern is skipped
    let result = try NWireSpacingCalibration(phantom: phantom).estimate(frames)
    #expect(abs(result.spacing.x - 0.147) < 1e-9 && abs(result.spacing.y - 0.142) < 1e-9)
    #expect(result.equationCount == 40 * 4)
}
