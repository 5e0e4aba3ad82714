import FileSafety

extension PathGuard {
    /// Adds a recording or volume file that is read, with its separate data file when it is a
    /// `.mhd`/`.nhdr` header (`ElementDataFile` / `data file`), so no output can replace either.
    /// Only the header is read here, and only from a regular file.
    public mutating func recording(_ role: String, _ path: String) {
        input(role, path)
        guard FileIdentity.of(path)?.kind == .regular, let format = try? SequenceFile.Format(path: path),
              format == .metaImageDetached || path.lowercased().hasSuffix(".nhdr"),
              let header = try? SequenceFile.header(path), header.dataPath != path else { return }
        input("\(role)'s data file", header.dataPath)
    }

    /// Adds a volume or sequence file that is written, with the `.raw`/`.zraw` data files a
    /// `.mhd` output writes beside it.
    public mutating func volumeOutput(_ role: String, _ path: String) {
        output(role, path)
        guard (try? SequenceFile.Format(path: path)) == .metaImageDetached else { return }
        let base = SequenceFile.baseName(path)
        for ext in [".raw", ".zraw"] {
            output("\(role)'s data file", RasterHeader.resolve(base + ext, relativeTo: path))
        }
    }
}
