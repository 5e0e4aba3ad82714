import Imaging

/// One thread's STICK kernel: IGSIO's `applySticks` for the holes of the slabs that thread
/// fills, with the stick ends found per row instead of per hole.
///
/// For each stick, PLUS walks forward from the hole (at most `StickLengthLimit - 1` steps) and
/// then backward (at most what is left of the limit) to the nearest known voxel (accumulation
/// above 0), scores the stick 1 / (voxels spanned x its length), keeps its interpolated value
/// in the voxel type, and averages the best `NumberOfSticksToUse` sticks by score. Here every
/// voxel of the hole's row gets both distances for all 13 sticks at once, 16 voxels per
/// instruction: the directions sharing a y and z step read the known-voxel bytes (`KnownVoxels`,
/// made once per volume, rows padded with zeros so shifted reads need no bounds) of the rows
/// their steps reach, shifted along x by each direction's x step, and only over the columns
/// where those rows' known voxels land. A stick counts when both ends are known and the stick
/// spans at most the limit, which is exactly when PLUS's two walks succeed, so neither end is
/// farther than `StickLengthLimit - 2`; one more pass marks the voxels where some stick counts,
/// and only those holes read their 26 distances and score their sticks. Sticks longer than
/// `longestTabulatedStick` walk from each hole as PLUS does (a row would take too many passes).
final class StickEvaluator {
    let limit: Int
    let sticksToUse: Int
    let dimensions: SIMD3<Int>
    /// Whether the ends come from row tables rather than walks.
    let tabulated: Bool
    /// 26 rows of `width` distances (`unreached`: no known voxel within reach): forward along
    /// stick i at row i, backward at row 13 + i; then a scratch row. Empty when not tabulated.
    private let distances: UnsafeMutableBufferPointer<UInt8>
    /// `dimensions.x` rounded up to 16: the length of a table row and of a pass.
    private let width: Int
    /// The current hole's distances, same order.
    private let ends: UnsafeMutableBufferPointer<Int>
    /// The current hole's stick scores, as bit patterns (see `scoreTable`).
    private let scores: UnsafeMutableBufferPointer<UInt64>
    /// Row i, column t (2 x limit columns): stick i's score when it spans t voxels, 1 / (t x
    /// its length), computed as PLUS does; 0 where no stick can span t (under 3 or over the
    /// limit). Stored as the doubles' bit patterns: scores are 0 or positive, so the patterns
    /// order and compare equal as the scores do, with integer instructions.
    private let scoreTable: UnsafeMutableBufferPointer<UInt64>
    /// Index step of each stick in the volume.
    private let offsets: UnsafeMutableBufferPointer<Int>
    /// Per voxel of the loaded row: top bit clear where at least one stick has both ends
    /// within the limit (a hole where none has fails without reading its distances).
    private let usable: UnsafeMutableBufferPointer<UInt8>
    /// The 26 directions grouped by their y and z steps: a group's directions read the same
    /// rows (shifted along x by their x steps), so each row is read once per group and block.
    private let groups: [DirectionGroup]
    /// The rows the current group reads (`load`'s scratch space).
    private let sources: UnsafeMutableBufferPointer<Source>
    /// The known voxels of the accumulation.
    private let known: KnownVoxels
    /// The row (z * y-count + y) whose distances are loaded; -1 before the first.
    private var loadedRow = -1
    /// Whether the loaded row's sticks reach no known voxel at all.
    private var loadedRowIsEmpty = true

    /// Largest `StickLengthLimit` whose ends are tabulated per row: a row takes `limit - 2`
    /// passes per direction, and beyond this walking from each hole is cheaper.
    static let longestTabulatedStick = 32

    /// A tabulated distance meaning no known voxel within reach: a power of 2 above the
    /// farthest tabulated step (`longestTabulatedStick` - 2).
    private static var unreached: UInt8 { 32 }

    /// `HoleFillingKernel.sticks.count`, as a constant (the array is a lazily made global).
    private static var count: Int { 13 }

