/// One thread's STICK kernel: IGSIO's `applySticks` for the holes of the slabs that thread
/// fills, with the stick ends found per row instead of per hole.
///
/// For each stick, PLUS walks forward from the hole (at most `StickLengthLimit - 1` steps) and
/// then backward (at most what is left of the limit) to the nearest known voxel (accumulation
/// above 0), scores the stick 1 / (voxels spanned x its length), keeps its interpolated value
/// in the voxel type, and averages the best `NumberOfSticksToUse` sticks by score. A stick
/// counts when both ends are known and the stick spans at most the limit, which is exactly
/// when PLUS's two walks succeed, so neither end is farther than `StickLengthLimit - 2`.
///
/// Here the known voxels are also bits (`KnownVoxels`, 64 voxels of a row per word), and a
/// row loads, for each of the 26 directions and each step j, the row j steps away shifted by
/// j along x: one bit plane, whose bit x says whether the voxel j steps from x is known.
/// Word-wide ORs and ANDs of those planes mark, per stick, the voxels where it counts. Only
/// between the row's first and last such voxel, and only for sticks that count somewhere in
/// the row, byte tables get each voxel's distances (one vectorised pass per direction and
/// step over the known-voxel bytes); holes where some stick counts read their 26 distances
/// and score their sticks. Sticks longer than `longestTabulatedStick` walk from each hole as
/// PLUS does (a row would take too many planes).
final class StickEvaluator {
    let limit: Int
    let sticksToUse: Int
    let dimensions: SIMD3<Int>
    /// Whether the ends come from bit planes rather than walks.
    let tabulated: Bool
    /// Words per row of bits: `dimensions.x` bits rounded up to 64.
    let wordsPerRow: Int
    /// Steps a plane set holds per direction: `limit - 2`.
    private let steps: Int
    /// Bit planes of the loaded row: direction k (forward along stick k for k < 13, backward
    /// along stick k - 13 after), step j (1...steps) at words ((k x steps) + j - 1) x
    /// `wordsPerRow`. Empty when not tabulated.
    private let planes: UnsafeMutableBufferPointer<UInt64>
    /// Per stick, `wordsPerRow` words: bit x set where the stick counts at voxel x of the loaded row.
    private let usableSticks: UnsafeMutableBufferPointer<UInt64>
    /// Bit x set where some stick counts at voxel x of the loaded row.
    private let usable: UnsafeMutableBufferPointer<UInt64>
    /// Scratch: a backward direction's planes ORed up to the current step.
    private let reach: UnsafeMutableBufferPointer<UInt64>
    /// 26 rows of `dimensions.x` distances for the loaded row (0: no known voxel within
    /// reach, or not needed): forward along stick i at row i, backward at row 13 + i.
    private let distances: UnsafeMutableBufferPointer<UInt8>
    /// The current hole's distances: forward along stick i at i, backward at 13 + i (0: none).
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
    /// The known voxels of the accumulation.
    private let known: KnownVoxels
    /// The row (z * y-count + y) whose planes are loaded; -1 before the first.
    private var loadedRow = -1

    /// Largest `StickLengthLimit` whose ends are tabulated per row: a row takes `limit - 2`
    /// planes per direction, and beyond this walking from each hole is cheaper.
    static let longestTabulatedStick = 32

    private static var count: Int { HoleFillingKernel.sticks.count }

