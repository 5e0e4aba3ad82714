import ArgumentParser
import Reconstruction

extension ReconstructionSettings {
    /// Applies a `--spacing` option: no value keeps the configured spacing, one value sets an
    /// isotropic voxel size, three set x y z (mm).
    mutating func applySpacingOption(_ values: [Double]) throws {
        switch values.count {
        case 0: break
        case 1: outputSpacing = SIMD3(repeating: values[0])
        case 3: outputSpacing = SIMD3(values[0], values[1], values[2])
        default: throw ValidationError("--spacing takes one value or three (x y z), got \(values.count)")
        }
        guard outputSpacing.min() > 0 else { throw ValidationError("--spacing must be positive") }
    }
}
