import ArgumentParser
import Foundation
import Imaging
import Reslicing

/// `--size WxH`.
struct PixelSizeArgument: ExpressibleByArgument {
    var value: SIMD2<Int>
    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x")
        guard parts.count == 2, let w = Int(parts[0]), let h = Int(parts[1]) else { return nil }
        value = SIMD2(w, h)
    }
}

/// `--up x,y,z`.
struct VectorArgument: ExpressibleByArgument {
    var value: SIMD3<Double>
    init?(argument: String) {
        let parts = argument.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, parts.allSatisfy(\.isFinite) else { return nil }
        value = SIMD3(parts[0], parts[1], parts[2])
    }
}

extension Interpolation: ExpressibleByArgument {}
extension PanoramaMode: ExpressibleByArgument {}
extension MappingTarget: ExpressibleByArgument {}
