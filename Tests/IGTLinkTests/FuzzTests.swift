import Foundation
import Geometry
import Testing
@testable import IGTLink

/// Property test: random mutations of valid messages never crash the decoder, never make it
/// hold more than the limit, and either decode, skip (stream survives) or fail fatally (and
/// the decoder then refuses further input).
@Suite struct FuzzTests {
    static let corpusFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzCorpus")

    enum Outcome: Equatable { case decoded, skipped, fatal }

    /// How the decoder is driven: standalone (`append`/`next`, as the libFuzzer harness does)
    /// or inside SwiftNIO's `ByteToMessageHandler` (as every client and server connection does).
    enum Path: CaseIterable { case standalone, pipeline }

    /// Feeds `bytes` in random-sized pieces, then a valid trailer message; checks the invariants.
    static func exercise(_ bytes: [UInt8], rng: inout SplitMix64, options: IGTLDecodingOptions, path: Path = .standalone) -> Outcome {
        var decoder = IGTLStreamDecoder(options: options)
        let pipeline = path == .pipeline ? try! PipelineDecoder(options: options) : nil
        var outcome = Outcome.decoded
        var offset = 0
        let trailer = try! IGTLMessage(deviceName: "Trailer", body: .status(.ok)).encoded()
        let stream = bytes + trailer
        var sawTrailer = false
        while offset < stream.count {
            let n = min(stream.count - offset, Int.random(in: 1...4096, using: &rng))
            let chunk = stream[offset..<(offset + n)]
            offset += n
            var results: [IGTLDecodeResult] = []
            do {
                if let pipeline {
                    results = try pipeline.feed(chunk)
                } else {
                    decoder.append(chunk)
                    while let r = try decoder.next() { results.append(r) }
                }
            } catch let error as IGTLError {
                #expect(error.isFatal)
                if pipeline == nil { #expect(throws: IGTLError.streamPoisoned) { _ = try decoder.next() } }
                return .fatal
            } catch {
                Issue.record("the decoder threw a non-IGTLError: \(error)")
                return .fatal
            }
            for r in results {
                switch r {
                case .message(let m):
                    if m.deviceName == "Trailer" { sawTrailer = true }
                    // Whatever decoded must re-encode (or fail with a typed error) without crashing.
                    _ = try? m.encoded()
                    if case .image(let image) = m.body { _ = try? image.image() }
                case .skipped(_, let error):
                    #expect(!error.isFatal)
                    #expect(!error.description.isEmpty)
                    if outcome == .decoded { outcome = .skipped }
                }
            }
            if pipeline == nil {
                #expect(decoder.bufferedByteCount <= options.maxBodySize + IGTLHeader.size + 4096 + trailer.count)
            }
        }
        // Without a fatal error the trailer arrives unless a mutated BODY_SIZE swallowed it.
        if !sawTrailer && outcome == .decoded && bytes.count >= IGTLHeader.size { return .skipped }
        return outcome
    }

    static func mutate(_ input: [UInt8], rng: inout SplitMix64) -> [UInt8] {
        var b = input
        let rounds = Int.random(in: 1...4, using: &rng)
        for _ in 0..<rounds {
            guard !b.isEmpty else { break }
            switch Int.random(in: 0..<7, using: &rng) {
            case 0:  // flip a bit anywhere
                let i = Int.random(in: 0..<b.count, using: &rng)
                b[i] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &rng)
            case 1:  // overwrite a header or extended-header byte (sizes, version, type)
                let i = Int.random(in: 0..<min(b.count, 58 + 40), using: &rng)
                b[i] = UInt8.random(in: 0...255, using: &rng)
            case 2:  // truncate
                b.removeLast(Int.random(in: 0...min(b.count, 64), using: &rng))
            case 3:  // insert junk
                b.insert(contentsOf: (0..<Int.random(in: 1...16, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) },
                         at: Int.random(in: 0...b.count, using: &rng))
            case 4:  // set a 32-bit field to an extreme value
                let i = Int.random(in: 0..<max(1, b.count - 4), using: &rng)
                let v: UInt32 = [0, 1, 0xFFFF, 0xFFFF_FFFF, 0x7FFF_FFFF].randomElement(using: &rng)!
                for k in 0..<min(4, b.count - i) { b[i + k] = UInt8(truncatingIfNeeded: v >> (24 - 8 * k)) }
            case 5:  // shrink BODY_SIZE by a little (keeps the rest plausible)
                if b.count >= 58 { b[57] = b[57] &- UInt8.random(in: 1...8, using: &rng) }
            default:  // fix the CRC so mutations reach the body parsers
                if b.count > 58, var h = try? IGTLHeader.parse(b) {
                    let bodyEnd = min(b.count, 58 + Int(min(h.bodySize, UInt64(b.count))))
                    h.crc = IGTLCRC.compute(b[58..<max(58, bodyEnd)])
                    b.replaceSubrange(0..<58, with: h.encoded())
                }
            }
        }
        return b
    }

