// libFuzzer entry point for IGTLStreamDecoder, the one OpenIGTLink decoder (the transport's
// ByteToMessageDecoder drives the same decode step); built by run.sh, not part of the test target.
// Decodes arbitrary bytes as an OpenIGTLink stream, re-encodes what decodes, converts images.
import IGTLinkFuzzed

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var decoder = IGTLStreamDecoder(options: IGTLDecodingOptions(maxBodySize: 1 << 20))
    decoder.append(bytes)
    do {
        while let r = try decoder.next() {
            if case .message(let m) = r {
                _ = try? m.encoded()
                if case .image(let image) = m.body { _ = try? image.image() }
            }
        }
    } catch {}
    return 0
}
