import Imaging

/// The parsed header of a MetaImage or NRRD file: where the samples are, how they are encoded,
/// the grid, and every header field verbatim. Sequences and volumes are both built on it.
struct RasterHeader {
    /// How the sample bytes are stored.
    enum Encoding: Equatable {
        /// Plain bytes.
        case raw
        /// One zlib or gzip stream (`length` compressed bytes when the header says so).
        case compressed(length: Int?)
    }

    /// The header file.
    var path: String
    /// The file holding the samples (the header file itself for LOCAL/attached data).
    var dataPath: String
    /// Byte offset of the samples in `dataPath`; nil means "the last bytes of the file" (MetaImage `HeaderSize = -1`).
    var dataOffset: Int?
    var encoding: Encoding
    /// Size of each axis, fastest first (components excluded).
    var dimensions: [Int]
    /// Scalars per sample.
    var components: Int
    var scalarType: ScalarType
    /// Whether multi-byte samples are stored most significant byte first.
    var bigEndian: Bool
    /// Spacing along each axis in mm (1 when absent).
    var spacing: [Double]
    /// Position of the first sample in mm (0 when absent).
    var origin: [Double]
    /// Axis directions, row-major `n x n`, column `j` = direction of axis `j` (identity when absent).
    var direction: [Double]
    /// Every header field in file order, keys as written (NRRD key/value pairs `key:=value` included).
    var fields: [(key: String, value: String)]
    /// The field that gives the dimensions (`DimSize` or `sizes`), for messages.
    var dimensionsField: String
    /// The field that announces the data (`ElementDataFile`, `data file`, ...), for messages.
    var dataField: String
    /// Number of header lines, to bound allocations driven by header numbers.
    var lineCount: Int
    /// Whether the last entry of `dimensions` is stored as the fastest axis (older 3D Slicer
    /// `.seq.nrrd` files: `kinds: list domain domain domain`), so frames are interleaved sample by sample.
    var interleavedFrames = false

    /// Whether the header came from a NRRD file (PLUS names some per-frame fields differently there).
    var isNrrd: Bool { dimensionsField == "sizes" }

    /// Bytes per sample (all components).
    var sampleBytes: Int { components * scalarType.byteCount }

    /// The value of the first field whose key equals `key` ignoring case, spaces and underscores.
    func field(_ key: String) -> String? {
        let wanted = RasterHeader.normalizedKey(key)
        return fields.first(where: { !$0.key.hasPrefix("Seq_Frame") && RasterHeader.normalizedKey($0.key) == wanted })?.value
    }

    static func normalizedKey(_ key: String) -> String {
        String(key.lowercased().filter { $0 != " " && $0 != "_" })
    }

    /// `count` numbers parsed from `value`, or an error naming `field`.
    static func numbers(_ value: String, count: Int? = nil, file: String, field: String) throws(RecordingError) -> [Double] {
        var result: [Double] = []
        for w in value.words {
            guard let d = Double(w), d.isFinite else {
                throw .invalidField(file: file, field: field, value: value, reason: "'\(w)' is not a finite number")
            }
            result.append(d)
        }
        if let count, result.count != count {
            throw .invalidField(file: file, field: field, value: value, reason: "expected \(count) numbers, found \(result.count)")
        }
        return result
    }

    /// Non-negative integers parsed from `value`, each at most `limit`.
    static func sizes(_ value: String, file: String, field: String, limit: Int = 1 << 31) throws(RecordingError) -> [Int] {
        var result: [Int] = []
        for w in value.words {
            guard let n = Int(w), n >= 0, n <= limit else {
                throw .invalidField(file: file, field: field, value: value, reason: "'\(w)' is not a size between 0 and \(limit)")
            }
            result.append(n)
        }
        return result
    }

