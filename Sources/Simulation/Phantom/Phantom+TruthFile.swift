import Foundation
import Geometry

/// Why a ground-truth file could not be read.
public struct TruthFileError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

extension Phantom {
    /// Reads the phantom back from a `<name>.truth.json` written by `freehand simulate`
    /// (`SweepSimulator.groundTruthJSON()`), so tools can score against the noise-free phantom.
    public init(truthFile path: String) throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TruthFileError(path: path, reason: "cannot be read (\(error.localizedDescription))")
        }
        func fail(_ reason: String) -> TruthFileError { TruthFileError(path: path, reason: reason) }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let phantom = root["phantom"] as? [String: Any],
              let objects = phantom["objects"] as? [[String: Any]] else {
            throw fail("not a Freehand ground-truth file (no phantom.objects)")
        }
        func number(_ o: [String: Any], _ key: String) throws -> Double {
            guard let v = (o[key] as? NSNumber)?.doubleValue, v.isFinite else { throw fail("phantom field \(key) missing or not a finite number") }
            return v
        }
        func vector(_ o: [String: Any], _ key: String) throws -> SIMD3<Double> {
            guard let a = o[key] as? [NSNumber], a.count == 3, a.allSatisfy({ $0.doubleValue.isFinite }) else {
                throw fail("phantom field \(key) must be three finite numbers")
            }
            return SIMD3(a[0].doubleValue, a[1].doubleValue, a[2].doubleValue)
        }
        var parsed: [PhantomObject] = []
        for (i, o) in objects.enumerated() {
            let intensity = try number(o, "intensity")
            switch o["type"] as? String {
            case "sphere": parsed.append(.sphere(center: try vector(o, "center"), radius: try number(o, "radius"), intensity: intensity))
            case "wire": parsed.append(.wire(start: try vector(o, "start"), end: try vector(o, "end"), radius: try number(o, "radius"), intensity: intensity))
            case "slab": parsed.append(.slab(normal: try vector(o, "normal"), near: try number(o, "near"), far: try number(o, "far"), intensity: intensity))
            default: throw fail("phantom object #\(i + 1) has an unknown type (sphere, wire, slab)")
            }
        }
        self.init(objects: parsed, background: try number(phantom, "background"), speckle: try number(phantom, "speckle"))
    }

    /// The noise-free image a frame at `imageToReference` (pixel (x, y, 0) -> phantom mm) of
    /// `width` x `height` pixels would show, row by row, unquantised.
    public func groundTruthImage(imageToReference m: Transform3D, width: Int, height: Int) -> [Float] {
        var out = [Float](repeating: 0, count: width * height)
        var row = [Float](repeating: 0, count: width)
        let step = m.applyToVector(SIMD3(1, 0, 0))
        for y in 0..<height {
            for x in 0..<width { row[x] = Float(background) }
            paintRow(&row, origin: m.apply(SIMD3(0, Double(y), 0)), step: step)
            for x in 0..<width { out[y * width + x] = row[x] }
        }
        return out
    }
}
