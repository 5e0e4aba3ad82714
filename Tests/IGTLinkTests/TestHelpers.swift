import FreehandTestSupport
import Foundation
import FreehandTestSupport
@testable import IGTLink

/// Pulls events from a stream one at a time (the iterator is kept between calls).
final class EventQueue<Element: Sendable>: @unchecked Sendable {
    private var iterator: AsyncStream<Element>.AsyncIterator
    init(_ stream: AsyncStream<Element>) { iterator = stream.makeAsyncIterator() }

    /// The next element satisfying `predicate` within `seconds` (others are discarded); the
    /// default is a hang deadline, generous for a loaded machine.
    func next(_ what: String, within seconds: Double = 300, where predicate: @escaping @Sendable (Element) -> Bool = { _ in true }) async throws -> Element {
        try await withTimeout(seconds, what) { [self] in
            while let e = await self.iterator.next() {
                if predicate(e) { return e }
            }
            throw TestTimeout(what: "\(what) (stream finished)")
        }
    }
}

/// A plain blocking TCP socket on 127.0.0.1, for sending hand-made bytes.
final class RawSocket {
    let fd: Int32
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if rc != 0 { close(fd); throw TestTimeout(what: "connect to 127.0.0.1:\(port) (errno \(errno))") }
    }
    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }
    deinit { close(fd) }
}
