import Recordings

extension PhantomLandmarkRegistration {
    /// Why the phantom definition could not be read.
    public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
        case noLandmarks(file: String)
        case badLandmark(file: String, line: Int, index: Int)
        public var description: String {
            switch self {
            case let .noLandmarks(file):
                return "\(file): no PhantomDefinition/Geometry/Landmarks/Landmark elements: the configuration must define the phantom's landmarks for landmark registration"
            case let .badLandmark(file, line, index):
                return "\(file): line \(line): Landmark #\(index + 1) needs a Position attribute with three numbers"
            }
        }
    }

    /// Reads the landmarks from a device set's `PhantomDefinition/Geometry/Landmarks`.
    public init(configuration: DeviceSetConfiguration) throws(ConfigurationError) {
        guard let landmarks = configuration.root.first("PhantomDefinition")?.first("Geometry")?.first("Landmarks") else {
            throw .noLandmarks(file: configuration.path)
        }
        var defined: [Landmark] = []
        for (i, e) in landmarks.children.filter({ $0.name == "Landmark" }).enumerated() {
            guard let p = e.numbers("Position"), p.count == 3 else { throw .badLandmark(file: configuration.path, line: e.line, index: i) }
            defined.append(Landmark(name: e[attribute: "Name"] ?? "#\(i + 1)", position: SIMD3(p[0], p[1], p[2])))
        }
        guard !defined.isEmpty else { throw .noLandmarks(file: configuration.path) }
        self.init(defined: defined)
    }
}
