import Foundation
import Imaging

/// PLUS's fan-angle auto-detection (`vtkIGSIOFanAngleDetectorAlgo`): samples four arcs around
/// the fan origin (15, 30, 50, 70 % of the way from the start to the stop radius), finds the
/// widest run of angles where at least half of a moving window is brighter than the threshold,
/// and returns the broadest run over the arcs, narrowed by PLUS's 3 degree margin on each side
/// and limited to the configured (maximum) angles.
public struct FanAngleDetector: Sendable {
    /// The configured angles, the widest the detector may return.
    public var maxFanAnglesDeg: SIMD2<Double>
    /// Fan apex in pixels.
    public var fanOrigin: SIMD2<Double>
    /// Radii in pixels.
    public var radiusStart: Double
    public var radiusStop: Double
    /// Pixels at or above this count as image content.
    public var brightnessThreshold: Double
    /// Half-width of the moving window, in samples.
    public var filterRadius: Int
    /// PLUS's margin, added to the right angle and subtracted from the left (-3: each side moves 3 degrees inwards).
    public var marginDeg: Double = -3

    public init(settings: ReconstructionSettings) {
        maxFanAnglesDeg = settings.fanAnglesDeg
        fanOrigin = settings.fanOriginPixel
        radiusStart = settings.fanRadiusStartPixel
        radiusStop = settings.fanRadiusStopPixel
        brightnessThreshold = settings.fanAnglesAutoDetectBrightnessThreshold
        filterRadius = settings.fanAnglesAutoDetectFilterRadiusPixel
    }

    /// The fan angles in `image`, or nil when the frame shows no content (PLUS skips it).
    public func detect(in image: Image) -> SIMD2<Double>? {
        let xOrigin = Double(Int(fanOrigin.x)), yOrigin = Double(Int(fanOrigin.y))
        let maxRad = SIMD2(maxFanAnglesDeg.x * .pi / 180, maxFanAnglesDeg.y * .pi / 180)
        let window = filterRadius * 2
        var best = SIMD2<Double>(0, 0)
        var first = true
        for percent in [15.0, 30.0, 50.0, 70.0] {
            let radius = radiusStart + (radiusStop - radiusStart) * percent / 100
            guard radius > 0 else { continue }
            let increment = 1 / radius
            let samples = Int((maxRad.y - maxRad.x) / increment)
            var thetas: [Double] = []
            var values: [Double] = []
            if samples > 0 {
                for i in 0..<samples {
                    let angle = maxRad.x + Double(i) * increment
                    let x = Int((xOrigin + radius * sin(angle)).rounded())
                    let y = Int((yOrigin + radius * cos(angle)).rounded())
                    guard x >= 0, x < image.width, y >= 0, y < image.height else { continue }
                    thetas.append(angle)
                    values.append(image.value(x: x, y: y))
                }
            }
            var lefts: [Double] = [], rights: [Double] = []
            var valid = false
            if window < thetas.count {
                for j in window..<thetas.count {
                    var count = 0.0
                    for k in 0..<window where values[j - window + k] >= brightnessThreshold { count += 1 }
                    if !valid && count >= Double(window) / 2 {
                        lefts.append(thetas[j - window]); valid = true
                    } else if valid && count <= Double(window) / 2 {
                        rights.append(thetas[j - 1]); valid = false
                    }
                }
            }
            if lefts.count > rights.count { rights.append(maxRad.y) }
            var band = SIMD2<Double>(0, 0)
            for k in 0..<lefts.count where rights[k] - lefts[k] > band.y - band.x {
                band = SIMD2(lefts[k], rights[k])
            }
            if first || band.y - band.x > best.y - best.x { best = band }
            first = false
        }
        if best.x == 0 && best.y == 0 { return nil }
        var deg = SIMD2(best.x * 180 / .pi - marginDeg, best.y * 180 / .pi + marginDeg)
        deg.x = max(deg.x, maxFanAnglesDeg.x)
        deg.y = min(deg.y, maxFanAnglesDeg.y)
        return deg
    }
}