    /// `limit` and `sticksToUse` are the element's (checked by `HoleFillingElement.validate`:
    /// at most 1,000 and 13); a limit under 3 never succeeds. `known` holds the known voxels
    /// of the accumulation the holes are filled from.
    init(limit: Int, sticksToUse: Int, dimensions: SIMD3<Int>, known: KnownVoxels) {
        precondition(HoleFillingKernel.sticks.count == Self.count, "13 stick directions expected")
        precondition(known.bytes.count == KnownVoxels.stride(dimensions.x) * dimensions.y * dimensions.z && known.spans.count == dimensions.y * dimensions.z,
                     "known voxels of a \(dimensions) volume expected, got \(known.bytes.count) bytes and \(known.spans.count) rows")
        self.known = known
        self.limit = limit
        self.sticksToUse = sticksToUse
        self.dimensions = dimensions
        tabulated = (3...Self.longestTabulatedStick).contains(limit)
        let count = Self.count
        width = KnownVoxels.width(dimensions.x)
        distances = .allocate(capacity: tabulated ? (2 * count + 1) * width : 0)
        ends = .allocate(capacity: 2 * count)
        scores = .allocate(capacity: count)
        let columns = 2 * max(limit, 0)
        scoreTable = .allocate(capacity: count * columns)
        offsets = .allocate(capacity: count)
        usable = .allocate(capacity: tabulated ? width : 0)
        var groups: [DirectionGroup] = []
        for direction in 0..<(2 * count) {
            let s = HoleFillingKernel.sticks[direction % count]
            let step = direction < count ? s : 0 &- s
            let g = groups.firstIndex { $0.y == step.y && $0.z == step.z } ?? {
                groups.append(DirectionGroup(y: step.y, z: step.z, rows: SIMD3(repeating: 2 * count)))
                return groups.count - 1
            }()
            groups[g].rows[step.x + 1] = direction
        }
        self.groups = groups
        sources = .allocate(capacity: Self.longestTabulatedStick)
        sources.initialize(repeating: Source(offset: 0, step: 0, value: SIMD16()))
        for (i, s) in HoleFillingKernel.sticks.enumerated() {
            offsets[i] = (s.z * dimensions.y + s.y) * dimensions.x + s.x
            let length = Double(s.x * s.x + s.y * s.y + s.z * s.z).squareRoot()
            for t in 0..<columns { scoreTable[i * columns + t] = (t >= 3 && t <= limit ? 1 / (Double(t) * length) : 0).bitPattern }
        }
    }

    deinit {
        distances.deallocate()
        ends.deallocate()
        scores.deallocate()
        scoreTable.deallocate()
        offsets.deallocate()
        usable.deallocate()
        sources.deallocate()
    }

    /// Fills the holes at x = `holes[0..<count]` of row (`y`, `z`) where a stick succeeds,
    /// writing their values to `output`; returns how many are left, moved to the front of `holes`.
    /// Holes where no stick counts are passed over without scoring.
    func fill<S: HoleFillingVoxel>(holes: UnsafeMutableBufferPointer<Int>, count: Int, y: Int, z: Int, input: UnsafeBufferPointer<S>,
                                   accumulation: UnsafeBufferPointer<UInt16>, output: SharedBuffer<S>) -> Int {
        if tabulated {
            load(y: y, z: z)
            if loadedRowIsEmpty { return count }
        }
        let row = (z * dimensions.y + y) * dimensions.x
        var left = 0
        for h in 0..<count {
            let x = holes[h]
            if !(tabulated && usable[x] & 0x80 != 0), let v = value(at: SIMD3(x, y, z), input: input, accumulation: accumulation) {
                output[row + x] = v
            } else {
                holes[left] = x
                left += 1
            }
        }
        return left
    }

