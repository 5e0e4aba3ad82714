import FileSafety
import Geometry
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Changes the geometry of a volume or sequence file without touching its voxel values: only the
/// header's spacing, origin and direction lines are rewritten; every other header line is kept as
/// it is, and the data section (attached) is copied byte for byte, never decoded. For a detached
/// header (`.nhdr`, `.mhd`) only the header is written and it points at the original data file.
public enum VolumeHeaderEditor {
    /// Writes `input` with `edit` applied to `output` (same format, never the input or its data
    /// file); returns the new header's geometry.
    @discardableResult
    public static func apply(_ edit: GeometryEdit, input: String, output: String) throws(RecordingError) -> VolumeSummary {
        if let problem = edit.validationProblem() {
            throw .invalidField(file: input, field: "geometry edit", value: "", reason: problem)
        }
        let header = try SequenceFile.header(input)
        let detached = header.dataPath != header.path
        let inExt = extensionOf(input), outExt = extensionOf(output)
        guard inExt == outExt else {
            throw .unsupported(file: output, field: "file extension",
                               value: "\(outExt) for a \(inExt) input (the output keeps the input's format and data)")
        }
        if FileIdentity.sameFile(input, output) { throw .io(file: output, message: "refusing to overwrite the input; choose another -o") }
        if detached, FileIdentity.sameFile(header.dataPath, output) {
            throw .io(file: output, message: "refusing to overwrite the input's data file \(header.dataPath)")
        }
        let isSequence = VolumeSummary.isSequence(header)
        guard !header.dimensions.isEmpty, header.dimensions.allSatisfy({ $0 > 0 }) else {
            throw .invalidField(file: input, field: header.dimensionsField, value: header.dimensions.map(String.init).joined(separator: " "),
                                reason: "the grid has no voxel (an axis of size 0): there is nothing to write")
        }
        if !isSequence, edit.directions == nil, [4, 9].contains(header.direction.count), GeometryEdit.normalizedColumns(header.direction) == nil {
            throw .invalidField(file: input, field: header.isNrrd ? "space directions" : "TransformMatrix",
                                value: header.direction.map { formatNumber($0) }.joined(separator: " "),
                                reason: "the axis directions are singular (an axis is zero or two are parallel): give --directions")
        }
        if isSequence, edit.origin != nil || edit.directions != nil || edit.center {
            throw .unsupported(file: input, field: "geometry edit",
                               value: "--origin/--directions/--center on a sequence (only --spacing, the image spacing, applies)")
        }

        let file = try RawFile(path: input, mode: .read)
        let size = try file.size()
        let headerEnd = detached ? size : try headerLength(file, nrrd: header.isNrrd)
        let text = try file.readExactly(headerEnd, at: 0, field: "header")
        var lines = HeaderLines(text)
        let dataReference = detached ? dataFileReference(header.dataPath, from: output) : nil
        if header.isNrrd {
            try NrrdGeometryLines.rewrite(&lines, header: header, edit: edit, sequence: isSequence, dataFile: dataReference)
        } else {
            try MetaImageGeometryLines.rewrite(&lines, header: header, edit: edit, sequence: isSequence, dataFile: dataReference)
        }
        let newHeader = lines.bytes

        let temporary = AtomicOutput.temporaryPath(for: output) + outExt   // keeps the extension: the header is read back
        do {
            let out = try RawFile(path: temporary, mode: .create)
            try out.write(newHeader, at: 0)
            try copy(file, from: headerEnd, count: size - headerEnd, to: out, at: newHeader.count)
            try out.sync()
            out.close()
            file.close()
            let check = try SequenceFile.header(temporary)
            _ = try RasterDataSource(header: check)
            try RawFile.rename(temporary, to: output)
        } catch {
            RawFile.remove(temporary)
            throw error
        }
        return try VolumeSummary(path: output, valueRange: false)
    }

    /// Bytes of header text before the data: through the blank line (NRRD) or the
    /// `ElementDataFile` line (MetaImage).
    static func headerLength(_ file: RawFile, nrrd: Bool) throws(RecordingError) -> Int {
        var reader = HeaderLineReader(file: file)
        while let line = try reader.nextLine() {
            if nrrd ? line.isEmpty : line.hasPrefix("ElementDataFile") { return reader.offset }
        }
        throw .invalidField(file: file.path, field: "header", value: "", reason: "no end of header found")
    }

    /// Copies `count` bytes in 8 MiB pieces.
    static func copy(_ source: RawFile, from offset: Int, count: Int, to target: RawFile, at targetOffset: Int) throws(RecordingError) {
        var buffer = [UInt8](repeating: 0, count: min(count, 8 << 20))
        var done = 0
        while done < count {
            let n = min(buffer.count, count - done)
            let got = try source.read(into: &buffer, count: n, at: offset + done)
            if got < n { throw .truncated(file: source.path, field: "data", expectedBytes: count, availableBytes: done + got) }
            try target.write(n == buffer.count ? buffer : Array(buffer[0..<n]), at: targetOffset + done)
            done += n
        }
    }

    /// How the header at `output` names `dataPath`: the bare name when both sit in the same
    /// folder, otherwise an absolute path.
    static func dataFileReference(_ dataPath: String, from output: String) -> String {
        let dataAbs = absolute(dataPath), outAbs = absolute(output)
        let folder = { (p: String) in String(p[..<(p.lastIndex(of: "/") ?? p.startIndex)]) }
        if folder(dataAbs) == folder(outAbs) { return String(dataAbs[dataAbs.index(after: dataAbs.lastIndex(of: "/")!)...]) }
        return dataAbs
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return path }
        let cwd = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
    }

    static func extensionOf(_ path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return "" }
        return String(path[dot...]).lowercased()
    }
}
