import Geometry
import Imaging
import Recordings
import Testing
@testable import Simulation

@Suite struct SweepSimulatorTests {
    /// An axis-aligned probe (no mounting rotation), straight sweep, no speckle: pixel (i, j)
    /// sits at Reference ((i - 50) * 0.5, j * 0.5, z) for a 101-pixel-wide image.
    func handCheckableSimulator(sphere: PhantomObject) -> SweepSimulator {
        SweepSimulator(
            phantom: Phantom(objects: [sphere], background: 40, speckle: 0),
            probe: LinearProbe(width: 101, height: 81, spacing: SIMD2(0.5, 0.5),
                               mountingAnglesDegrees: .zero, mountingOffset: .zero),
            trajectory: .straight(from: SIMD3(0, 0, 10), to: SIMD3(0, 0, 30)),
            frameCount: 21)
    }

    /// A sphere of radius 4 mm centred in frame 10's plane at (5, 15) mm is a disc of radius
    /// 8 pixels around pixel (60, 30): 197 lattice points satisfy x^2 + y^2 <= 64.
    @Test func sphereAppearsAtTheHandComputedPixels() {
        let sim = handCheckableSimulator(sphere: .sphere(center: SIMD3(5, 15, 20), radius: 4, intensity: 200))
        #expect(sim.probeToReference(frame: 10).maxDifference(to: .translation(SIMD3(0, 0, 20))) < 1e-12)
        let image = sim.renderImage(frame: 10)
        #expect(image.width == 101 && image.height == 81)
        #expect(image[60, 30] == 200)
        #expect(image[68, 30] == 200 && image[69, 30] == 40)
        #expect(image[52, 30] == 200 && image[51, 30] == 40)
        #expect(image[60, 38] == 200 && image[60, 39] == 40)
        #expect(image[60, 22] == 200 && image[60, 21] == 40)
        #expect(image.bytes.filter { $0 == 200 }.count == 197)
        // One frame (1 mm) further the cross-section has radius sqrt(16 - 1) mm = 7.75 pixels.
        let next = sim.renderImage(frame: 11)
        #expect(next[67, 30] == 200 && next[68, 30] == 40)
    }

    /// With wobble and a tilted calibration, every pixel equals the analytic intensity at the
    /// pixel's position mapped through ImageToReference.
    @Test func renderedFramesMatchTheAnalyticPhantom() {
        var sim = SweepSimulator(frameCount: 9)
        sim.phantom.speckle = 0
        for i in [0, 4, 8] {
            let image = sim.renderImage(frame: i)
            let m = sim.imageToReference(frame: i)
            var mismatches = 0
            for y in 0..<image.height {
                for x in 0..<image.width {
                    let p = m.apply(SIMD3(0, Double(y), 0)) + Double(x) * m.applyToVector(SIMD3(1, 0, 0))
                    if Double(image[x, y]) != sim.phantom.intensity(at: p) { mismatches += 1 }
                }
            }
            #expect(mismatches == 0, "frame \(i)")
        }
    }

    @Test func transformsChainToTheTrueImagePose() throws {
        let sim = SweepSimulator(frameCount: 30, invalidFrames: [7])
        let sequence = sim.makeSequence()
        #expect(sequence.frames.count == 30)
        let imageToProbe = sim.probe.imageToProbe
        for (i, frame) in sequence.frames.enumerated() {
            let probe = try #require(frame.transforms[TransformName("ProbeToTracker")!])
            let reference = try #require(frame.transforms[TransformName("ReferenceToTracker")!])
            #expect(reference.status == .ok)
            #expect(abs(frame.timestamp - (100 + Double(i) / 20)) < 1e-12)
            if i == 7 {
                #expect(probe.status == .invalid)
                continue
            }
            #expect(probe.status == .ok)
            let imageToReference = reference.matrix.inverse! * probe.matrix * imageToProbe
            #expect(imageToReference.maxDifference(to: sim.imageToReference(frame: i)) < 1e-9)
            // Rigid: the rotation part of ProbeToTracker is orthonormal.
            let p = probe.matrix
            for a in 0..<3 { for b in 0..<3 {
                let dot = (p.column(a) * p.column(b)).sum()
                #expect(abs(dot - (a == b ? 1 : 0)) < 1e-12)
            } }
        }
        // The probe moves 52 mm along +z in the Reference frame over the sweep.
        let first = sim.probeToReference(frame: 0).translation, last = sim.probeToReference(frame: 29).translation
        #expect(abs((last - first).z - 52) < 1e-9)
    }

    /// Parallel rendering gives the same frames as rendering one at a time, run after run.
    @Test func deterministicAcrossRunsAndThreads() {
        let sim = SweepSimulator(probe: LinearProbe(width: 64, height: 48, spacing: SIMD2(0.8, 0.8)), frameCount: 16)
        let a = sim.makeSequence(), b = sim.makeSequence()
        for i in 0..<16 {
            #expect(a.frames[i].image == b.frames[i].image)
            #expect(a.frames[i].image == sim.frame(i).image)
        }
        // A different noise seed changes the speckle.
        var other = sim
        other.noiseSeed = 2
        #expect(other.frame(3).image != sim.frame(3).image)
    }

    /// Speckle keeps the mean and has the configured relative spread.
    @Test func speckleStatistics() {
        let sim = SweepSimulator(phantom: Phantom(objects: [], background: 80, speckle: 0.2),
                                 probe: LinearProbe(width: 200, height: 150), frameCount: 3)
        let bytes = sim.renderImage(frame: 1).bytes.map(Double.init)
        let mean = bytes.reduce(0, +) / Double(bytes.count)
        let sd = (bytes.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(bytes.count)).squareRoot()
        #expect(abs(mean - 80) < 0.5)
        #expect(abs(sd / 80 - 0.2) < 0.01)
    }

    @Test func sweptRegionContainsTheMiddleAndNotTheOutside() {
        let sim = SweepSimulator(frameCount: 40)
        let region = SweptRegion(sim)
        #expect(region.contains(SIMD3(0, 20, 30), margin: 2))
        #expect(!region.contains(SIMD3(0, 20, 1), margin: 0))      // before the first frame
        #expect(!region.contains(SIMD3(0, 20, 59), margin: 0))     // after the last frame
        #expect(!region.contains(SIMD3(30, 20, 30), margin: 0))    // beside the image
        #expect(!region.contains(SIMD3(0, -3, 30), margin: 0))     // above the transducer
    }

    @Test func deviceSetAndGroundTruthDescribeTheSweep() {
        let sim = SweepSimulator(frameCount: 12, invalidFrames: [3, 5])
        let xml = sim.deviceSetConfiguration(outputSpacing: 0.5, sequenceFileName: "x.igs.mha")
        #expect(xml.contains("<Transform From=\"Image\" To=\"Probe\""))
        #expect(xml.contains("OutputSpacing=\"0.5 0.5 0.5\""))
        #expect(xml.contains("ClipRectangleSize=\"256 200\""))
        let first = sim.probe.imageToProbe.elements.prefix(4).map(formatNumber).joined(separator: " ")
        #expect(xml.contains(first))
        let json = sim.groundTruthJSON()
        #expect(json.contains("\"invalidFrames\": [3, 5]"))
        #expect(json.contains("\"type\": \"sphere\", \"center\": [-10, 15, 20], \"radius\": 6"))
    }
}
