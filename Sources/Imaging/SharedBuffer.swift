/// The one handle through which parallel workers write disjoint parts of one array.
///
/// Callers guarantee that concurrent writers touch disjoint index ranges (for example, one
/// z-slab each); that is what makes the `@unchecked Sendable` sound. The pointer never
/// escapes: work happens inside `withSharedBuffer`.
public struct SharedBuffer<Element>: @unchecked Sendable {
    @usableFromInline let base: UnsafeMutablePointer<Element>
    /// Number of elements.
    public let count: Int

    @usableFromInline init(base: UnsafeMutablePointer<Element>, count: Int) {
        self.base = base
        self.count = count
    }

    /// Element `i`.
    @inlinable
    public subscript(i: Int) -> Element {
        get { base[i] }
        nonmutating set { base[i] = newValue }
    }
}

extension Array {
    /// Runs `body` with a `SharedBuffer` over this array's storage; the buffer is valid only
    /// inside `body`.
    @inlinable
    public mutating func withSharedBuffer<R>(_ body: (SharedBuffer<Element>) throws -> R) rethrows -> R {
        try withUnsafeMutableBufferPointer { p in
            guard let base = p.baseAddress else {
                var empty = [Element]()
                return try empty.withUnsafeMutableBufferPointer { e in
                    try body(SharedBuffer(base: e.baseAddress ?? UnsafeMutablePointer(bitPattern: MemoryLayout<Element>.alignment)!, count: 0))
                }
            }
            return try body(SharedBuffer(base: base, count: p.count))
        }
    }
}
