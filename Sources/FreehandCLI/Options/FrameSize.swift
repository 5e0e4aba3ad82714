import ArgumentParser

/// A `WIDTHxHEIGHT` frame size in pixels (1...4096 each), e.g. `640x480`.
struct FrameSize: ExpressibleByArgument, Sendable {
    let width: Int, height: Int

    init?(argument: String) {
        let parts = argument.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (1...4096).contains(parts[0]), (1...4096).contains(parts[1]) else { return nil }
        width = parts[0]
        height = parts[1]
    }

    static var defaultValueDescription: String { "WIDTHxHEIGHT" }
}
