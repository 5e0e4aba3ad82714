import Geometry
import Imaging

/// Host byte order, to decide whether IMAGE pixels need swapping.
let hostIsLittleEndian = 1.littleEndian == 1

extension IGTLMessage {
    /// Decodes a framed message.
    ///
    /// Checks, in order: body length against BODY_SIZE, CRC (per `options`), DEVICE_NAME is
    /// UTF-8, the version 2 extended header and metadata sizes against BODY_SIZE, then the
    /// type's content. Unknown types become `.unknown` with their content kept raw.
    /// - Throws: a non-fatal `IGTLError` naming the message type, device and field.
    public init(frame: IGTLFrame, options: IGTLDecodingOptions = .standard) throws(IGTLError) {
        let header = frame.header
        self = try frame.body.withUnsafeBytes { body in
            Result { () throws(IGTLError) in try IGTLMessage(header: header, body: body, options: options) }
        }.get()
    }

    /// Decodes a message from its header and borrowed body bytes (the stream decoder's receive
    /// buffer): the one decoding path. Only what the message keeps is copied, pixels once.
    init(header: IGTLHeader, body all: UnsafeRawBufferPointer, options: IGTLDecodingOptions) throws(IGTLError) {
        let ctx = header.context
        guard UInt64(all.count) == header.bodySize else {
            throw .truncated(ctx, field: "body", needed: Int(clamping: header.bodySize), available: all.count)
        }
        if header.crc == 0 {
            if options.requireCRC { throw .missingCRC(ctx) }
        } else if options.verifyCRC {
            let computed = WireCLayer.crc64(all)
            guard computed == header.crc else { throw .crcMismatch(ctx, header: header.crc, computed: computed) }
        }
        guard let device = String(validating: header.deviceNameBytes, as: UTF8.self) else {
            throw .invalidText(ctx, field: "DEVICE_NAME", encoding: IGTLTextEncoding.utf8)
        }
        var content = all
        var messageID: UInt32 = 0
        var metadata: [IGTLMetadataItem] = []
        if header.version >= 2 {
            var r = BigEndianReader(all, context: ctx)
            let extSize = Int(try r.uint16("EXT_HEADER_SIZE"))
            let metaHeaderSize = Int(try r.uint16("META_HEADER_SIZE"))
            let metaSize = Int(try r.uint32("META_SIZE"))
            messageID = try r.uint32("MSG_ID")
            guard extSize >= 12 else {
                throw .inconsistentMetadata(ctx, field: "EXT_HEADER_SIZE", reason: "is \(extSize), at least 12 expected")
            }
            let total = all.count
            guard extSize <= total else {
                throw .inconsistentMetadata(ctx, field: "EXT_HEADER_SIZE", reason: "is \(extSize), more than BODY_SIZE \(total)")
            }
            guard metaHeaderSize + metaSize <= total - extSize else {
                throw .inconsistentMetadata(ctx, field: "META_HEADER_SIZE/META_SIZE",
                                            reason: "extended header \(extSize) + metadata header \(metaHeaderSize) + metadata \(metaSize) bytes exceed BODY_SIZE \(total)")
            }
            let contentEnd = total - metaHeaderSize - metaSize
            content = all.range(extSize..<contentEnd)
            metadata = try Self.decodeMetadata(header: all.range(contentEnd..<(contentEnd + metaHeaderSize)),
                                               values: all.tail(from: contentEnd + metaHeaderSize), context: ctx)
        }
        let body = try IGTLBody.decode(typeName: header.typeName, content: content, headerVersion: header.version,
                                       context: ctx, options: options)
        self.init(deviceName: device, timestamp: header.timestamp, body: body, headerVersion: header.version,
                  messageID: messageID, metadata: metadata)
    }

