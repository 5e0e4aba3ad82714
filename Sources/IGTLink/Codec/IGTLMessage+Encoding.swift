import Geometry
import Imaging

extension IGTLMessage {
    /// The message as it goes on the wire: header plus body.
    ///
    /// - Parameters:
    ///   - headerVersion: 1 or 2; nil uses `self.headerVersion`. Version 2 adds the extended
    ///     header, `messageID` and `metadata`. COMMAND and RTS_COMMAND require version 2.
    ///   - computeCRC: fill in the CRC (true) or send 0 like PLUS.
    /// - Throws: `IGTLError.invalidValue` when a field does not fit its wire size.
    public func encoded(headerVersion: UInt16? = nil, computeCRC: Bool = true) throws(IGTLError) -> [UInt8] {
        try frame(headerVersion: headerVersion, computeCRC: computeCRC).bytes
    }

    /// The message as a frame (header and body bytes).
    public func frame(headerVersion: UInt16? = nil, computeCRC: Bool = true) throws(IGTLError) -> IGTLFrame {
        let version = headerVersion ?? self.headerVersion
        let ctx = context
        guard version == 1 || version == 2 else {
            throw .invalidValue(ctx, field: "V", reason: "header version \(version); only 1 and 2 exist")
        }
        let type = typeName
        guard !type.isEmpty, type.utf8.count <= 12, type.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw .invalidValue(ctx, field: "TYPE", reason: "must be 1 to 12 printable ASCII characters")
        }
        let device = Array(deviceName.utf8)
        guard device.count <= 20 else {
            throw .invalidValue(ctx, field: "DEVICE_NAME", reason: "is \(device.count) bytes of UTF-8, at most 20 fit (send the full name in metadata)")
        }
        let content = try body.encodedContent(context: ctx, headerVersion: version)
        var bytes: [UInt8]
        if version == 2 {
            var metaHeader: [UInt8] = []
            var metaBody: [UInt8] = []
            guard metadata.count <= Int(UInt16.max) else {
                throw .invalidValue(ctx, field: "INDEX_COUNT", reason: "\(metadata.count) metadata entries, at most 65535")
            }
            metaHeader.appendBigEndian(UInt16(metadata.count))
            for item in metadata {
                let key = Array(item.key.utf8)
                guard let value = IGTLTextEncoding.encode(item.value, encoding: item.encoding) else {
                    throw .invalidText(ctx, field: "metadata value of \(item.key)", encoding: item.encoding)
                }
                guard key.count <= Int(UInt16.max), value.count <= Int(UInt32.max) else {
                    throw .invalidValue(ctx, field: "metadata \(item.key)", reason: "key or value too long")
                }
                metaHeader.appendBigEndian(UInt16(key.count))
                metaHeader.appendBigEndian(item.encoding)
                metaHeader.appendBigEndian(UInt32(value.count))
                metaBody += key
                metaBody += value
            }
            guard metaHeader.count <= Int(UInt16.max), metaBody.count <= Int(UInt32.max) else {
                throw .invalidValue(ctx, field: "META_HEADER_SIZE", reason: "metadata too large")
            }
            bytes = []
            bytes.reserveCapacity(12 + content.count + metaHeader.count + metaBody.count)
            bytes.appendBigEndian(UInt16(12))
            bytes.appendBigEndian(UInt16(metaHeader.count))
            bytes.appendBigEndian(UInt32(metaBody.count))
            bytes.appendBigEndian(messageID)
            bytes += content
            bytes += metaHeader
            bytes += metaBody
        } else {
            bytes = content
        }
        let header = IGTLHeader(version: version, typeName: type, deviceNameBytes: device, timestamp: timestamp,
                                bodySize: UInt64(bytes.count), crc: computeCRC ? IGTLCRC.compute(bytes) : 0)
        return IGTLFrame(header: header, body: bytes)
    }
}

