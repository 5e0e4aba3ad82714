import Synchronization

/// A bounded multi-producer, single-consumer queue whose consumer takes everything pending at
/// once (so a consumer that fell behind catches up in batches). When full, the oldest droppable
/// element is discarded and counted, so lag never grows without bound.
public final class LiveInbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var waiter: CheckedContinuation<Void, Never>?
        var closed = false
        var dropped = 0
    }
    private let state = Mutex(State())
    /// Most elements held.
    public let capacity: Int
    private let droppable: @Sendable (Element) -> Bool

    /// - Parameter droppable: which elements may be discarded when full (others always enter).
    public init(capacity: Int, droppable: @escaping @Sendable (Element) -> Bool = { _ in true }) {
        self.capacity = max(1, capacity)
        self.droppable = droppable
    }

    /// Elements discarded because the queue was full.
    public var droppedCount: Int { state.withLock { $0.dropped } }

    /// Adds an element (ignored after `close()`).
    public func push(_ element: Element) {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            guard !s.closed else { return nil }
            if s.items.count >= capacity, let i = s.items.firstIndex(where: droppable) {
                s.items.remove(at: i)
                s.dropped += 1
            }
            s.items.append(element)
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// No more elements; the consumer gets what is left, then nil.
    public func close() {
        let waiter = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.closed = true
            defer { s.waiter = nil }
            return s.waiter
        }
        waiter?.resume()
    }

    /// Everything pending (waiting for at least one element), or nil once closed and empty.
    public func next() async -> [Element]? {
        while true {
            let taken = state.withLock { s -> [Element]?? in
                if !s.items.isEmpty {
                    let out = s.items
                    s.items.removeAll(keepingCapacity: true)
                    return .some(out)
                }
                return s.closed ? .some(nil) : nil
            }
            if let taken { return taken }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if !s.items.isEmpty || s.closed { return true }
                    s.waiter = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }
}