    /// Parses the metadata header (INDEX_COUNT, then KEY_SIZE, VALUE_ENCODING, VALUE_SIZE per
    /// entry) and the keys and values that follow.
    static func decodeMetadata(header: UnsafeRawBufferPointer, values: UnsafeRawBufferPointer, context ctx: IGTLMessageContext) throws(IGTLError) -> [IGTLMetadataItem] {
        if header.isEmpty {
            guard values.isEmpty else {
                throw .inconsistentMetadata(ctx, field: "META_SIZE", reason: "\(values.count) metadata bytes but no metadata header")
            }
            return []
        }
        var h = BigEndianReader(header, context: ctx)
        let count = Int(try h.uint16("INDEX_COUNT"))
        guard 2 + 8 * count <= header.count else {
            throw .inconsistentMetadata(ctx, field: "INDEX_COUNT", reason: "\(count) entries need \(2 + 8 * count) header bytes, META_HEADER_SIZE is \(header.count)")
        }
        var entries: [(key: Int, encoding: UInt16, value: Int)] = []
        var needed = 0
        for _ in 0..<count {
            let k = Int(try h.uint16("KEY_SIZE"))
            let e = try h.uint16("VALUE_ENCODING")
            let v = Int(try h.uint32("VALUE_SIZE"))
            entries.append((k, e, v))
            needed += k + v
        }
        guard needed == values.count else {
            throw .inconsistentMetadata(ctx, field: "META_SIZE", reason: "is \(values.count) but the metadata header lists \(needed) bytes of keys and values")
        }
        var r = BigEndianReader(values, context: ctx)
        var items: [IGTLMetadataItem] = []
        items.reserveCapacity(count)
        for entry in entries {
            let keyBytes = try r.take(entry.key, field: "metadata key")
            guard let key = String(validating: keyBytes, as: UTF8.self) else {
                throw .invalidText(ctx, field: "metadata key", encoding: IGTLTextEncoding.utf8)
            }
            let valueBytes = try r.take(entry.value, field: "metadata value of \(key)")
            guard let value = IGTLTextEncoding.decode(valueBytes, encoding: entry.encoding) else {
                throw .invalidText(ctx, field: "metadata value of \(key)", encoding: entry.encoding)
            }
            items.append(IGTLMetadataItem(key: key, value: value, encoding: entry.encoding))
        }
        return items
    }
}

