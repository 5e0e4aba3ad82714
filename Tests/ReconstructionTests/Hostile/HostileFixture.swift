import Foundation
import FreehandTestSupport
import Geometry
import Imaging
import Recordings
import Simulation

/// A fresh folder holding a small simulated sweep (`sweep.igs.mha`, uncompressed so its header
/// can be edited as text) and its configuration (`sweep.config.xml`), for hostile-input cases.
struct HostileFixture {
    let dir: URL

    /// 24 frames of 48x40 pixels (0.8 mm), reconstructed at 1 mm.
    static let simulator = SweepSimulator(probe: LinearProbe(width: 48, height: 40, spacing: SIMD2(0.8, 0.8)), frameCount: 24)
    static let sequence: TrackedSequence = simulator.makeSequence()
    static let config: String = simulator.deviceSetConfiguration(outputSpacing: 1)

    init(_ name: String) throws {
        dir = PlusData.temporaryDirectory("hostile-\(name)")
        try Self.write(Self.sequence, to: path("sweep.igs.mha"))
        try Self.config.write(toFile: path("sweep.config.xml"), atomically: false, encoding: .utf8)
    }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    static func write(_ sequence: TrackedSequence, to path: String) throws {
        try SequenceFile.write(sequence, to: path, compressed: false)
    }

    /// Rewrites `sweep.config.xml` through `edit`.
    func editConfig(_ edit: (String) -> String) throws {
        let current = try String(contentsOfFile: path("sweep.config.xml"), encoding: .utf8)
        try edit(current).write(toFile: path("sweep.config.xml"), atomically: false, encoding: .utf8)
    }

    /// Replaces one attribute of the configuration (`name="..."` -> `name="value"`), or adds it
    /// to `<VolumeReconstruction>` when absent.
    func setAttribute(_ name: String, _ value: String) throws {
        try editConfig { text in
            if let r = text.range(of: " \(name)=\"[^\"]*\"", options: .regularExpression) {
                return text.replacingCharacters(in: r, with: " \(name)=\"\(value)\"")
            }
            return text.replacingOccurrences(of: "<VolumeReconstruction", with: "<VolumeReconstruction \(name)=\"\(value)\"")
        }
    }

    /// Rewrites the header of `sweep.igs.mha` (the text before the pixel data) through `edit`.
    func editHeader(_ edit: (String) -> String) throws {
        let url = URL(fileURLWithPath: path("sweep.igs.mha"))
        let data = try Data(contentsOf: url)
        let marker = Data("ElementDataFile = LOCAL\n".utf8)
        let end = data.range(of: marker)!.upperBound
        let header = String(decoding: data[..<end], as: UTF8.self)
        try (Data(edit(header).utf8) + data[end...]).write(to: url)
    }

    /// Replaces the value of one per-frame field.
    func setFrameField(_ frame: Int, _ name: String, _ value: String) throws {
        let key = "Seq_Frame" + String(format: "%04d", frame) + "_" + name
        try editHeader { header in
            let r = header.range(of: key + " = [^\n]*", options: .regularExpression)!
            return header.replacingCharacters(in: r, with: key + " = " + value)
        }
    }

    /// Removes one per-frame field line.
    func removeFrameField(_ frame: Int, _ name: String) throws {
        let key = "Seq_Frame" + String(format: "%04d", frame) + "_" + name
        try editHeader { header in
            let r = header.range(of: key + " = [^\n]*\n", options: .regularExpression)!
            return header.replacingCharacters(in: r, with: "")
        }
    }

    /// Regular files in the folder (recursively) with their contents' checksums; FIFOs and
    /// devices are listed without reading them.
    func snapshot() -> [String: String] {
        var result: [String: String] = [:]
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: dir.path) else { return result }
        while let name = e.nextObject() as? String {
            let p = dir.appendingPathComponent(name).path
            let type = (try? fm.attributesOfItem(atPath: p)[.type] as? FileAttributeType) ?? nil
            if type == .typeRegular, let data = fm.contents(atPath: p) {
                var h: UInt64 = 0xcbf29ce484222325
                for b in data { h = (h ^ UInt64(b)) &* 0x100000001b3 }
                result[name] = "\(data.count):\(h)"
            } else {
                result[name] = "\(type?.rawValue ?? "?")"
            }
        }
        return result
    }
}
