import Imaging

/// Reads and writes whole tracked-ultrasound sequence files: PLUS MetaImage sequences
/// (`.igs.mha`, `.mha`, `.mhd` + raw data), PLUS NRRD sequences (`.igs.nrrd`, `.nrrd`) and
/// 3D Slicer volume sequences (`.seq.nrrd`).
///
/// Frames are held in memory in MF orientation whatever the file stores.
public enum SequenceFile {
    /// The on-disk formats.
    public enum Format: Sendable, Equatable {
        /// MetaImage with attached data (`.mha`, `.igs.mha`).
        case metaImage
        /// MetaImage header with a separate `.raw` / `.zraw` data file (`.mhd`).
        case metaImageDetached
        /// NRRD with attached data (`.nrrd`, `.igs.nrrd`, `.seq.nrrd`).
        case nrrd

        /// The format named by `path`'s extension.
        public init(path: String) throws(RecordingError) {
            let lower = path.lowercased()
            if lower.hasSuffix(".mha") { self = .metaImage }
            else if lower.hasSuffix(".mhd") { self = .metaImageDetached }
            else if lower.hasSuffix(".nrrd") || lower.hasSuffix(".nhdr") { self = .nrrd }
            else { throw .unknownFormat(file: path) }
        }
    }

    /// Reads every frame of `path` into memory (frames flipped to MF).
    public static func read(_ path: String) throws(RecordingError) -> TrackedSequence {
        var reader = try SequenceReader(path: path)
        var frames: [TrackedFrame] = []
        frames.reserveCapacity(min(reader.frameCount, 1 << 16))   // the count comes from the header: bounded
        while let frame = try reader.next() { frames.append(frame) }
        return TrackedSequence(frames: frames, pixelSpacing: reader.pixelSpacing,
                               storedOrientation: reader.storedOrientation, header: reader.header)
    }

    /// Parses the header of any supported file.
    static func header(_ path: String) throws(RecordingError) -> RasterHeader {
        switch try Format(path: path) {
        case .metaImage, .metaImageDetached: return try MetaImageHeader.read(path)
        case .nrrd: return try NrrdHeader.read(path)
        }
    }
}