extension IGTLBody {
    /// Decodes the content part of a body (v2 extended header and metadata already removed).
    static func decode(typeName: String, content: UnsafeRawBufferPointer, headerVersion: UInt16,
                       context ctx: IGTLMessageContext, options: IGTLDecodingOptions) throws(IGTLError) -> IGTLBody {
        switch typeName {
        case "IMAGE": return .image(try decodeImage(content, ctx, options))
        case "TRANSFORM":
            guard content.count == WireCLayer.transformSize else { throw sizeError(ctx, content.count, "48") }
            return .transform(try transform(fromWire: WireCLayer.decodeTransform(content), ctx, field: "matrix"))
        case "POSITION":
            guard let layout = IGTLPosition.Layout(rawValue: content.count) else { throw sizeError(ctx, content.count, "12, 24 or 28") }
            let f = WireCLayer.decodePosition(content)
            guard f[0..<3].allSatisfy(\.isFinite) else { throw .nonFinite(ctx, field: "position") }
            guard f[3...].allSatisfy(\.isFinite) else { throw .nonFinite(ctx, field: "quaternion") }
            var q = SIMD4<Float>(0, 0, 0, 1)
            if f.count >= 6 {
                q = SIMD4(f[3], f[4], f[5], f.count == 7 ? f[6] : (max(0, 1 - f[3] * f[3] - f[4] * f[4] - f[5] * f[5])).squareRoot())
            }
            return .position(IGTLPosition(position: SIMD3(f[0], f[1], f[2]), quaternion: q,
                                          layout: layout))
        case "TDATA":
            let n = WireCLayer.trackingElementSize
            guard content.count % n == 0 else { throw sizeError(ctx, content.count, "a multiple of 70") }
            var tools: [IGTLTrackingElement] = []
            var start = 0
            while start < content.count {
                let e = WireCLayer.decodeTrackingElement(content.range(start..<(start + n)))
                let name = try text(IGTLHeader.trimNUL(e.name), IGTLTextEncoding.utf8, ctx, "tool name")
                let pose = try transform(fromWire: e.matrix, ctx, field: "matrix of tool \"\(name)\"")
                tools.append(IGTLTrackingElement(name: name, type: e.type, transform: pose))
                start += n
            }
            return .trackingData(tools)
        case "STATUS":
            let n = WireCLayer.statusHeaderSize
            guard content.count >= n else { throw .truncated(ctx, field: "status header", needed: n, available: content.count) }
            let s = WireCLayer.decodeStatusHeader(content)
            let rest = content.tail(from: n)
            let messageBytes = rest.prefix(while: { $0 != 0 })
            return .status(IGTLStatus(code: s.code, subcode: s.subcode,
                                      errorName: try text(IGTLHeader.trimNUL(s.errorName), IGTLTextEncoding.utf8, ctx, "error name"),
                                      message: try text(messageBytes, IGTLTextEncoding.utf8, ctx, "status message")))
        case "STRING":
            guard content.count >= WireCLayer.stringHeaderSize else {
                throw .truncated(ctx, field: "string header", needed: 4, available: content.count)
            }
            let h = WireCLayer.decodeStringHeader(content)
            var r = BigEndianReader(content, context: ctx)
            _ = try r.take(4, field: "string header")
            let bytes = try r.take(Int(h.length), field: "string text")
            return .string(IGTLString(try text(bytes, h.encoding, ctx, "string text"), encoding: h.encoding))
        case "COMMAND", "RTS_COMMAND":
            guard headerVersion >= 2 else { throw .headerVersion2Required(ctx) }
            var r = BigEndianReader(content, context: ctx)
            let id = try r.uint32("COMMAND_ID")
            let name = try text(IGTLHeader.trimNUL(Array(try r.take(128, field: "COMMAND_NAME"))), IGTLTextEncoding.utf8, ctx, "COMMAND_NAME")
            let encoding = try r.uint16("ENCODING")
            let length = Int(try r.uint32("LENGTH"))
            let body = try text(try r.take(length, field: "COMMAND text"), encoding, ctx, "COMMAND text")
            let command = IGTLCommand(commandID: id, name: name, text: body, encoding: encoding)
            return typeName == "COMMAND" ? .command(command) : .commandReply(command)
        default:
            if typeName.utf8.count > 4, let kind = IGTLQuery.Kind(rawValue: String(typeName.prefix(4))) {
                return .query(IGTLQuery(kind: kind, dataType: String(typeName.dropFirst(4)), content: Array(content)))
            }
            return .unknown(typeName: typeName, content: Array(content))
        }
    }

    private static func sizeError(_ ctx: IGTLMessageContext, _ count: Int, _ expected: String) -> IGTLError {
        .invalidValue(ctx, field: "body size", reason: "content is \(count) bytes, \(expected) expected")
    }

    private static func text<C: Collection>(_ bytes: C, _ encoding: UInt16, _ ctx: IGTLMessageContext, _ field: String) throws(IGTLError) -> String where C.Element == UInt8 {
        guard let s = IGTLTextEncoding.decode(bytes, encoding: encoding) else { throw .invalidText(ctx, field: field, encoding: encoding) }
        return s
    }

    /// TRANSFORM / TDATA floats (column-major upper 3x4) to a 4x4 transform.
    /// - Throws: `IGTLError.nonFinite` naming `field` when a float is NaN or infinite.
    static func transform(fromWire m: [Float], _ ctx: IGTLMessageContext, field: String) throws(IGTLError) -> Transform3D {
        guard m.allSatisfy(\.isFinite) else { throw .nonFinite(ctx, field: field) }
        let d = m.map(Double.init)
        return Transform3D(linear: [d[0], d[3], d[6], d[1], d[4], d[7], d[2], d[5], d[8]],
                           translation: SIMD3(d[9], d[10], d[11]))
    }

