#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension PhantomObject {
    /// A tube of `radius` around the polyline `points`: one wire per segment and a ball at every
    /// point, so the union is exactly the set of points within `radius` of the polyline (bends
    /// have no gaps). Paint these in order like any other objects.
    public static func tube(through points: [SIMD3<Double>], radius: Double, intensity: Double) -> [PhantomObject] {
        var objects: [PhantomObject] = []
        for i in points.indices {
            objects.append(.sphere(center: points[i], radius: radius, intensity: intensity))
            if i + 1 < points.count { objects.append(.wire(start: points[i], end: points[i + 1], radius: radius, intensity: intensity)) }
        }
        return objects
    }
}

extension Phantom {
    /// Points on a helix around the line through `center` along z: radius `radius`, rising
    /// `pitch` mm per turn, `turns` turns starting at angle 0 (at `center + (radius, 0, 0)`),
    /// `pointsPerTurn` points per turn (both ends included).
    public static func helixPoints(center: SIMD3<Double>, radius: Double, pitch: Double, turns: Double,
                                   pointsPerTurn: Int = 180) -> [SIMD3<Double>] {
        let count = max(2, Int((turns * Double(pointsPerTurn)).rounded()) + 1)
        return (0..<count).map { i in
            let turn = turns * Double(i) / Double(count - 1)
            let angle = 2 * Double.pi * turn
            return center + SIMD3(radius * cos(angle), radius * sin(angle), pitch * turn)
        }
    }

    /// A helix-shaped tube (a coiled vessel) in a uniform background, for testing curved
    /// reslicing: its centreline is `helixPoints(...)` with 180 points per turn (the polyline
    /// is within radius * (1 - cos 1 deg) = 1.5e-4 * radius of the true helix).
    public static func helixTube(center: SIMD3<Double> = SIMD3(0, 0, 0), radius: Double = 12, pitch: Double = 20,
                                 turns: Double = 1.5, tubeRadius: Double = 2.5, intensity: Double = 220,
                                 background: Double = 40) -> Phantom {
        let points = helixPoints(center: center, radius: radius, pitch: pitch, turns: turns)
        return Phantom(objects: PhantomObject.tube(through: points, radius: tubeRadius, intensity: intensity),
                       background: background, speckle: 0)
    }
}
