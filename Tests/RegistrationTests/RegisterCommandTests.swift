import Foundation
import FreehandTestSupport
import Registration
import Testing

/// `freehand register` and bad transform inputs, as a user runs them.
@Suite struct RegisterCommandTests {
    static func fcsv(_ points: [SIMD3<Double>], system: String, labels: [String]) -> String {
        var text = "# Markups fiducial file version = 4.11\n# CoordinateSystem = \(system)\n# columns = id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID\n"
        for (i, p) in points.enumerated() { text += "n\(i),\(p.x),\(p.y),\(p.z),0,0,0,1,1,1,0,\(labels[i]),,\n" }
        return text
    }

    @Test(.enabled(if: FreehandExecutable.isAvailable, "build the freehand executable first (scripts/test.sh does)"))
    func registersRASMarkupsByLabel() throws {
        let dir = PlusData.temporaryDirectory("freehand-register")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fixed: [SIMD3<Double>] = [SIMD3(0, 0, 0), SIMD3(40, 0, 0), SIMD3(0, 30, 0), SIMD3(0, 0, 20), SIMD3(15, 12, 9)]
        let shift = SIMD3<Double>(3, -4, 5)
        // Moving points listed in another order, in RAS: pairing must use the labels and convert to LPS.
        let moving = fixed.map { p in let q = p + shift; return SIMD3(-q.x, -q.y, q.z) }
        try Self.fcsv(fixed, system: "LPS", labels: ["A", "B", "C", "D", "E"]).write(to: dir.appendingPathComponent("f.fcsv"), atomically: true, encoding: .utf8)
        try Self.fcsv(Array(moving.reversed()), system: "RAS", labels: ["E", "D", "C", "B", "A"]).write(to: dir.appendingPathComponent("m.fcsv"), atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("t.tfm").path
        let run = try FreehandExecutable.run(["register", "--fixed", dir.appendingPathComponent("f.fcsv").path,
                                              "--moving", dir.appendingPathComponent("m.fcsv").path, "--model", "rigid", "-o", out])
        #expect(run.status == 0, "\(run.output)")
        let t = try ITKTransformFile.parse(try String(contentsOfFile: out, encoding: .utf8), file: out)
        let d = t[0].apply(SIMD3(1, 2, 3)) - (SIMD3(1, 2, 3) + shift)
        #expect((d * d).sum().squareRoot() < 1e-9)
        #expect(run.output.contains("leave-one-out"))
        // Mismatched lists: a clear error, nothing written.
        try Self.fcsv(Array(fixed.prefix(4)), system: "LPS", labels: ["1", "2", "3", "4"]).write(to: dir.appendingPathComponent("short.fcsv"), atomically: true, encoding: .utf8)
        let bad = dir.appendingPathComponent("bad.tfm").path
        let failed = try FreehandExecutable.run(["register", "--fixed", dir.appendingPathComponent("f.fcsv").path,
                                                 "--moving", dir.appendingPathComponent("short.fcsv").path, "--pairing", "order", "-o", bad])
        #expect(failed.status != 0 && failed.output.contains("5 points but the moving list has 4"), "\(failed.output)")
        #expect(!FileManager.default.fileExists(atPath: bad))
    }

    @Test func badTransformFilesAreRefused() throws {
        let dir = PlusData.temporaryDirectory("freehand-badtfm")
        defer { try? FileManager.default.removeItem(at: dir) }
        let singular = dir.appendingPathComponent("singular.txt").path
        try "1 0 0 0\n0 1 0 0\n0 0 0 0\n0 0 0 1\n".write(toFile: singular, atomically: true, encoding: .utf8)
        #expect(throws: RegistrationError.singular(source: singular)) { try TransformFile.resamplingSteps(singular) }
        let words = dir.appendingPathComponent("words.txt").path
        try "hello world\n".write(toFile: words, atomically: true, encoding: .utf8)
        #expect(throws: RegistrationError.self) { try TransformFile.resamplingSteps(words) }
        #expect(throws: RegistrationError.self) { try TransformFile.resamplingSteps(dir.appendingPathComponent("x.h5").path) }
        #expect(throws: RegistrationError.self) { try TransformFile.resamplingSteps(dir.appendingPathComponent("missing.tfm").path) }
    }
}
