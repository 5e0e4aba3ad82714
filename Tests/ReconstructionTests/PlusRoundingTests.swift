import Testing
@testable import Reconstruction

/// `PlusRounding`'s libm-free floor must give exactly what `clampedInt(y.rounded(.down))` gives.
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
            #expect(PlusRounding.floor(y) == reference(y + PlusRounding.tolerance), "igsioMath::Floor(\(y))")
            #expect(PlusRounding.round(y) == reference(y + 0.5 + PlusRounding.tolerance), "igsioMath::Round(\(y))")
        }
    }
}
