/// Checks, before anything is read, that no output of a command replaces one of its inputs or
/// another of its outputs.
///
/// Files are compared by identity (device and inode, links and `./` followed), so
/// `./x.nrrd`, `dir/../x.nrrd`, a symbolic link to `x.nrrd` and a hard link all count as
/// `x.nrrd`. Outputs that do not exist yet are compared by folder identity and name.
///
/// ```swift
/// var paths = PathGuard()
/// paths.input("recording", "sweep.igs.mha")
/// paths.output("output volume", "sweep.nrrd")
/// try paths.check()
/// ```
public struct PathGuard: Sendable {
    /// One path with the role that names it in messages.
    public struct Entry: Sendable, Equatable {
        public var role: String
        public var path: String
        /// The writer creates the output's folder when missing (so a missing folder is fine).
        public var createsFolder = false
    }

    /// Files read, in the order given.
    public private(set) var inputs: [Entry] = []
    /// Files written, in the order given.
    public private(set) var outputs: [Entry] = []

    public init() {}

    /// Adds a file the command reads (it must be an existing regular file).
    public mutating func input(_ role: String, _ path: String) {
        inputs.append(Entry(role: role, path: path))
    }

    /// Adds a file the command writes (it may exist; it must not be an input or another output).
    /// With `createsFolder`, a missing folder is not an error (the writer makes it; a file in a
    /// folder that does not exist yet cannot be an input).
    public mutating func output(_ role: String, _ path: String, createsFolder: Bool = false) {
        outputs.append(Entry(role: role, path: path, createsFolder: createsFolder))
    }

    private enum Key: Hashable {
        case file(FileIdentity)
        case entry(folder: FileIdentity, name: String)
    }

    /// Throws when an input is missing or not a regular file, when an output's folder is
    /// missing or the output names a folder/device/FIFO, or when an output is an input or
    /// another output; the message names both paths.
    public func check() throws(FileSafetyError) {
        var seen: [(Key, Entry)] = []
        for input in inputs {
            try InputFile.checkRegular(input.path, role: input.role)
            if let (id, _) = FileIdentity.of(input.path) { seen.append((.file(id), input)) }
        }
        for output in outputs {
            let key: Key
            if let (id, kind) = FileIdentity.of(output.path) {
                guard kind == .regular else {
                    throw .notRegularFile(role: output.role, path: output.path, kind: kind.rawValue)
                }
                key = .file(id)
            } else {
                let folder = FileIdentity.folder(of: output.path)
                guard let (id, kind) = FileIdentity.of(folder), kind == .directory else {
                    if output.createsFolder { continue }
                    throw .missing(role: output.role, path: output.path, reason: "its folder \(folder) does not exist")
                }
                key = .entry(folder: id, name: FileIdentity.name(of: output.path))
            }
            if let (_, other) = seen.first(where: { $0.0 == key }) {
                throw .sameFile(output: output.role, outputPath: output.path, other: other.role, otherPath: other.path)
            }
            seen.append((key, output))
        }
    }
}