    /// The value for the empty voxel `c`, or nil when no stick succeeds there.
    func value<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>) -> S? {
        guard limit >= 3, sticksToUse >= 1 else { return nil }
        let count = Self.count
        let d = dimensions
        let centre = (c.z * d.y + c.y) * d.x + c.x
        if tabulated {
            load(y: c.y, z: c.z)
            if loadedRowIsEmpty || usable[c.x] & 0x80 != 0 { return nil }
            let column = distances.baseAddress! + c.x
            // `unreached` is a power of 2 above every distance: masking makes it 0, as a walk's miss.
            for i in 0..<(2 * count) { ends[i] = Int(column[i &* width] & (Self.unreached - 1)) }
        } else {
            for i in 0..<count {
                let s = HoleFillingKernel.sticks[i]
                ends[i] = Self.walk(from: c, centre: centre, step: s, offset: offsets[i], maxSteps: limit - 2,
                                    dimensions: d, accumulation: accumulation)
                ends[count + i] = ends[i] == 0 ? 0 : Self.walk(from: c, centre: centre, step: 0 &- s, offset: -offsets[i],
                                                               maxSteps: limit - 1 - ends[i], dimensions: d, accumulation: accumulation)
            }
        }
        let columns = 2 * limit
        var best: UInt64 = 0
        for i in 0..<count {
            let forward = ends[i], reverse = ends[count &+ i]
            let score = scoreTable[i &* columns &+ (forward > 0 && reverse > 0 ? forward &+ reverse &+ 1 : 0)]
            scores[i] = score
            best = score > best ? score : best
        }
        // PLUS's loop: take every stick of the best score left, until enough sticks are used.
        var used = 0
        var sumValues = 0.0, sumWeights = 0.0
        while best > 0 {
            let weight = Double(bitPattern: best)
            for i in 0..<count where scores[i] == best {
                let forward = ends[i], reverse = ends[count + i]
                let forwardValue = input[centre + forward * offsets[i]].doubleValue
                let reverseValue = input[centre - reverse * offsets[i]].doubleValue
                let weightForward = Double(reverse + 1) / Double(forward + reverse + 1)
                let weightReverse = 1 - weightForward
                // PLUS keeps each stick's value in the voxel type.
                let value = S.converted(weightReverse * reverseValue + weightForward * forwardValue).doubleValue
                sumValues += value * weight
                sumWeights += weight
                used += 1
                scores[i] = 0
            }
            if used >= sticksToUse { break }
            best = 0
            for i in 0..<count where scores[i] > best { best = scores[i] }
        }
        return sumWeights != 0 ? S.converted(sumValues / sumWeights) : nil
    }

    /// Makes the distances of row (`y`, `z`) current (nothing to do when they already are).
    private func load(y: Int, z: Int) {
        let d = dimensions
        let row = z * d.y + y
        guard row != loadedRow else { return }
        loadedRow = row
        loadedRowIsEmpty = true
        known.bytes.withUnsafeBufferPointer { bytes in load(row: row, y: y, z: z, bytes: bytes.baseAddress!) }
    }

    /// `load(y:z:)` for `row`, with `KnownVoxels.bytes` at `bytes`. Each 16-voxel block of a
    /// group's three table rows stays in registers while the group's rows are read, farthest
    /// first; only the blocks where some known voxel lands are computed (the rest of the row
    /// reads as unusable).
    private func load(row: Int, y: Int, z: Int, bytes: UnsafePointer<UInt8>) {
        let d = dimensions
        let rowStride = KnownVoxels.stride(d.x), width = width, reach = limit - 2
        usable.update(repeating: 0xFF)
        // The columns some pass marks: each known span, shifted by up to the step either way.
        var lo = d.x, hi = -1
        for group in groups {
            for j in 1...reach {
                let sy = y + j * group.y, sz = z + j * group.z
                // Steps only move away: past an edge, every farther step is past it too.
                guard sy >= 0, sy < d.y, sz >= 0, sz < d.z else { break }
                let span = known.spans[sz * d.y + sy]
                guard span.first <= span.last else { continue }
                lo = min(lo, Int(span.first) - j)
                hi = max(hi, Int(span.last) + j)
            }
        }
        lo = max(lo, 0)
        hi = min(hi, d.x - 1)
        guard lo <= hi else { return }
        loadedRowIsEmpty = false
        let blocks = Self.blocks(lo, hi)
        let table = distances.baseAddress!, knownBytes = UnsafeRawPointer(bytes), sources = sources.baseAddress!
        for group in groups {
            // The rows the group reads that hold a known voxel, farthest first, so the nearest
            // known voxel's distance is the one left.
            var count = 0
            for j in stride(from: reach, through: 1, by: -1) {
                let sy = y + j * group.y, sz = z + j * group.z
                guard sy >= 0, sy < d.y, sz >= 0, sz < d.z else { continue }
                let span = known.spans[sz * d.y + sy]
                guard span.first <= span.last else { continue }
                sources[count] = Source(offset: (sz * d.y + sy) * rowStride + KnownVoxels.padding, step: j,
                                        value: SIMD16(repeating: UInt8(truncatingIfNeeded: j)))
                count += 1
            }
            let left = UnsafeMutableRawPointer(table + group.rows.x * width)
            let ahead = UnsafeMutableRawPointer(table + group.rows.y * width)
            let right = UnsafeMutableRawPointer(table + group.rows.z * width)
            for x in stride(from: blocks.lowerBound, to: blocks.upperBound, by: 16) {
                var l = SIMD16<UInt8>(repeating: Self.unreached), a = l, r = l
                for s in 0..<count {
                    let source = sources[s]
                    let row = knownBytes + source.offset + x
                    // Masks rather than branches; the padding reads as unknown, as PLUS's walks stop at the edge.
                    let kl = row.loadUnaligned(fromByteOffset: -source.step, as: SIMD16<UInt8>.self)
                    let ka = row.loadUnaligned(as: SIMD16<UInt8>.self)
                    let kr = row.loadUnaligned(fromByteOffset: source.step, as: SIMD16<UInt8>.self)
                    l = (l & ~kl) | (source.value & kl)
                    a = (a & ~ka) | (source.value & ka)
                    r = (r & ~kr) | (source.value & kr)
                }
                left.storeBytes(of: l, toByteOffset: x, as: SIMD16<UInt8>.self)
                ahead.storeBytes(of: a, toByteOffset: x, as: SIMD16<UInt8>.self)
                right.storeBytes(of: r, toByteOffset: x, as: SIMD16<UInt8>.self)
            }
        }
        // A stick counts when forward + reverse < limit: an unreached end (32) makes the sum at
        // least 33, over every tabulated limit. forward + reverse + 128 - limit (at most
        // 64 + 125: no overflow) has its top bit set exactly when the stick does not count, so
        // the AND over the sticks has it set exactly where none counts.
        let flags = UnsafeMutableRawPointer(usable.baseAddress!)
        let bias = SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: 128 - limit))
        for x in stride(from: blocks.lowerBound, to: blocks.upperBound, by: 16) {
            var none = SIMD16<UInt8>(repeating: 0xFF)
            for i in 0..<Self.count {
                let f = UnsafeRawPointer(table + i * width).loadUnaligned(fromByteOffset: x, as: SIMD16<UInt8>.self)
                let r = UnsafeRawPointer(table + (Self.count + i) * width).loadUnaligned(fromByteOffset: x, as: SIMD16<UInt8>.self)
                none &= f &+ r &+ bias
            }
            flags.storeBytes(of: none, toByteOffset: x, as: SIMD16<UInt8>.self)
        }
    }

    /// The 16-voxel blocks holding columns `first` through `last` (both in the row).
    private static func blocks(_ first: Int, _ last: Int) -> Range<Int> {
        (first & ~15)..<((last + 16) & ~15)
    }

    /// Steps from `c` along `step` to the first known voxel, at most `maxSteps`; 0 when none
    /// is found or the volume's edge comes first.
    private static func walk(from c: SIMD3<Int>, centre: Int, step: SIMD3<Int>, offset: Int, maxSteps: Int,
                             dimensions d: SIMD3<Int>, accumulation: UnsafeBufferPointer<UInt16>) -> Int {
        // Steps that stay inside the volume along each axis.
        var inside = maxSteps
        for axis in 0..<3 where step[axis] != 0 {
            let room = step[axis] > 0 ? d[axis] - 1 - c[axis] : c[axis]
            inside = min(inside, room)
        }
        guard inside >= 1 else { return 0 }
        var index = centre
        for j in 1...inside {
            index += offset
            if accumulation[index] != 0 { return j }
        }
        return 0
    }
}

