extension SweepSimulator {
    /// The sweep `freehand simulate` makes: the standard phantom scanned along its z axis
    /// from `sweepStart` to `sweepEnd` mm by a linear probe with the default calibration;
    /// `seed` drives both the hand wobble and the speckle.
    public static func standardSweep(frames: Int = 120, width: Int = 256, height: Int = 200, spacing: Double = 0.2,
                                     frameRate: Double = 20, speckle: Double = 0.2, seed: UInt64 = 1,
                                     sweepStart: Double = 4, sweepEnd: Double = 56, wobble: Bool = true,
                                     invalidFrames: Set<Int> = []) -> SweepSimulator {
        var phantom = Phantom.standard
        phantom.speckle = speckle
        let start = SIMD3<Double>(0, 0, sweepStart), end = SIMD3<Double>(0, 0, sweepEnd)
        let trajectory = wobble ? SweepTrajectory(start: start, end: end, seed: seed) : .straight(from: start, to: end)
        return SweepSimulator(phantom: phantom, probe: LinearProbe(width: width, height: height, spacing: SIMD2(spacing, spacing)),
                              trajectory: trajectory, frameCount: frames, frameRate: frameRate,
                              invalidFrames: invalidFrames, noiseSeed: seed)
    }
}
