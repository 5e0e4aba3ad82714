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
        get {
            assert(i >= 0 && i < count, "SharedBuffer index \(i) out of 0..<\(count)")
            return base[i]
        }
        nonmutating set {
            assert(i >= 0 && i < count, "SharedBuffer index \(i) out of 0..<\(count)")
            base[i] = newValue
        }
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

extension UnsafeRawBufferPointer {
    /// Runs `body` with a `SharedBuffer` that parallel workers may only read; the buffer is
    /// valid only inside `body`.
    @inlinable
    public func withSharedBytes<R, E: Error>(_ body: (SharedBuffer<UInt8>) throws(E) -> R) throws(E) -> R {
        guard let base = baseAddress, count > 0 else {
            return try body(SharedBuffer(base: UnsafeMutablePointer(bitPattern: 1)!, count: 0))
        }
        return try body(SharedBuffer(base: UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self)), count: count))
    }
}