    /// `limit` and `sticksToUse` are the element's (checked by `HoleFillingElement.validate`:
    /// at most 1,000 and 13); a limit under 3 never succeeds. `known` holds the known voxels
    /// of the accumulation the holes are filled from.
    init(limit: Int, sticksToUse: Int, dimensions: SIMD3<Int>, known: KnownVoxels) {
        let wordsPerRow = KnownVoxels.wordsPerRow(dimensions.x)
        precondition(known.bytes.count == dimensions.x * dimensions.y * dimensions.z
                     && known.bits.count == dimensions.y * dimensions.z * wordsPerRow,
                     "known voxels of a \(dimensions) volume expected, got \(known.bytes.count) bytes and \(known.bits.count) words")
        self.known = known
        self.limit = limit
        self.sticksToUse = sticksToUse
        self.dimensions = dimensions
        self.wordsPerRow = wordsPerRow
        tabulated = (3...Self.longestTabulatedStick).contains(limit)
        steps = tabulated ? limit - 2 : 0
        let count = Self.count
        planes = .allocate(capacity: 2 * count * steps * wordsPerRow)
        usableSticks = .allocate(capacity: tabulated ? count * wordsPerRow : 0)
        usable = .allocate(capacity: tabulated ? wordsPerRow : 0)
        reach = .allocate(capacity: tabulated ? wordsPerRow : 0)
        distances = .allocate(capacity: tabulated ? 2 * count * dimensions.x : 0)
        ends = .allocate(capacity: 2 * count)
        scores = .allocate(capacity: count)
        let columns = 2 * max(limit, 0)
        scoreTable = .allocate(capacity: count * columns)
        offsets = .allocate(capacity: count)
        for (i, s) in HoleFillingKernel.sticks.enumerated() {
            offsets[i] = (s.z * dimensions.y + s.y) * dimensions.x + s.x
            let length = Double(s.x * s.x + s.y * s.y + s.z * s.z).squareRoot()
            for t in 0..<columns { scoreTable[i * columns + t] = (t >= 3 && t <= limit ? 1 / (Double(t) * length) : 0).bitPattern }
        }
    }

    deinit {
        planes.deallocate()
        usableSticks.deallocate()
        usable.deallocate()
        reach.deallocate()
        distances.deallocate()
        ends.deallocate()
        scores.deallocate()
        scoreTable.deallocate()
        offsets.deallocate()
    }

