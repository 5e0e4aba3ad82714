import Geometry

/// ITK's text transform files (`.tfm`, `.txt`: `#Insight Transform File V1.0`), as 3D Slicer saves
/// and loads them. A file holds the resampling direction (3D Slicer's "from parent"): it maps
/// points of the output (fixed) space to the input (moving) image, in LPS millimetres.
public enum ITKTransformFile {
    /// Whether `text` looks like an ITK transform file.
    static func recognizes(_ text: String) -> Bool {
        text.hasPrefix("#Insight Transform File") || text.split(separator: "\n").contains { $0.hasPrefix("Transform:") }
    }

    /// The transforms of the file in the order they apply to a point (ITK composite transforms
    /// apply their last entry first).
    public static func parse(_ text: String, file: String) throws(RegistrationError) -> [SpatialTransform] {
        var entries: [(type: String, line: Int, parameters: [Double]?, fixed: [Double]?)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingSpaces
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw .invalidFile(file: file, line: index + 1, reason: "expected 'Transform:', 'Parameters:' or 'FixedParameters:'")
            }
            let key = String(line[..<colon]), value = line[line.index(after: colon)...]
            switch key {
            case "Transform": entries.append((String(value).trimmingSpaces, index + 1, nil, nil))
            case "Parameters", "FixedParameters":
                guard !entries.isEmpty else { throw .invalidFile(file: file, line: index + 1, reason: "\(key) before any 'Transform:'") }
                var numbers: [Double] = []
                for word in value.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }) {
                    guard let v = Double(word), v.isFinite else { throw .invalidFile(file: file, line: index + 1, reason: "'\(word)' is not a finite number") }
                    numbers.append(v)
                }
                if key == "Parameters" { entries[entries.count - 1].parameters = numbers } else { entries[entries.count - 1].fixed = numbers }
            default:
                throw .invalidFile(file: file, line: index + 1, reason: "unknown field '\(key)'")
            }
        }
        guard !entries.isEmpty else { throw .invalidFile(file: file, line: 1, reason: "no 'Transform:' line") }
        var transforms: [SpatialTransform] = []
        for e in entries {
            let base = e.type.split(separator: "_").first.map(String.init) ?? e.type
            if base == "CompositeTransform" { continue }
            guard e.type.hasSuffix("_3_3") || e.type.hasSuffix("_3") else { throw .unknownTransformType(file: file, type: e.type) }
            let p = e.parameters ?? [], f = e.fixed ?? []
            func need(_ n: Int, _ values: [Double], _ what: String) throws(RegistrationError) {
                if values.count != n { throw .invalidFile(file: file, line: e.line, reason: "\(e.type) needs \(n) \(what), got \(values.count)") }
            }
            func centred(_ linear: [Double], _ t: SIMD3<Double>) throws(RegistrationError) -> SpatialTransform {
                let c = f.count >= 3 ? SIMD3(f[0], f[1], f[2]) : .zero
                let m = Transform3D(linear: linear, translation: .zero)
                return .linear(Transform3D(linear: linear, translation: t + c - m.applyToVector(c)))
            }
            switch base {
            case "AffineTransform", "MatrixOffsetTransformBase":
                try need(12, p, "parameters")
                transforms.append(try centred(Array(p[0..<9]), SIMD3(p[9], p[10], p[11])))
            case "TranslationTransform":
                try need(3, p, "parameters")
                transforms.append(.linear(.translation(SIMD3(p[0], p[1], p[2]))))
            case "VersorRigid3DTransform", "Similarity3DTransform":
                try need(base == "VersorRigid3DTransform" ? 6 : 7, p, "parameters")
                let v = SIMD3(p[0], p[1], p[2]), s = p.count == 7 ? p[6] : 1
                let norm2 = (v * v).sum()
                guard norm2 <= 1 + 1e-12 else { throw .invalidFile(file: file, line: e.line, reason: "versor longer than 1") }
                let w = max(0, 1 - norm2).squareRoot()
                let r = Quaternion(x: v.x, y: v.y, z: v.z, w: w).transform(translation: .zero).elements
                transforms.append(try centred([0, 1, 2, 4, 5, 6, 8, 9, 10].map { r[$0] * s }, SIMD3(p[3], p[4], p[5])))
            case "ThinPlateSplineKernelTransform", "ThinPlateR2LogRSplineKernelTransform":
                guard p.count == f.count, p.count % 3 == 0 else {
                    throw .invalidFile(file: file, line: e.line, reason: "\(e.type) needs as many target as source landmark coordinates, a multiple of 3")
                }
                let points = { (a: [Double]) in stride(from: 0, to: a.count, by: 3).map { SIMD3(a[$0], a[$0 + 1], a[$0 + 2]) } }
                let kernel: ThinPlateSpline.Kernel = base == "ThinPlateSplineKernelTransform" ? .r : .r2LogR
                transforms.append(.thinPlate(try ThinPlateSpline(source: points(f), target: points(p), kernel: kernel)))
            default:
                throw .unknownTransformType(file: file, type: e.type)
            }
        }
        return transforms.reversed()
    }

    /// The file text for `transform`: `AffineTransform_double_3_3` (centre 0) for a linear one,
    /// the ITK kernel transform for a thin-plate spline (fixed parameters: source landmarks,
    /// parameters: target landmarks).
    public static func text(_ transform: SpatialTransform) -> String {
        let numbers = { (values: [Double]) in values.map { "\($0 == 0 ? 0 : $0)" }.joined(separator: " ") }
        var out = "#Insight Transform File V1.0\n#Transform 0\n"
        switch transform {
        case .linear(let m):
            let e = m.elements
            out += "Transform: AffineTransform_double_3_3\n"
            out += "Parameters: " + numbers([e[0], e[1], e[2], e[4], e[5], e[6], e[8], e[9], e[10], e[3], e[7], e[11]]) + "\n"
            out += "FixedParameters: 0 0 0\n"
        case .thinPlate(let s):
            out += "Transform: \(s.kernel.itkName)_double_3_3\n"
            out += "Parameters: " + numbers(s.target.flatMap { [$0.x, $0.y, $0.z] }) + "\n"
            out += "FixedParameters: " + numbers(s.source.flatMap { [$0.x, $0.y, $0.z] }) + "\n"
        }
        return out
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