extension StickEvaluator {
    /// The stick directions that share a y and a z step, one per x step (-1, 0, +1): they read
    /// the same rows, shifted along x by their x steps.
    struct DirectionGroup {
        let y: Int
        let z: Int
        /// Distance-table rows of the directions with x step -1, 0 and +1 (for y = z = 0, x = 0
        /// is no direction: its row is the scratch row after the 26).
        var rows: SIMD3<Int>
    }

    /// A row a group reads: where its known bytes start, the step that reaches it, and that
    /// step in every lane.
    struct Source {
        var offset: Int
        var step: Int
        var value: SIMD16<UInt8>
    }
}

extension StickEvaluator {
    /// The known voxels (accumulation above 0) of a volume, made once and shared by the threads' evaluators.
    struct KnownVoxels: Sendable {
        /// One byte per voxel: 0xFF where known, else 0. Row z * y-count + y starts at
        /// row x `stride(x-count)` + `padding`; the bytes around each row's voxels are 0.
        let bytes: [UInt8]
        /// Per row (z * y-count + y): its first and last known voxel's x (first > last when it has none).
        let spans: [Span]

        /// The known voxels of one row lie from `first` to `last` (x indices).
        struct Span: Sendable {
            var first: Int32
            var last: Int32
        }

        /// Zeros before each row: more than the farthest step of a tabulated stick (limit - 2).
        static var padding: Int { StickEvaluator.longestTabulatedStick }
        /// A row's voxels rounded up to 16, the length of a pass.
        static func width(_ x: Int) -> Int { (x + 15) / 16 * 16 }
        /// Bytes from one row to the next: room for a pass shifted up to `padding` either way.
        static func stride(_ x: Int) -> Int { padding + width(x) + padding }

