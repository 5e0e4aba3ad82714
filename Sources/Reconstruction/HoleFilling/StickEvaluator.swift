/// One thread's STICK kernel: IGSIO's `applySticks` for the holes of the slabs that thread
/// fills, with the stick ends found per row instead of per hole.
///
/// For each stick, PLUS walks forward from the hole (at most `StickLengthLimit - 1` steps) and
/// then backward (at most what is left of the limit) to the nearest known voxel (accumulation
/// above 0), scores the stick 1 / (voxels spanned x its length), keeps its interpolated value
/// in the voxel type, and averages the best `NumberOfSticksToUse` sticks by score. Here every
/// voxel of the hole's row gets both distances for all 13 sticks at once: one pass per
/// direction and step over the known-voxel bytes (`KnownVoxels`, made once per volume, rows
/// padded with zeros so shifted reads need no bounds) of the row that step reaches, shifted by
/// it, 16 voxels per instruction. A
/// stick counts when both ends are known and the stick spans at most the limit, which is
/// exactly when PLUS's two walks succeed, so neither end is farther than `StickLengthLimit - 2`;
/// one more pass marks the voxels where some stick counts, and only those holes read their
/// 26 distances and score their sticks. Sticks longer than `longestTabulatedStick` walk
/// from each hole as PLUS does (a row would take too many passes).
final class StickEvaluator {
    let limit: Int
    let sticksToUse: Int
    let dimensions: SIMD3<Int>
    /// Whether the ends come from row tables rather than walks.
    let tabulated: Bool
    /// 26 rows of `width` distances (0: no known voxel within reach): forward along
    /// stick i at row i, backward at row 13 + i. Empty when not tabulated.
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
    /// Per voxel of the loaded row: 1 where at least one stick has both ends within the limit
    /// (a hole where none has fails without reading its distances).
    private let usable: UnsafeMutableBufferPointer<UInt8>
    /// The 26 directions grouped by their y and z steps: a group's directions read the same
    /// rows (shifted along x by their x steps), so each row's mask is made once per group.
    private let groups: [DirectionGroup]
    /// The known voxels of the accumulation.
    private let known: KnownVoxels
    /// The row (z * y-count + y) whose distances are loaded; -1 before the first.
    private var loadedRow = -1
    /// Whether the loaded row's sticks reach no known voxel at all.
    private var loadedRowIsEmpty = true

    /// Largest `StickLengthLimit` whose ends are tabulated per row: a row takes `limit - 2`
    /// passes per direction, and beyond this walking from each hole is cheaper.
    static let longestTabulatedStick = 32

    private static var count: Int { HoleFillingKernel.sticks.count }

