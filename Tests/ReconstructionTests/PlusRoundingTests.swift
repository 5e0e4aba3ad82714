import Testing
@testable import Reconstruction
import PasteKernels

/// `PlusRounding`'s libm-free floor must give exactly what `clampedInt(y.rounded(.down))` gives,
/// and its floor/round exactly what IGSIO's 64-bit `igsioMath::Floor/Round` give.
@Suite struct PlusRoundingTests {
    func reference(_ y: Double) -> Int { PlusRounding.clampedInt(y.rounded(.down)) }

    @Test func floorIntMatchesLibmFloorEverywhere() {
        var values: [Double] = [0, -0.0, 0.5, -0.5, 1, -1, 1 - 0x1p-53, -1 + 0x1p-53, 2.5, -2.5, 1e-300, -1e-300,
                                .leastNonzeroMagnitude, -.leastNonzeroMagnitude, 4.4e15, -4.4e15, 4.5e15, -4.5e15,
                                0x1p52, -0x1p52, 0x1p52 - 0.5, -0x1p52 + 0.5, 0x1p53, -0x1p53, 1e300, -1e300,
                                .infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude]
        for k in -3000...3000 {
            let base = Double(k)
            values += [base, base.nextUp, base.nextDown, base + 0.5, base - PlusRounding.tolerance, base * 1e9 + 0.25]
        }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            values.append(Double.random(in: -1e6...1e6, using: &generator))
            values.append(Double(bitPattern: generator.next()))
        }
        for y in values {
            #expect(PlusRounding.floorInt(y) == reference(y), "floor(\(y))")
            #expect(PlusRounding.floor(y) == igsio(y, 103079215104.0), "igsioMath::Floor(\(y))")
            #expect(PlusRounding.round(y) == igsio(y, 103079215104.5), "igsioMath::Round(\(y))")
        }
    }

    /// IGSIO's 64-bit `igsioMath::Floor/Round`: `(long long)(x + shift) - 103079215104`, with
    /// libm's truncation; beyond any grid (and NaN) the tolerance-shifted libm floor, pinned.
    func igsio(_ x: Double, _ shift: Double) -> Int {
        let y = x + shift
        guard y > -4.4e15 && y < 4.4e15 else { return reference(x + (shift - 103079215104.0) + PlusRounding.tolerance) }
        return Int(y.rounded(.towardZero)) - 103079215104
    }

    /// IGSIO's rounding is `floor(x + 2^-17)` (round: of x + 0.5) except within about 2^-46 of
    /// that boundary, where rounding x to a multiple of 2^-16 decides.
    @Test func igsioRoundingIsToleranceShiftedFloorAwayFromTheBoundary() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100_000 {
            let x = Double.random(in: -5000...5000, using: &generator)
            #expect(PlusRounding.floor(x) == reference(x + PlusRounding.tolerance), "floor(\(x))")
            #expect(PlusRounding.round(x) == reference(x + 0.5 + PlusRounding.tolerance), "round(\(x))")
        }
        for k in -300...300 {
            let below = Double(k) - PlusRounding.tolerance
            #expect(PlusRounding.floor(below) == k && PlusRounding.floor(below.nextDown.nextDown) == k - 1, "floor near \(k)")
            #expect(PlusRounding.round(below - 0.5) == k, "round near \(k) - 0.5")
        }
    }

    /// The branch-free `roundNear` (and `roundBits` less its bias) is `round` for every |x|
    /// below 2^30: random values across
    /// the range and every value near the rounding boundaries k + 0.5 - 2^-17 of small k.
    @Test func roundNearEqualsRoundInItsRange() {
        var generator = SystemRandomNumberGenerator()
        var values: [Double] = [0, -0.0, 0.5, -0.5, 0x1p30.nextDown, -0x1p30.nextUp, 65535, 65535.5, 65791.9]
        for _ in 0..<100_000 {
            values.append(Double.random(in: -300...66000, using: &generator))
            values.append(Double.random(in: -0x1p30...0x1p30, using: &generator))
        }
        for k in -300...66000 {
            var x = Double(k) + 0.5 - PlusRounding.tolerance
            for _ in 0..<3 { x = x.nextDown }
            for _ in 0..<6 { values.append(x); x = x.nextUp }
        }
        var mismatches = 0
        for x in values where PlusRounding.roundNear(x) != PlusRounding.round(x) { mismatches += 1 }
        #expect(mismatches == 0)
        var bitsMismatches = 0
        for x in values where PlusRounding.roundBits(x) - PlusRounding.roundBitsBias != PlusRounding.round(x) { bitsMismatches += 1 }
        #expect(bitsMismatches == 0, "roundBits is round plus its bias in the same range")
    }
}
