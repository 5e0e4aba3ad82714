import Imaging

extension SequenceFile {
    /// Writes `sequence` to `path` in the format its extension names:
    /// - `.mha` / `.igs.mha`: MetaImage with attached data, one zlib stream when `compressed`;
    /// - `.mhd`: MetaImage header plus `<name>.raw` (or `<name>.zraw` when compressed) beside it;
    /// - `.nrrd` / `.igs.nrrd`: PLUS NRRD sequence, gzip encoding when `compressed`;
    /// - `.seq.nrrd`: 3D Slicer volume sequence (I J 1 list) with the PLUS per-frame fields as
    ///   key/value pairs, so Slicer shows the images and Freehand reads back everything.
    ///
    /// Frames are in MF orientation in memory, so the file says `UltrasoundImageOrientation = MFA`.
    /// The file is written under a temporary name and renamed into place, so a failed write
    /// never leaves a half-written file at `path`.
    public static func write(_ sequence: TrackedSequence, to path: String, compressed: Bool = true) throws(RecordingError) {
        let format = try Format(path: path)
        if path.lowercased().hasSuffix(".nhdr") {
            throw .unsupported(file: path, field: "file extension", value: ".nhdr (write .nrrd: the data is attached)")
        }
        let shape = try FrameShape.common(sequence.frames, path: path)
        let imageStatusName = format == .nrrd ? "Status" : "ImageStatus"
        let frames = sequence.frames.map { SequenceHeaderText.frameFields($0, imageStatusName: imageStatusName) }
        let fileFields = sequence.header.filter {
            !SequenceLayout.geometryKeys.contains(RasterHeader.normalizedKey($0.key)) && SequenceLayout.frameField($0.key) == nil
        }
        let file = try RawFile.temporary(for: path)
        var data: RawFile?
        do {
            switch format {
            case .metaImage:
                let (text, sizeOffset) = SequenceHeaderText.metaImage(
                    shape: shape, frameCount: sequence.frames.count, spacing: sequence.pixelSpacing, fileFields: fileFields,
                    frames: frames, compressed: compressed, compressedSize: nil, dataFile: "LOCAL")
                try file.write(text, at: 0)
                let size = try writePixels(sequence.frames, to: file, at: text.count, compressed: compressed, gzip: false)
                if let sizeOffset {
                    try file.write(Array(SequenceHeaderText.pad(String(size), SequenceHeaderText.paddedWidth).utf8), at: sizeOffset)
                }
            case .metaImageDetached:
                let base = baseName(path)
                let dataName = base + (compressed ? ".zraw" : ".raw")
                let dataPath = RasterHeader.resolve(dataName, relativeTo: path)
                let dataFile = try RawFile.temporary(for: dataPath)
                data = dataFile
                let size = try writePixels(sequence.frames, to: dataFile, at: 0, compressed: compressed, gzip: false)
                let (text, _) = SequenceHeaderText.metaImage(
                    shape: shape, frameCount: sequence.frames.count, spacing: sequence.pixelSpacing, fileFields: fileFields,
                    frames: frames, compressed: compressed, compressedSize: size, dataFile: dataName)
                try file.write(text, at: 0)
                // Both files are complete before either is renamed into place.
                try dataFile.commit(to: dataPath)
            case .nrrd:
                let text = SequenceHeaderText.nrrd(
                    shape: shape, frameCount: sequence.frames.count, spacing: sequence.pixelSpacing, fileFields: fileFields,
                    frames: frames, timestamps: sequence.frames.map(\.timestamp), gzip: compressed,
                    slicer: path.lowercased().hasSuffix(".seq.nrrd"))
                try file.write(text, at: 0)
                _ = try writePixels(sequence.frames, to: file, at: text.count, compressed: compressed, gzip: true)
            }
            try file.commit(to: path)
        } catch {
            data?.discard()
            file.discard()
            throw error
        }
    }

    /// Appends every frame's pixels at `offset`; returns the number of bytes written.
    static func writePixels(_ frames: [TrackedFrame], to file: RawFile, at offset: Int, compressed: Bool, gzip: Bool) throws(RecordingError) -> Int {
        if compressed {
            return try ParallelDeflater.write(frames.map(\.image.bytes), to: file, at: offset, gzip: gzip)
        }
        var position = offset
        for frame in frames {
            try file.write(frame.image.bytes, at: position)
            position += frame.image.bytes.count
        }
        return position - offset
    }

    /// `folder/name.mhd` -> `name`.
    static func baseName(_ path: String) -> String {
        var name = Substring(path)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if let dot = name.lastIndex(of: ".") { name = name[..<dot] }
        return String(name)
    }
}
