#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Geometry
import Recordings

/// Why a spacing could not be written into a device-set file.
public enum SpacingApplyError: Error, Sendable, Hashable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case notADeviceSet(path: String, reason: String)
    case noImageToProbe(path: String, name: String)
    case implausibleSpacing(Double)
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(p, r): return "cannot read \(p): \(r)"
        case let .notADeviceSet(p, r): return "\(p) is not a PLUS device-set configuration (\(r)); --apply writes into the <CoordinateDefinitions> of one, never into a recording"
        case let .noImageToProbe(p, n): return "\(p) has no <Transform From=... To=...> for \(n) in <CoordinateDefinitions>: nothing to rescale (use --output to save the spacing as a new fragment)"
        case let .implausibleSpacing(s): return "refusing to write \(formatted(s, decimals: 4)) mm/px: outside \(formatted(SpacingPlausibility.spacing.lowerBound))...\(formatted(SpacingPlausibility.spacing.upperBound)) mm/px"
        case let .cannotWrite(p, r): return "cannot write \(p): \(r)"
        }
    }
}

extension ImageToProbeSpacing {
    /// Writes `spacing` (mm/px) into the ImageToProbe of the device-set file at `path`: only the
    /// numbers of that transform's `Matrix` attribute change (scale part; rotation, translation and
    /// every other byte of the file are kept). The file is replaced through a temporary file.
    /// - Returns: the ImageToProbe before and after.
    @discardableResult
    public static func apply(spacing: Double, toConfiguration path: String) throws(SpacingApplyError) -> (old: Transform3D, new: Transform3D) {
        guard spacing.isFinite, SpacingPlausibility.spacing.contains(spacing) else { throw .implausibleSpacing(spacing) }
        let configuration: DeviceSetConfiguration
        do { configuration = try DeviceSetConfiguration.load(path) } catch { throw .notADeviceSet(path: path, reason: "\(error)") }
        guard configuration.root.name == "PlusConfiguration" || configuration.root.first("CoordinateDefinitions") != nil else {
            throw .notADeviceSet(path: path, reason: "no <CoordinateDefinitions>")
        }
        guard let current = ImageToProbeSpacing(configuration: configuration) else {
            let e = configuration.root.first("vtkPlusProbeCalibrationAlgo")
            throw .noImageToProbe(path: path, name: "\(e?[attribute: "ImageCoordinateFrame"] ?? "Image")To\(e?[attribute: "ProbeCoordinateFrame"] ?? "Probe")")
        }
        let bytes = try readAll(path)
        guard let range = matrixValueRange(in: bytes, from: current.name.from, to: current.name.to) else {
            throw .noImageToProbe(path: path, name: current.name.description)
        }
        let new = current.rescaled(to: spacing)
        let replaced = replaceNumbers(in: Array(bytes[range]), with: new.elements)
        if let reason = AtomicFileWriter.write(Array(bytes[..<range.lowerBound]) + replaced + Array(bytes[range.upperBound...]), to: path) {
            throw .cannotWrite(path: path, reason: reason)
        }
        return (current.matrix, new)
    }

    static func readAll(_ path: String) throws(SpacingApplyError) -> [UInt8] {
        guard let f = fopen(path, "rb") else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(f) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n > 0 { out += chunk[0..<n] }
            if n < chunk.count { break }
            if out.count > 64 << 20 { throw .unreadable(path: path, reason: "larger than 64 MiB: not a device-set configuration") }
        }
        return out
    }

    /// The byte range of the `Matrix` attribute's value in the `<Transform>` tag with these frames.
    static func matrixValueRange(in bytes: [UInt8], from: String, to: String) -> Range<Int>? {
        let open = Array("<Transform".utf8)
        var i = 0
        while i + open.count < bytes.count {
            guard Array(bytes[i..<(i + open.count)]) == open, bytes[i + open.count] == 0x20 || bytes[i + open.count] == 0x0A
                || bytes[i + open.count] == 0x09 || bytes[i + open.count] == 0x0D else { i += 1; continue }
            var end = i + open.count
            var quote: UInt8?
            while end < bytes.count {
                let c = bytes[end]
                if let q = quote { if c == q { quote = nil } } else if c == 0x22 || c == 0x27 { quote = c } else if c == 0x3E { break }
                end += 1
            }
            let attributes = attributeRanges(bytes, (i + open.count)..<end)
            func value(_ name: String) -> String? { attributes[name].map { String(decoding: bytes[$0], as: UTF8.self) } }
            if value("From") == from, value("To") == to, let m = attributes["Matrix"] { return m }
            i = end
        }
        return nil
    }

    /// Attribute name -> value byte range, inside a tag.
    private static func attributeRanges(_ b: [UInt8], _ r: Range<Int>) -> [String: Range<Int>] {
        var out: [String: Range<Int>] = [:]
        var i = r.lowerBound
        while i < r.upperBound {
            while i < r.upperBound, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x09 || b[i] == 0x0D || b[i] == 0x2F { i += 1 }
            let nameStart = i
            while i < r.upperBound, b[i] != 0x3D, b[i] != 0x20, b[i] != 0x0A, b[i] != 0x09, b[i] != 0x0D { i += 1 }
            let name = String(decoding: b[nameStart..<i], as: UTF8.self)
            while i < r.upperBound, b[i] != 0x22, b[i] != 0x27 { i += 1 }
            guard i < r.upperBound else { break }
            let q = b[i]
            i += 1
            let valueStart = i
            while i < r.upperBound, b[i] != q { i += 1 }
            out[name] = valueStart..<i
            i += 1
        }
        return out
    }

    /// The value's text with its numbers replaced by `numbers` in order, whitespace kept.
    static func replaceNumbers(in value: [UInt8], with numbers: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        var k = 0, i = 0
        while i < value.count {
            let c = value[i]
            if c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D { out.append(c); i += 1; continue }
            while i < value.count, !(value[i] == 0x20 || value[i] == 0x0A || value[i] == 0x09 || value[i] == 0x0D) { i += 1 }
            out += Array((k < numbers.count ? formatNumber(numbers[k]) : "").utf8)
            k += 1
        }
        return out
    }
}
