/// A set of coordinate-frame transforms that answers for any pair of connected frames by
/// chaining and inverting what it holds, as PLUS's `vtkPlusTransformRepository` does.
public struct TransformRepository: Sendable {
    /// A stored transform with its status and whether it is fixed (from a calibration).
    public struct Entry: Sendable, Hashable {
        /// The transform, `from` to `to`.
        public var matrix: Transform3D
        /// Its status.
        public var status: TransformStatus
        /// Whether it comes from a configuration (calibration) rather than a tracker.
        public var isPersistent: Bool
        public init(matrix: Transform3D, status: TransformStatus, isPersistent: Bool) {
            self.matrix = matrix
            self.status = status
            self.isPersistent = isPersistent
        }
    }

    /// A transform the repository found, with the worst status along its path.
    public struct Result: Sendable, Hashable {
        public var matrix: Transform3D
        public var status: TransformStatus
        /// The frames visited, from source to destination.
        public var path: [String]
    }

    /// Why a transform could not be given.
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        /// No chain of stored transforms links the two frames.
        case noPath(TransformName, known: [String])
        /// A stored matrix along the path is singular and cannot be inverted.
        case singular(TransformName)

        public var description: String {
            switch self {
            case let .noPath(name, known):
                return "no chain of transforms links frame '\(name.from)' to '\(name.to)'; known frames: \(known.sorted().joined(separator: ", "))"
            case let .singular(name):
                return "transform \(name) is singular and cannot be inverted"
            }
        }
    }

    private var edges: [TransformName: Entry] = [:]

    /// An empty repository.
    public init() {}

    /// Stores (or replaces) `name`. Storing `BToA` replaces an earlier `AToB`.
    public mutating func set(_ name: TransformName, _ matrix: Transform3D, status: TransformStatus = .ok, persistent: Bool = false) {
        edges.removeValue(forKey: name.inverted)
        edges[name] = Entry(matrix: matrix, status: status, isPersistent: persistent)
    }

    /// Every frame name mentioned.
    public var frames: Set<String> {
        var s = Set<String>()
        for k in edges.keys { s.insert(k.from); s.insert(k.to) }
        return s
    }

    /// The transforms stored directly (not derived).
    public var stored: [TransformName: Entry] { edges }

    /// Finds `name` by breadth-first search over stored transforms and their inverses.
    public func transform(_ name: TransformName) throws(Failure) -> Result {
        if name.from == name.to { return Result(matrix: .identity, status: .ok, path: [name.from]) }
        // Adjacency: frame -> [(neighbour, edge name as stored, forward?)]
        var adjacency: [String: [(String, TransformName, Bool)]] = [:]
        for k in edges.keys.sorted(by: { $0.description < $1.description }) {
            adjacency[k.from, default: []].append((k.to, k, true))
            adjacency[k.to, default: []].append((k.from, k, false))
        }
        var previous: [String: (String, TransformName, Bool)] = [:]
        var queue = [name.from]
        var visited: Set<String> = [name.from]
        var head = 0
        while head < queue.count {
            let f = queue[head]; head += 1
            if f == name.to { break }
            for (n, edge, forward) in adjacency[f] ?? [] where !visited.contains(n) {
                visited.insert(n)
                previous[n] = (f, edge, forward)
                queue.append(n)
            }
        }
        guard visited.contains(name.to) else { throw .noPath(name, known: Array(frames)) }
        var matrix = Transform3D.identity
        var status = TransformStatus.ok
        var path = [name.to]
        var f = name.to
        while f != name.from {
            let (p, edge, forward) = previous[f]!
            let entry = edges[edge]!
            let step: Transform3D
            if forward {
                step = entry.matrix
            } else {
                guard let inv = entry.matrix.inverse else { throw .singular(edge) }
                step = inv
            }
            matrix = matrix * step
            status = max(status, entry.status)
            path.append(p)
            f = p
        }
        return Result(matrix: matrix, status: status, path: path.reversed())
    }
}