    /// A 4x4 transform's upper 3x4 as TRANSFORM floats (column-major).
    static func wireFloats(_ t: Transform3D) -> [Float] {
        var m: [Float] = []
        m.reserveCapacity(12)
        for c in 0..<4 { for r in 0..<3 { m.append(Float(t[r, c])) } }
        return m
    }

    private static func decodeImage(_ content: UnsafeRawBufferPointer, _ ctx: IGTLMessageContext, _ options: IGTLDecodingOptions) throws(IGTLError) -> IGTLImage {
        let n = WireCLayer.imageHeaderSize
        guard content.count >= n else { throw .truncated(ctx, field: "image header", needed: n, available: content.count) }
        let h = WireCLayer.decodeImageHeader(content)
        guard let scalar = ScalarType(igtlCode: h.scalarType) else {
            throw .invalidValue(ctx, field: "scalar type", reason: "\(h.scalarType) is not one of 2, 3, 4, 5, 6, 7, 10, 11")
        }
        guard h.components >= 1 else { throw .invalidValue(ctx, field: "number of components", reason: "is 0") }
        guard let declared = IGTLImage.Endianness(rawValue: h.endian) else {
            throw .invalidValue(ctx, field: "endian", reason: "\(h.endian) is neither 1 (big) nor 2 (little)")
        }
        guard let coord = IGTLImage.CoordinateSystem(rawValue: h.coordinate) else {
            throw .invalidValue(ctx, field: "coordinate system", reason: "\(h.coordinate) is neither 1 (RAS) nor 2 (LPS)")
        }
        let size = SIMD3(Int(h.size.0), Int(h.size.1), Int(h.size.2))
        let offset = SIMD3(Int(h.subvolumeOffset.0), Int(h.subvolumeOffset.1), Int(h.subvolumeOffset.2))
        let sub = SIMD3(Int(h.subvolumeSize.0), Int(h.subvolumeSize.1), Int(h.subvolumeSize.2))
        for a in 0..<3 where offset[a] + sub[a] > size[a] {
            throw .invalidValue(ctx, field: "sub-volume", reason: "axis \(a): offset \(offset[a]) + size \(sub[a]) exceeds image size \(size[a])")
        }
        guard h.matrix.allSatisfy(\.isFinite) else { throw .nonFinite(ctx, field: "matrix") }
        let expected = sub.x * sub.y * sub.z * Int(h.components) * scalar.byteCount
        let data = content.tail(from: n)
        guard data.count == expected else {
            if data.count < expected { throw .truncated(ctx, field: "pixel data", needed: expected, available: data.count) }
            throw .invalidValue(ctx, field: "pixel data", reason: "\(data.count) bytes for a \(sub.x)x\(sub.y)x\(sub.z) sub-volume of \(h.components) x \(scalar) (\(expected) bytes)")
        }
        var actual = declared
        var corrected = false
        if declared == .big, options.correctMislabelledEndianness,
           IGTLImage.pixelsLookLittleEndian(data, scalarType: scalar, components: Int(h.components)) {
            actual = .little
            corrected = true
        }
        var pixels = [UInt8](data)  // the one copy of the pixels, straight from the receive buffer
        if scalar.byteCount > 1 && (actual == .little) != hostIsLittleEndian {
            pixels.swapByteOrder(scalarWidth: scalar.byteCount)
        }
        var image = IGTLImage(components: Int(h.components), scalarType: scalar, size: size, matrix: h.matrix,
                              coordinateSystem: coord, endianness: actual, subvolumeOffset: offset,
                              subvolumeSize: sub, pixels: pixels)
        image.endiannessCorrected = corrected
        return image
    }
}