    /// The value for the empty voxel `c`, or nil when no stick succeeds there.
    func value<S: HoleFillingVoxel>(at c: SIMD3<Int>, input: UnsafeBufferPointer<S>, accumulation: UnsafeBufferPointer<UInt16>) -> S? {
        guard limit >= 3, sticksToUse >= 1 else { return nil }
        let count = Self.count
        let d = dimensions
        let centre = (c.z * d.y + c.y) * d.x + c.x
        if tabulated {
            load(y: c.y, z: c.z)
            let w = c.x >> 6, bit = UInt64(1) << UInt64(c.x & 63)
            if usable[w] & bit == 0 { return nil }
            let column = distances.baseAddress! + c.x
            for i in 0..<(2 * count) { ends[i] = Int(column[i &* d.x]) }
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

    /// Makes the planes and usable bits of row (`y`, `z`) current (nothing to do when they already are).
    private func load(y: Int, z: Int) {
        let d = dimensions
        let row = z * d.y + y
        guard row != loadedRow else { return }
        loadedRow = row
        let n = wordsPerRow, count = Self.count
        known.bits.withUnsafeBufferPointer { bits in
            for direction in 0..<(2 * count) {
                let s = HoleFillingKernel.sticks[direction % count]
                let step = direction < count ? s : 0 &- s
                for j in 1...steps {
                    let plane = planes.baseAddress! + (direction * steps + j - 1) * n
                    let sy = y + j * step.y, sz = z + j * step.z
                    guard sy >= 0, sy < d.y, sz >= 0, sz < d.z else { plane.update(repeating: 0, count: n); continue }
                    Self.shifted(bits.baseAddress! + (sz * d.y + sy) * n, by: j * step.x, words: n, into: plane)
                }
            }
        }
        // Stick i counts at x when forward step f and backward step r are known with
        // f + r <= limit - 1: OR over f of (forward plane f AND backward planes 1...limit-1-f).
        usable.update(repeating: 0)
        for i in 0..<count {
            let forward = planes.baseAddress! + i * steps * n
            let backward = planes.baseAddress! + (count + i) * steps * n
            let counts = usableSticks.baseAddress! + i * n
            reach.update(repeating: 0)
            counts.update(repeating: 0, count: n)
            for k in 1...steps {
                // Backward step k joins the reach; forward step limit - 1 - k pairs with it.
                let f = limit - 1 - k
                for w in 0..<n {
                    reach[w] |= backward[(k - 1) * n + w]
                    counts[w] |= forward[(f - 1) * n + w] & reach[w]
                }
            }
            for w in 0..<n { usable[w] |= counts[w] }
        }
        // Distances between the first and the last voxel where a stick counts.
        guard let first = (0..<n).first(where: { usable[$0] != 0 }), let last = (0..<n).last(where: { usable[$0] != 0 }) else { return }
        let lo = 64 * first + usable[first].trailingZeroBitCount
        let hi = min(d.x - 1, 64 * last + 63 - usable[last].leadingZeroBitCount)
        guard lo <= hi else { return }
        distances.update(repeating: 0)
        known.bytes.withUnsafeBufferPointer { bytes in
            for direction in 0..<(2 * count) {
                let stick = direction % count
                // A stick that counts nowhere in the row keeps distance 0: it scores 0 as in PLUS.
                guard (0..<n).contains(where: { usableSticks[stick * n + $0] != 0 }) else { continue }
                let s = HoleFillingKernel.sticks[stick]
                let step = direction < count ? s : 0 &- s
                let target = distances.baseAddress! + direction * d.x
                // Farthest step first, so the nearest known voxel's distance is the one left.
                for j in stride(from: steps, through: 1, by: -1) {
                    let sy = y + j * step.y, sz = z + j * step.z
                    guard sy >= 0, sy < d.y, sz >= 0, sz < d.z else { continue }
                    let shift = j * step.x
                    let start = max(lo, -shift), end = min(hi + 1, d.x - shift)
                    guard start < end else { continue }
                    // Pointers and masks rather than indices and branches, so the loop vectorises.
                    let shifted = bytes.baseAddress! + (sz * d.y + sy) * d.x + shift
                    let value = UInt8(truncatingIfNeeded: j)
                    for x in start..<end { target[x] = (target[x] & ~shifted[x]) | (value & shifted[x]) }
                }
            }
        }
    }

    /// Writes `source` (`words` words of bits) shifted so that bit x of the result is bit
    /// x + `shift` of the source (0 outside the source); |shift| < 64.
    @inline(__always)
    private static func shifted(_ source: UnsafePointer<UInt64>, by shift: Int, words: Int, into target: UnsafeMutablePointer<UInt64>) {
        if shift == 0 {
            target.update(from: source, count: words)
        } else if shift > 0 {
            let r = UInt64(shift), l = UInt64(64 - shift)
            for w in 0..<words {
                let high = w + 1 < words ? source[w + 1] &<< l : 0
                target[w] = (source[w] &>> r) | high
            }
        } else {
            let l = UInt64(-shift), r = UInt64(64 + shift)
            for w in 0..<words {
                let low = w > 0 ? source[w - 1] &>> r : 0
                target[w] = (source[w] &<< l) | low
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
    /// The known voxels (accumulation above 0) of a volume, shared by the threads' evaluators.
    struct KnownVoxels: Sendable {
        /// One byte per voxel: 0xFF where known, else 0.
        let bytes: [UInt8]
        /// Row z * y-count + y at words row x `wordsPerRow(x-count)`, voxel x at bit x % 64 of
        /// word x / 64; bits past the row's end are 0.
        let bits: [UInt64]

        /// Words of bits per row of `width` voxels.
        static func wordsPerRow(_ width: Int) -> Int { (width + 63) / 64 }

        init(accumulation: UnsafeBufferPointer<UInt16>, dimensions d: SIMD3<Int>) {
            bytes = accumulation.map { $0 != 0 ? 0xFF : 0 }
            let perRow = Self.wordsPerRow(d.x)
            var bits = [UInt64](repeating: 0, count: d.y * d.z * perRow)
            bits.withUnsafeMutableBufferPointer { out in
                for row in 0..<(d.y * d.z) {
                    let source = accumulation.baseAddress! + row * d.x
                    for w in 0..<perRow {
                        var word: UInt64 = 0
                        for b in 0..<min(64, d.x - 64 * w) { word |= (source[64 * w + b] != 0 ? 1 : 0) << UInt64(b) }
                        out[row * perRow + w] = word
                    }
                }
            }
            self.bits = bits
        }
    }
}