extension IGTLBody {
    /// The content bytes (without v2 extended header and metadata).
    func encodedContent(context ctx: IGTLMessageContext, headerVersion: UInt16) throws(IGTLError) -> [UInt8] {
        switch self {
        case .image(let image):
            return try Self.encodeImage(image, ctx)
        case .transform(let t):
            return WireCLayer.encodeTransform(Self.wireFloats(t))
        case .position(let p):
            var f = [p.position.x, p.position.y, p.position.z]
            switch p.layout {
            case .positionOnly: break
            case .quaternion3: f += [p.quaternion.x, p.quaternion.y, p.quaternion.z]
            case .full: f += [p.quaternion.x, p.quaternion.y, p.quaternion.z, p.quaternion.w]
            }
            return WireCLayer.encodePosition(f)
        case .trackingData(let tools):
            var out: [UInt8] = []
            out.reserveCapacity(tools.count * WireCLayer.trackingElementSize)
            for tool in tools {
                let name = Array(tool.name.utf8)
                guard name.count <= 20 else { throw .invalidValue(ctx, field: "tool name", reason: "\"\(tool.name)\" is longer than 20 bytes") }
                out += WireCLayer.encodeTrackingElement(name: name, type: tool.type, reserved: 0, matrix: Self.wireFloats(tool.transform))
            }
            return out
        case .status(let s):
            let name = Array(s.errorName.utf8)
            guard name.count <= 20 else { throw .invalidValue(ctx, field: "error name", reason: "longer than 20 bytes") }
            return WireCLayer.encodeStatusHeader(code: s.code, subcode: s.subcode, errorName: name) + Array(s.message.utf8) + [0]
        case .string(let s):
            guard let bytes = IGTLTextEncoding.encode(s.text, encoding: s.encoding) else {
                throw .invalidText(ctx, field: "string text", encoding: s.encoding)
            }
            guard bytes.count <= Int(UInt16.max) else {
                throw .invalidValue(ctx, field: "string length", reason: "\(bytes.count) bytes, at most 65535")
            }
            return WireCLayer.encodeStringHeader(encoding: s.encoding, length: UInt16(bytes.count)) + bytes
        case .command(let c), .commandReply(let c):
            guard headerVersion >= 2 else { throw .headerVersion2Required(ctx) }
            let name = Array(c.name.utf8)
            guard name.count <= 128 else { throw .invalidValue(ctx, field: "COMMAND_NAME", reason: "longer than 128 bytes") }
            guard let text = IGTLTextEncoding.encode(c.text, encoding: c.encoding) else {
                throw .invalidText(ctx, field: "COMMAND text", encoding: c.encoding)
            }
            guard text.count <= Int(UInt32.max) else { throw .invalidValue(ctx, field: "LENGTH", reason: "text too long") }
            var out: [UInt8] = []
            out.reserveCapacity(138 + text.count)
            out.appendBigEndian(c.commandID)
            out.appendPadded(name, width: 128)
            out.appendBigEndian(c.encoding)
            out.appendBigEndian(UInt32(text.count))
            return out + text
        case .query(let q):
            return q.content
        case .unknown(_, let content):
            return content
        }
    }

    private static func encodeImage(_ image: IGTLImage, _ ctx: IGTLMessageContext) throws(IGTLError) -> [UInt8] {
        for a in 0..<3 {
            for (name, v) in [("size", image.size[a]), ("sub-volume offset", image.subvolumeOffset[a]), ("sub-volume size", image.subvolumeSize[a])]
                where v < 0 || v > Int(UInt16.max) {
                throw .invalidValue(ctx, field: name, reason: "axis \(a) is \(v), must be 0...65535")
            }
            guard image.subvolumeOffset[a] + image.subvolumeSize[a] <= image.size[a] else {
                throw .invalidValue(ctx, field: "sub-volume", reason: "axis \(a) exceeds the image size")
            }
        }
        guard image.components >= 1, image.components <= 255 else {
            throw .invalidValue(ctx, field: "number of components", reason: "\(image.components), must be 1...255")
        }
        guard image.matrix.count == 12 else { throw .invalidValue(ctx, field: "matrix", reason: "needs 12 floats") }
        guard image.pixels.count == image.expectedPixelByteCount else {
            throw .invalidValue(ctx, field: "pixel data", reason: "\(image.pixels.count) bytes, the sub-volume needs \(image.expectedPixelByteCount)")
        }
        let u16 = { (v: SIMD3<Int>) in (UInt16(v.x), UInt16(v.y), UInt16(v.z)) }
        var out = WireCLayer.encodeImageHeader(.init(
            version: 1, components: UInt8(image.components), scalarType: image.scalarType.igtlCode,
            endian: image.endianness.rawValue, coordinate: image.coordinateSystem.rawValue, size: u16(image.size),
            matrix: image.matrix, subvolumeOffset: u16(image.subvolumeOffset), subvolumeSize: u16(image.subvolumeSize)))
        if image.scalarType.byteCount > 1 && (image.endianness == .little) != hostIsLittleEndian {
            var swapped = image.pixels
            swapped.swapByteOrder(scalarWidth: image.scalarType.byteCount)
            out += swapped
        } else {
            out += image.pixels
        }
        return out
    }
}
