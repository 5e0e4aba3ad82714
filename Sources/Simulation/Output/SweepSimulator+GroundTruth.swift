import Geometry

extension SweepSimulator {
    /// The ground truth of the sweep as JSON: the phantom objects (Reference mm), the
    /// calibration, the fixed reference pose, the trajectory and the imaging parameters, so an
    /// external tool can score a reconstruction without this code.
    public func groundTruthJSON() -> String {
        func vector(_ v: SIMD3<Double>) -> String { "[\(formatNumber(v.x)), \(formatNumber(v.y)), \(formatNumber(v.z))]" }
        func matrix(_ t: Transform3D) -> String { "[" + t.elements.map(formatNumber).joined(separator: ", ") + "]" }
        func n(_ v: Double) -> String { formatNumber(v) }
        let objects = phantom.objects.map { object -> String in
            switch object {
            case let .sphere(c, r, i):
                return "{\"type\": \"sphere\", \"center\": \(vector(c)), \"radius\": \(n(r)), \"intensity\": \(n(i))}"
            case let .wire(a, b, r, i):
                return "{\"type\": \"wire\", \"start\": \(vector(a)), \"end\": \(vector(b)), \"radius\": \(n(r)), \"intensity\": \(n(i))}"
            case let .slab(nv, near, far, i):
                return "{\"type\": \"slab\", \"normal\": \(vector(nv)), \"near\": \(n(near)), \"far\": \(n(far)), \"intensity\": \(n(i))}"
            }
        }
        let t = trajectory
        return """
        {
          "description": "Freehand simulated sweep. Phantom coordinates are the Reference frame (mm). Intensity at a point is that of the last listed object containing it, else the background; frames multiply it by speckle of the given relative standard deviation and round to uint8. Transforms are row-major 4x4. Image pixel (i, j) maps to ImageToProbe * (i, j, 0, 1).",
          "phantom": {
            "frame": "Reference",
            "background": \(n(phantom.background)),
            "speckle": \(n(phantom.speckle)),
            "objects": [
              \(objects.joined(separator: ",\n      "))
            ]
          },
          "probe": {
            "width": \(probe.width), "height": \(probe.height),
            "pixelSpacing": [\(n(probe.spacing.x)), \(n(probe.spacing.y))],
            "ImageToProbe": \(matrix(probe.imageToProbe))
          },
          "ReferenceToTracker": \(matrix(referenceToTracker)),
          "trajectory": {
            "start": \(vector(t.start)), "end": \(vector(t.end)),
            "translationWobble": [\(n(t.translationWobble.x)), \(n(t.translationWobble.y))],
            "rotationWobbleDegrees": \(vector(t.rotationWobbleDegrees)),
            "wobbleCycles": \(n(t.wobbleCycles)), "seed": \(t.seed)
          },
          "frameCount": \(frameCount), "frameRate": \(n(frameRate)), "startTime": \(n(startTime)),
          "invalidFrames": [\(invalidFrames.sorted().map(String.init).joined(separator: ", "))],
          "noiseSeed": \(noiseSeed)
        }

        """
    }
}
