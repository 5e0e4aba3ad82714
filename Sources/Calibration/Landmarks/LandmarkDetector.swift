import Geometry

/// Detects the stylus resting on a phantom landmark from a stream of `StylusTipToReference` poses,
/// as PLUS's `vtkPlusLandmarkDetectionAlgo` does: poses are grouped in short windows; while the
/// window-averaged tip stays inside a small box (`tipMaximumDisplacement`) for `detectionTime`
/// and a point on the shaft 100 mm from the tip swept at least `shaftMinimumDisplacement`
/// (the user pivots the stylus on the landmark), the tip positions are averaged into a landmark.
public struct LandmarkDetector: Sendable {
    /// Detection parameters (PLUS defaults).
    public struct Settings: Sendable, Hashable {
        /// Tracker rate in poses per second (PLUS takes it from the first two timestamps).
        public var acquisitionRate: Double = 20
        /// Averaging window (s).
        public var filterWindowTime: Double = 0.2
        /// How long the tip must rest (s).
        public var detectionTime: Double = 1.0
        /// Minimum sweep of the shaft point (mm).
        public var shaftMinimumDisplacement: Double = 30
        /// Maximum drift of the window-averaged tip (mm).
        public var tipMaximumDisplacement: Double = 1.5
        /// Closest two landmarks of the phantom can be (mm); a detection within a third of this
        /// of an earlier landmark is ignored as the same landmark.
        public var minimumLandmarkDistance: Double = 15
        /// Fraction of the first windows left out of the average (the stylus is still settling).
        public var skippedWindowFraction: Double = 0.1
        /// Average the poses PLUS averages. PLUS 2.x reuses its window-size variable for the
        /// number of skipped windows, so it averages poses `skip * skip ..< required * skip`
        /// (4 poses with the defaults) rather than every pose after the skipped windows; keeping
        /// this on reproduces PLUS's landmark positions (0.09 mm instead of 0.11 mm from its
        /// baseline registration on PLUS's eight-landmark recording).
        public var plusCompatibleAveraging = true
        public init() {}

        /// Poses per averaging window.
        public var windowSize: Int { max(1, Int((acquisitionRate * filterWindowTime).rounded())) }
        /// Windows needed for a detection.
        public var requiredWindows: Int { max(1, Int(detectionTime / filterWindowTime + 1e-9)) }
    }

    public var settings: Settings
    /// Landmarks found so far, in the reference frame, in detection order.
    public private(set) var landmarks: [SIMD3<Double>] = []

    private var window: [Transform3D] = []
    private var tipBox = BoundingBox()
    private var shaftBox = BoundingBox()

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// Forgets the poses and landmarks.
    public mutating func reset() { landmarks.removeAll(); clearWindow() }

    /// Removes the last landmark (the user touched the wrong point).
    public mutating func removeLastLandmark() { if !landmarks.isEmpty { landmarks.removeLast() } }

    /// Adds one `StylusTipToReference` pose; returns the index of a newly detected landmark.
    @discardableResult
    public mutating func insert(_ tipToReference: Transform3D) -> Int? {
        window.append(tipToReference)
        let size = settings.windowSize
        guard window.count % size == 0 else { return nil }
        let recent = window[(window.count - size)...]
        let filtered = recent.reduce(SIMD3<Double>.zero) { $0 + $1.translation } / Double(size)
        tipBox.add(filtered)
        shaftBox.add(tipToReference.apply(SIMD3(100, 0, 0)))
        if tipBox.diagonal > settings.tipMaximumDisplacement {
            clearWindow()
            return nil
        }
        guard window.count / size >= settings.requiredWindows, shaftBox.diagonal >= settings.shaftMinimumDisplacement else { return nil }
        let skip = Int((Double(settings.requiredWindows) * settings.skippedWindowFraction).rounded())
        let upper = min(window.count, settings.requiredWindows * (settings.plusCompatibleAveraging ? max(skip, 1) : size))
        let lower = min(upper, settings.plusCompatibleAveraging ? skip * skip : skip * size)
        let used = window[lower..<upper]
        let mean = used.reduce(SIMD3<Double>.zero) { $0 + $1.translation } / Double(max(used.count, 1))
        clearWindow()
        if landmarks.contains(where: { ($0 - mean).length < settings.minimumLandmarkDistance / 3 }) { return nil }
        landmarks.append(mean)
        return landmarks.count - 1
    }

    /// How long (s) the tip has been resting in the current window, for progress displays.
    public var restingTime: Double { Double(window.count) / max(settings.acquisitionRate, 1e-9) }

    private mutating func clearWindow() {
        window.removeAll(keepingCapacity: true)
        tipBox = BoundingBox()
        shaftBox = BoundingBox()
    }
}

/// Axis-aligned bounding box of points.
struct BoundingBox: Sendable {
    private var lower = SIMD3<Double>(repeating: .infinity)
    private var upper = SIMD3<Double>(repeating: -.infinity)
    mutating func add(_ p: SIMD3<Double>) {
        lower = pointwiseMin(lower, p)
        upper = pointwiseMax(upper, p)
    }
    /// Length of the diagonal (0 when empty or a single point).
    var diagonal: Double { lower.x > upper.x ? 0 : (upper - lower).length }
}
