import Imaging

/// One compounding rule (PLUS's CompoundingMode) for a voxel `i` receiving a pixel `value`:
/// whole (nearest neighbour) or as a trilinear corner of weight `w` in arithmetic `A`. Each
/// returns 1 when the voxel's accumulation crossed PLUS's overflow threshold, else 0.
protocol Compounding {
    static func nearest<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int
    static func linear<V: PasteVoxel, A: PasteArithmetic>(_: A.Type, _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int,
                                                          _ value: V, _ w: A.Weight, _ importance: Int) -> Int
}

/// LATEST and MAXIMUM: a pixel replaces the voxel's value when `replaces` says so, and sets the
/// accumulation to its weight (linear: only corners of weight >= 1/8 take part).
protocol ReplacingCompounding: Compounding {
    static func replaces<V: PasteVoxel>(_ old: V, with value: V) -> Bool
}

extension ReplacingCompounding {
    @inline(__always)
    static func nearest<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        if replaces(out[i], with: value) { out[i] = value }
        acc[i] = UInt16(SlicePaster.accumulationMultiplier)
        return 0
    }

    @inline(__always)
    static func linear<V: PasteVoxel, A: PasteArithmetic>(_: A.Type, _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int,
                                                          _ value: V, _ w: A.Weight, _ importance: Int) -> Int {
        if A.reachesEighth(w) && replaces(out[i], with: value) {
            out[i] = value
            acc[i] = A.accumulation(cornerWeight: w)
        }
        return 0
    }
}

/// LATEST: the last pixel wins.
enum LatestCompounding: ReplacingCompounding {
    @inline(__always)
    static func replaces<V: PasteVoxel>(_ old: V, with value: V) -> Bool { true }
}

/// MAXIMUM: the brightest pixel wins.
enum MaximumCompounding: ReplacingCompounding {
    @inline(__always)
    static func replaces<V: PasteVoxel>(_ old: V, with value: V) -> Bool { old < value }
}

/// MEAN: the accumulation-weighted running mean; past the threshold, PLUS's 1/256 blend.
enum MeanCompounding: Compounding {
    @inline(__always)
    static func nearest<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        weightedNearest(out, acc, i, value, SlicePaster.accumulationMultiplier)
    }

    @inline(__always)
    static func linear<V: PasteVoxel, A: PasteArithmetic>(_: A.Type, _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int,
                                                          _ value: V, _ w: A.Weight, _ importance: Int) -> Int {
        A.mean(out, acc, i, value, w)
    }
}

extension MeanCompounding {
    /// PLUS's nearest-neighbour mean for a pixel of integer weight `w` (256 for MEAN, the mask
    /// value for IMPORTANCE_MASK) with integer division; past the threshold, the 1/256 blend.
    @inline(__always)
    static func weightedNearest<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ w: Int) -> Int {
        let a = Int(acc[i])
        if a <= SlicePaster.accumulationThreshold {
            guard w > 0 else { return 0 }
            let newA = a + w
            out[i] = V.weightedMeanInteger(input: value, inputWeight: w, output: out[i], accumulation: a, newAccumulation: newA)
            acc[i] = UInt16(min(newA, SlicePaster.accumulationMaximum))
            return newA > SlicePaster.accumulationThreshold ? 1 : 0
        }
        out[i] = V.overflowBlend(input: value, output: out[i])
        return 0
    }
}

/// IMPORTANCE_MASK: MEAN weighted by the pixel's mask value (linear: mask value * corner
/// weight, in double precision for both arithmetics).
enum ImportanceCompounding: Compounding {
    @inline(__always)
    static func nearest<V: PasteVoxel>(_ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int, _ value: V, _ importance: Int) -> Int {
        MeanCompounding.weightedNearest(out, acc, i, value, importance)
    }

    @inline(__always)
    static func linear<V: PasteVoxel, A: PasteArithmetic>(_: A.Type, _ out: SharedBuffer<V>, _ acc: SharedBuffer<UInt16>, _ i: Int,
                                                          _ value: V, _ w: A.Weight, _ importance: Int) -> Int {
        guard importance > 0 else { return 0 }
        let a = Double(acc[i])
        let inputWeight = Double(importance) * A.toDouble(w)
        out[i] = V.weightedMean(input: value, inputWeight: inputWeight, output: out[i], outputWeight: a)
        let newA = inputWeight + a
        acc[i] = DoubleArithmetic.stored(newA)
        return newA > Double(SlicePaster.accumulationThreshold) && a <= Double(SlicePaster.accumulationThreshold) ? 1 : 0
    }
}
