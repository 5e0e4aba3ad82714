import Foundation
import Geometry
import Recordings

/// Reads the transforms `freehand resample` composes and writes the ones `freehand register`
/// computes.
///
/// A transform given on the command line moves the input volume (it is applied to the volume,
/// like 3D Slicer's transform hierarchy; several apply first to last). What resampling needs is
/// the opposite direction, output point -> input point, which each reader returns:
/// - an ITK `.tfm`/`.txt` file already stores that direction (3D Slicer's "from parent"), LPS;
/// - a 4x4 matrix text file (16 numbers, row-major; 12 for the top three rows) moves the volume in
///   LPS millimetres (`rasMatrix`: in RAS, as 3D Slicer's matrix view shows it), and is inverted;
/// - `config.xml:AToB` is PLUS device-set transform `AToB` (from `<CoordinateDefinitions>`,
///   composed through the repository when needed), which moves A coordinates to B, and is inverted.
public enum TransformFile {
    /// The output -> input chain for transforms `specs` applied to a volume in the order given
    /// (so the last one is undone first).
    public static func resamplingChain(applying specs: [String], rasMatrix: Bool = false) throws(RegistrationError) -> TransformChain {
        var steps: [SpatialTransform] = []
        for spec in specs.reversed() { steps += try resamplingSteps(spec, rasMatrix: rasMatrix) }
        return TransformChain(steps)
    }

    /// The resampling-direction steps of `spec`, in the order they apply to an output point.
    public static func resamplingSteps(_ spec: String, rasMatrix: Bool = false) throws(RegistrationError) -> [SpatialTransform] {
        if let colon = spec.lastIndex(of: ":"), spec[..<colon].lowercased().hasSuffix(".xml") {
            let path = String(spec[..<colon]), nameText = String(spec[spec.index(after: colon)...])
            guard let name = TransformName(nameText) else {
                throw .invalidFile(file: path, line: 0, reason: "'\(nameText)' is not a transform name like ImageToReference")
            }
            let matrix: Transform3D
            do {
                matrix = try DeviceSetConfiguration.load(path).transformRepository().transform(name).matrix
            } catch {
                throw .invalidFile(file: path, line: 0, reason: "\(error)")
            }
            guard let inverse = matrix.inverse else { throw .singular(source: spec) }
            return [.linear(inverse)]
        }
        let lower = spec.lowercased()
        if [".h5", ".hdf5", ".mat", ".nii", ".nii.gz", ".nrrd", ".mha"].contains(where: lower.hasSuffix) {
            throw .unknownTransformType(file: spec, type: "binary or displacement-field transform (" + (spec.split(separator: ".").last.map(String.init) ?? "") + ")")
        }
        let text = try read(spec)
        if ITKTransformFile.recognizes(text) { return try ITKTransformFile.parse(text, file: spec) }
        var numbers: [Double] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            for word in line.split(whereSeparator: { $0.isWhitespace || ",;[]()".contains($0) }) {
                guard let v = Double(word) else { throw .unknownTransformType(file: spec, type: "text with '\(word.prefix(40))'") }
                guard v.isFinite else {
                    throw .invalidFile(file: spec, line: index + 1, reason: "matrix element (row \(numbers.count / 4 + 1), column \(numbers.count % 4 + 1)) is '\(word.prefix(40))', not a finite number")
                }
                numbers.append(v)
            }
        }
        guard numbers.count == 16 || numbers.count == 12 else {
            throw .unknownTransformType(file: spec, type: "text with \(numbers.count) numbers (a 4x4 matrix has 16)")
        }
        if numbers.count == 12 { numbers += [0, 0, 0, 1] }
        guard numbers[12] == 0, numbers[13] == 0, numbers[14] == 0, numbers[15] == 1 else {
            throw .invalidFile(file: spec, line: 4, reason: "the last row of an affine matrix must be 0 0 0 1")
        }
        var matrix = Transform3D(rowMajor: numbers)
        if rasMatrix { matrix = rasToLPS * matrix * rasToLPS }
        guard let inverse = matrix.inverse, abs(matrix.linearDeterminant) > 1e-12 else { throw .singular(source: spec) }
        return [.linear(inverse)]
    }

    /// diag(-1, -1, 1, 1): RAS <-> LPS.
    static let rasToLPS = Transform3D.scaling(SIMD3(-1, -1, 1))

    /// Writes `transform` as an ITK transform file 3D Slicer loads (temporary name, then rename).
    public static func writeITK(_ transform: SpatialTransform, to path: String) throws(RegistrationError) {
        let lower = path.lowercased()
        guard lower.hasSuffix(".tfm") || lower.hasSuffix(".txt") else {
            throw .unknownTransformType(file: path, type: "output extension (write .tfm or .txt)")
        }
        let temporary = path + ".partial"
        do {
            try ITKTransformFile.text(transform).write(toFile: temporary, atomically: false, encoding: .utf8)
            if FileManager.default.fileExists(atPath: path) { _ = try FileManager.default.replaceItemAt(URL(fileURLWithPath: path), withItemAt: URL(fileURLWithPath: temporary)) }
            else { try FileManager.default.moveItem(atPath: temporary, toPath: path) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw .io(file: path, message: "cannot write: \(error.localizedDescription)")
        }
    }

    static func read(_ path: String) throws(RegistrationError) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { throw .io(file: path, message: "cannot open") }
        if let size = attributes[.size] as? Int, size > 64 << 20 { throw .io(file: path, message: "\(size) bytes is too large for a transform file") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(file: path, message: "cannot read") }
        return String(decoding: data, as: UTF8.self)
    }
}
