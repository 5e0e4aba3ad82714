extension SequenceFile {
    /// The extensions a sequence (or volume) file name may end with, longest first.
    public static let fileExtensions = [".igs.mha", ".igs.nrrd", ".seq.nrrd", ".mha", ".mhd", ".nrrd", ".nhdr"]

    /// `path` without its sequence extension: `dir/name.igs.mha` -> `dir/name` (unchanged when
    /// it has none of `fileExtensions`).
    public static func stem(of path: String) -> String {
        let lower = path.lowercased()
        guard let ext = fileExtensions.first(where: { lower.hasSuffix($0) }) else { return path }
        return String(path.dropLast(ext.count))
    }
}