    /// Total sample bytes, checked for overflow.
    func totalBytes() throws(RecordingError) -> Int {
        var total = sampleBytes
        for d in dimensions {
            let (p, overflow) = total.multipliedReportingOverflow(by: d)
            if overflow || p > (1 << 48) {
                throw .invalidField(file: path, field: dimensionsField, value: dimensions.map(String.init).joined(separator: " "), reason: "the data size overflows")
            }
            total = p
        }
        return total
    }

    /// Resolves `name` (a data file named in a header) relative to the header's folder.
    static func resolve(_ name: String, relativeTo headerPath: String) -> String {
        if name.hasPrefix("/") { return name }
        guard let slash = headerPath.lastIndex(of: "/") else { return name }
        return String(headerPath[...slash]) + name
    }
}

/// Opens the sample data of a header: checks the announced sizes against the file before any
/// allocation, and reads it sequentially (raw: positioned reads; compressed: streaming inflate).
final class RasterDataSource {
    let header: RasterHeader
    private let file: RawFile
    private let inflater: Inflater?
    private let start: Int
    private var consumed = 0
    let totalBytes: Int

    init(header: RasterHeader) throws(RecordingError) {
        // Only the geometry and names are needed (for reading and messages): a long recording's
        // per-frame fields are not kept a second time here.
        var geometry = header
        geometry.fields = []
        self.header = geometry
        file = try RawFile(path: header.dataPath, mode: .read,
                           role: header.dataPath == header.path ? "recording" : "ElementDataFile of \(header.path)")
        totalBytes = try header.totalBytes()
        let fileSize = try file.size()
        switch header.encoding {
        case .raw:
            let offset = header.dataOffset ?? max(0, fileSize - totalBytes)
            if offset + totalBytes > fileSize {
                throw .truncated(file: header.dataPath, field: header.dimensionsField, expectedBytes: totalBytes, availableBytes: max(0, fileSize - offset))
            }
            start = offset
            inflater = nil
        case .compressed(let length):
            let offset = header.dataOffset ?? 0
            if let length, offset + length > fileSize {
                throw .truncated(file: header.dataPath, field: "CompressedDataSize", expectedBytes: length, availableBytes: max(0, fileSize - offset))
            }
            // zlib cannot expand data by more than about 1032:1; a larger claim is a corrupt header.
            let available = length ?? (fileSize - offset)
            if totalBytes > 0, available < totalBytes / 1100 {
                throw .invalidField(file: header.path, field: header.dimensionsField, value: header.dimensions.map(String.init).joined(separator: " "),
                                    reason: "needs \(totalBytes) bytes but only \(available) compressed bytes follow")
            }
            start = offset
            inflater = totalBytes == 0 ? nil : try Inflater(file: file, offset: offset, length: length, field: header.dataField)
        }
    }

    /// Whether samples are read by positioned reads (random access is cheap).
    var isRandomAccess: Bool { inflater == nil }

    /// Reads the next `count` bytes of samples into `buffer[at...]`.
    func readNext(into buffer: inout [UInt8], at index: Int = 0, count: Int) throws(RecordingError) {
        precondition(index >= 0 && index + count <= buffer.count)
        var failure: RecordingError?
        buffer.withUnsafeMutableBytes { raw in
            do throws(RecordingError) {
                try readNext(into: UnsafeMutableRawBufferPointer(rebasing: raw[index..<(index + count)]))
            } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Fills `buffer` with the next samples.
    func readNext(into buffer: UnsafeMutableRawBufferPointer) throws(RecordingError) {
        let count = buffer.count
        if count == 0 { return }
        let n: Int
        if let inflater {
            n = try inflater.read(into: buffer)
        } else {
            n = try file.readRaw(into: buffer, at: start + consumed)
        }
        if n < count {
            throw .truncated(file: header.dataPath, field: inflater == nil ? header.dimensionsField : header.dataField,
                             expectedBytes: totalBytes, availableBytes: consumed + n)
        }
        consumed += count
    }

    /// Moves the read position to byte `offset` of the samples (raw data only).
    func seek(to offset: Int) {
        precondition(inflater == nil, "seek needs raw data")
        consumed = offset
    }
}