        /// Bytes the table takes for a grid of dimensions `d` (the padded rows and the row
        /// spans), or nil when that overflows: counted by `MemoryBudget` before it is allocated.
        static func requiredBytes(dimensions d: SIMD3<Int>) -> Int? {
            let (rows, o1) = d.y.multipliedReportingOverflow(by: d.z)
            let (perRow, o2) = stride(d.x).addingReportingOverflow(MemoryLayout<Span>.stride)
            let (total, o3) = rows.multipliedReportingOverflow(by: perRow)
            return o1 || o2 || o3 ? nil : total
        }

        init(accumulation: UnsafeBufferPointer<UInt16>, dimensions d: SIMD3<Int>) {
            precondition(d.x <= Int(Int32.max), "rows of \(d.x) voxels are too long for the known-voxel spans")
            let stride = Self.stride(d.x), count = d.y * d.z
            var bytes = [UInt8](repeating: 0, count: stride * count)
            var spans = [Span](repeating: Span(first: 1, last: 0), count: count)
            bytes.withUnsafeMutableBufferPointer { out in
                for row in 0..<count {
                    let source = accumulation.baseAddress! + row * d.x
                    let target = out.baseAddress! + row * stride + Self.padding
                    for x in 0..<d.x {
                        target[x] = source[x] != 0 ? 0xFF : 0
                    }
                    guard let first = (0..<d.x).first(where: { target[$0] != 0 }),
                          let last = (0..<d.x).reversed().first(where: { target[$0] != 0 }) else { continue }
                    spans[row] = Span(first: Int32(first), last: Int32(last))
                }
            }
            self.bytes = bytes
            self.spans = spans
        }
    }
}