    @Test func randomMutationsOfValidMessages() throws {
        var rng = SplitMix64(seed: 0x5EED_F12E_EAD0_0001)
        let seeds = try Samples.messages.map { try $0.encoded() }
        let options = IGTLDecodingOptions(maxBodySize: 1 << 20)
        var counts: [Outcome: Int] = [:]
        let iterations = 6000
        for n in 0..<iterations {
            let mutated = Self.mutate(seeds[n % seeds.count], rng: &rng)
            // Alternate the standalone API and the production NIO pipeline: one decoder, both drivers.
            let path: Path = n % 2 == 0 ? .pipeline : .standalone
            counts[Self.exercise(mutated, rng: &rng, options: options, path: path), default: 0] += 1
        }
        // All three outcomes are exercised.
        #expect(counts[.decoded, default: 0] > 0 && counts[.skipped, default: 0] > 0 && counts[.fatal, default: 0] > 0, "\(counts)")
    }

    /// Replays Tests/IGTLinkTests/FuzzCorpus: files named valid-*, skip-* and fatal-* must give
    /// that outcome.
    @Test func corpusReplay() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpusFolder.path).filter { $0.hasSuffix(".bin") }.sorted()
        #expect(files.count >= 20, "corpus missing at \(Self.corpusFolder.path)")
        var rng = SplitMix64(seed: 42)
        for name in files {
            let bytes = [UInt8](try Data(contentsOf: Self.corpusFolder.appendingPathComponent(name)))
            let expected: Outcome = name.hasPrefix("valid-") ? .decoded : name.hasPrefix("skip-") ? .skipped : .fatal
            for path in Path.allCases {
                let outcome = Self.exercise(bytes, rng: &rng, options: .standard, path: path)
                #expect(outcome == expected, "\(name) (\(path))")
            }
        }
    }

    /// Regenerates the corpus (run with FREEHAND_WRITE_FUZZ_CORPUS=1).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FREEHAND_WRITE_FUZZ_CORPUS"] == "1"))
    func writeCorpus() throws {
        try FileManager.default.createDirectory(at: Self.corpusFolder, withIntermediateDirectories: true)
        func write(_ name: String, _ bytes: [UInt8]) throws {
            try Data(bytes).write(to: Self.corpusFolder.appendingPathComponent(name + ".bin"))
        }
        for (i, m) in Samples.messages.enumerated() {
            try write(String(format: "valid-%02d-%@-v%d", i, m.typeName, m.headerVersion), try m.encoded())
        }
        let framed = HostileInputTests.framed
        var badCRC = try IGTLMessage(deviceName: "Tracker", body: .transform(Samples.rotation)).encoded()
        badCRC[70] ^= 1
        try write("skip-bad-crc", badCRC)
        try write("skip-string-length", framed("STRING", "Text", [0, 3, 0, 50] + Array("short".utf8), 1, true))
        try write("skip-bad-utf8", framed("STRING", "Text", [0, 106, 0, 2, 0xC3, 0x28], 1, true))
        try write("skip-transform-47", framed("TRANSFORM", "T", [UInt8](repeating: 0, count: 47), 1, true))
        var image = try IGTLMessage(deviceName: "US", body: .image(Samples.imageBody())).frame().body
        image.removeLast(3)
        try write("skip-image-truncated", framed("IMAGE", "US", image, 1, true))
        try write("skip-meta-overflow", framed("STRING", "M", [0, 12, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0], 2, true))
        try write("skip-transform-nan", try NonFiniteTests.poisoned(IGTLMessage(deviceName: "T", body: .transform(Samples.rotation)), version: 1, floatOffset: 0, .nan))
        try write("skip-image-inf", try NonFiniteTests.poisoned(IGTLMessage(deviceName: "US", body: .image(Samples.imageBody())), version: 2, floatOffset: 12 + 36, .infinity))
        try write("skip-command-v1", framed("COMMAND", "C", [UInt8](repeating: 0, count: 138), 1, true))
        try write("fatal-huge-body", IGTLHeader(version: 1, typeName: "IMAGE", deviceNameBytes: [65], timestamp: .zero, bodySize: 1 << 40, crc: 0).encoded())
        try write("fatal-version-0", [0, 0] + Array(try IGTLMessage(deviceName: "x", body: .status(.ok)).encoded().dropFirst(2)))
        try write("fatal-garbage", Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8) + [UInt8](repeating: 0x20, count: 40))
    }
}