    /// `limit` and `sticksToUse` are the element's (checked by `HoleFillingElement.validate`:
    /// at most 1,000 and 13); a limit under 3 never succeeds. `known` holds the known voxels
    /// of the accumulation the holes are filled from.
    init(limit: Int, sticksToUse: Int, dimensions: SIMD3<Int>, known: KnownVoxels) {
        precondition(known.bytes.count == KnownVoxels.stride(dimensions.x) * dimensions.y * dimensions.z && known.rows.count == dimensions.y * dimensions.z,
                     "known voxels of a \(dimensions) volume expected, got \(known.bytes.count) bytes and \(known.rows.count) rows")
        self.known = known
        self.limit = limit
        self.sticksToUse = sticksToUse
        self.dimensions = dimensions
        tabulated = (3...Self.longestTabulatedStick).contains(limit)
        let count = Self.count
        width = KnownVoxels.width(dimensions.x)
        distances = .allocate(capacity: tabulated ? 2 * count * width : 0)
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
            if let g = groups.firstIndex(where: { $0.y == step.y && $0.z == step.z }) {
                groups[g].members.append(.init(x: step.x, row: direction))
            } else {
                groups.append(DirectionGroup(y: step.y, z: step.z, members: [.init(x: step.x, row: direction)]))
            }
        }
        self.groups = groups
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
    }

    /// The value for the empty voxel `c`, or nil when no stick succeeds there.
    func value<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>) -> S? {
        guard limit >= 3, sticksToUse >= 1 else { return nil }
        let count = Self.count
        let d = dimensions
        let centre = (c.z * d.y + c.y) * d.x + c.x
        if tabulated {
            load(y: c.y, z: c.z)
            if loadedRowIsEmpty || usable[c.x] == 0 { return nil }
            let column = distances.baseAddress! + c.x
            for i in 0..<(2 * count) { ends[i] = Int(column[i &* width]) }
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

    /// `load(y:z:)` for `row`, with `KnownVoxels.bytes` at `bytes`.
    private func load(row: Int, y: Int, z: Int, bytes: UnsafePointer<UInt8>) {
        let d = dimensions
        let rowStride = KnownVoxels.stride(d.x), width = width
        distances.update(repeating: 0)
        for group in groups {
            // Farthest step first, so the nearest known voxel's distance is the one left.
            for j in stride(from: limit - 2, through: 1, by: -1) {
                let sy = y + j * group.y, sz = z + j * group.z
                guard sy >= 0, sy < d.y, sz >= 0, sz < d.z, known.rows[sz * d.y + sy] else { continue }
                // Masks rather than branches; the padding reads as unknown, as PLUS's walks stop at the edge.
                let source = UnsafeRawPointer(bytes + (sz * d.y + sy) * rowStride + KnownVoxels.padding)
                let value = SIMD16<UInt8>(repeating: UInt8(truncatingIfNeeded: j))
                loadedRowIsEmpty = false
                for member in group.members {
                    let shifted = source + j * member.x
                    let target = UnsafeMutableRawPointer(distances.baseAddress! + member.row * width)
                    for x in stride(from: 0, to: width, by: 16) {
                        let known = shifted.loadUnaligned(fromByteOffset: x, as: SIMD16<UInt8>.self)
                        let t = target.loadUnaligned(fromByteOffset: x, as: SIMD16<UInt8>.self)
                        target.storeBytes(of: (t & ~known) | (value & known), toByteOffset: x, as: SIMD16<UInt8>.self)
                    }
                }
            }
        }
        guard !loadedRowIsEmpty else { return }
        // Both ends known and forward + reverse + 1 <= limit (sums stay under 2 x 32: no overflow).
        usable.update(repeating: 0)
        let below = UInt8(truncatingIfNeeded: limit)
        let table = distances.baseAddress!, flags = usable.baseAddress!
        for i in 0..<Self.count {
            let forward = table + i * width, reverse = table + (Self.count + i) * width
            for x in 0..<width {
                let f = forward[x], r = reverse[x]
                let ok: UInt8 = (f != 0 ? 1 : 0) & (r != 0 ? 1 : 0) & (f &+ r < below ? 1 : 0)
                flags[x] |= ok
            }
        }
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
    /// Stick directions that share their y and z steps.
    struct DirectionGroup {
        struct Member {
            /// The direction's x step.
            var x: Int
            /// Its row in the distance table.
            var row: Int
        }

        var y: Int
        var z: Int
        var members: [Member]
    }
}

extension StickEvaluator {
    /// The known voxels (accumulation above 0) of a volume, made once and shared by the threads' evaluators.
    struct KnownVoxels: Sendable {
        /// One byte per voxel: 0xFF where known, else 0. Row z * y-count + y starts at
        /// row x `stride(x-count)` + `padding`; the bytes around each row's voxels are 0.
        let bytes: [UInt8]
        /// Per row (z * y-count + y): whether it holds a known voxel.
        let rows: [Bool]

        /// Zeros before each row: more than the farthest step of a tabulated stick (limit - 2).
        static var padding: Int { StickEvaluator.longestTabulatedStick }
        /// A row's voxels rounded up to 16, the length of a pass.
        static func width(_ x: Int) -> Int { (x + 15) / 16 * 16 }
        /// Bytes from one row to the next: room for a pass shifted up to `padding` either way.
        static func stride(_ x: Int) -> Int { padding + width(x) + padding }

        /// Bytes the table takes for a grid of dimensions `d` (the padded rows and the row
        /// flags), or nil when that overflows: counted by `MemoryBudget` before it is allocated.
        static func requiredBytes(dimensions d: SIMD3<Int>) -> Int? {
            let (rows, o1) = d.y.multipliedReportingOverflow(by: d.z)
            let (perRow, o2) = stride(d.x).addingReportingOverflow(1)
            let (total, o3) = rows.multipliedReportingOverflow(by: perRow)
            return o1 || o2 || o3 ? nil : total
        }

        init(accumulation: UnsafeBufferPointer<UInt16>, dimensions d: SIMD3<Int>) {
            let stride = Self.stride(d.x), count = d.y * d.z
            var bytes = [UInt8](repeating: 0, count: stride * count)
            var rows = [Bool](repeating: false, count: count)
            bytes.withUnsafeMutableBufferPointer { out in
                for row in 0..<count {
                    let source = accumulation.baseAddress! + row * d.x
                    let target = out.baseAddress! + row * stride + Self.padding
                    var any: UInt8 = 0
                    for x in 0..<d.x {
                        let k: UInt8 = source[x] != 0 ? 0xFF : 0
                        target[x] = k
                        any |= k
                    }
                    rows[row] = any != 0
                }
            }
            self.bytes = bytes
            self.rows = rows
        }
    }
}
