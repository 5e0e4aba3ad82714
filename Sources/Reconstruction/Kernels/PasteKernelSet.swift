import Foundation
import Imaging
import PasteKernels
#if canImport(PasteKernelsAVX2)
import PasteKernelsAVX2
#endif

/// Which compiled copy of the held-cell walkers (the double-precision trilinear kernels,
/// `PasteKernels`) pastes: the same Swift source, built once for baseline x86-64 (or the
/// machine's architecture) and, on x86-64, once more for AVX2 (`-target-cpu haswell`:
/// four-lane vectors, one instruction where baseline takes two). Both give the same bits:
/// Swift contracts no multiply-add into a fused one, so every operation rounds as written
/// (`PasteKernelSetTests` compares them).
public enum PasteKernelSet: String, Sendable, CaseIterable {
    /// The baseline copy, which runs on any machine this binary runs on.
    case baseline
    /// The AVX2 copy (x86-64 builds only), for processors with every feature of Haswell.
    case avx2

    /// The copy this machine runs: `avx2` where this build has it and the processor has
    /// every feature it may use, as Linux reports them in /proc/cpuinfo (which lists AVX only
    /// where the operating system saves its registers), else `baseline`. The environment
    /// variable `FREEHAND_KERNELS=baseline` forces the baseline copy (for comparisons).
    public static let detected: PasteKernelSet = {
        if ProcessInfo.processInfo.environment["FREEHAND_KERNELS"] == "baseline" { return .baseline }
        return PasteKernelSet.avx2.isAvailable ? .avx2 : .baseline
    }()

    /// Whether this build has this copy and this processor can run it.
    public var isAvailable: Bool {
        switch self {
        case .baseline: return true
        case .avx2:
            #if canImport(PasteKernelsAVX2)
            return Self.processorFlags.isSuperset(of: Self.haswellFlags)
            #else
            return false
            #endif
        }
    }

    /// Features `-target-cpu haswell` lets the compiler use, as /proc/cpuinfo names them
    /// (`abm` is LZCNT).
    private static let haswellFlags: Set<Substring> = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "popcnt", "abm"]

    /// The first processor's flags in /proc/cpuinfo (empty where it cannot be read).
    private static var processorFlags: Set<Substring> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " "))
    }

    /// This copy's walker types.
    private var copy: any CompiledKernels.Type {
        switch self {
        case .baseline: return BaselineKernels.self
        case .avx2:
            #if canImport(PasteKernelsAVX2)
            return AVX2Kernels.self
            #else
            return BaselineKernels.self
            #endif
        }
    }

    /// This copy's MEAN walker.
    var meanWalker: any HeldMeanWalking.Type { Self.mean(copy) }

    /// This copy's LATEST/MAXIMUM walker.
    var replaceWalker: any HeldReplaceWalking.Type { Self.replace(copy) }

    /// This copy's FULL (fixed-point) MEAN walker.
    var compiledFixedMeanWalker: any HeldFixedMeanWalking.Type { Self.fixedMean(copy) }

    /// The FULL (fixed-point) MEAN walker pasting takes with this copy, nil for the per-corner
    /// kernel: the baseline x86-64 copy has 16 vector registers for 8 lanes of state and
    /// spills (132 against the per-corner kernel's 136 frames per CPU-s, simulated sweep).
    var fixedMeanWalker: (any HeldFixedMeanWalking.Type)? {
        #if arch(x86_64)
        if self == .baseline { return nil }
        #endif
        return compiledFixedMeanWalker
    }

    private static func mean<C: CompiledKernels>(_: C.Type) -> any HeldMeanWalking.Type { C.Mean.self }
    private static func replace<C: CompiledKernels>(_: C.Type) -> any HeldReplaceWalking.Type { C.Replace.self }
    private static func fixedMean<C: CompiledKernels>(_: C.Type) -> any HeldFixedMeanWalking.Type { C.FixedMean.self }
}

/// The walker types of one compiled copy of PasteKernels.
protocol CompiledKernels {
    associatedtype Mean: HeldMeanWalking
    associatedtype Replace: HeldReplaceWalking
    associatedtype FixedMean: HeldFixedMeanWalking
}

/// The baseline copy.
enum BaselineKernels: CompiledKernels {
    typealias Mean = PasteKernels.HeldMeanWalker
    typealias Replace = PasteKernels.HeldReplaceWalker
    typealias FixedMean = PasteKernels.HeldFixedMeanWalker
}

#if canImport(PasteKernelsAVX2)
/// The AVX2 copy.
enum AVX2Kernels: CompiledKernels {
    typealias Mean = PasteKernelsAVX2.HeldMeanWalker
    typealias Replace = PasteKernelsAVX2.HeldReplaceWalker
    typealias FixedMean = PasteKernelsAVX2.HeldFixedMeanWalker
}
#endif

/// `HeldMeanWalker`'s interface, the same in every compiled copy.
protocol HeldMeanWalking {
    init?(voxels: SharedBuffer<UInt8>, accumulation: SharedBuffer<UInt16>, dimensions: SIMD3<Int>,
          slab: ClosedRange<Int>, xAxis: SIMD3<Double>, rejectBelow: Double?)
    mutating func paste(_ row: UnsafePointer<UInt8>, origin: SIMD3<Double>, _ first: Int, _ last: Int,
                        other: (Int, UInt8) -> Int) -> (pixels: Int, updates: Int)
    mutating func finish()
    var overflows: Int { get }
}

/// `HeldFixedMeanWalker`'s interface, the same in every compiled copy.
protocol HeldFixedMeanWalking {
    init?(voxels: SharedBuffer<UInt8>, accumulation: SharedBuffer<UInt16>, dimensions: SIMD3<Int>,
          slab: ClosedRange<Int>, xStep: SIMD3<Int>)
    mutating func paste(_ pixels: UnsafePointer<UInt8>, count: Int, start: SIMD3<Int>,
                        other: (Int) -> Int) -> (pixels: Int, updates: Int)
    mutating func finish()
}

/// `HeldReplaceWalker`'s interface, the same in every compiled copy.
protocol HeldReplaceWalking {
    init?(maximum: Bool, voxels: SharedBuffer<UInt8>, accumulation: SharedBuffer<UInt16>, dimensions: SIMD3<Int>,
          slab: ClosedRange<Int>, xAxis: SIMD3<Double>, rejectBelow: Double?)
    mutating func paste(_ row: UnsafePointer<UInt8>, origin: SIMD3<Double>, _ first: Int, _ last: Int) -> (pixels: Int, updates: Int)
    mutating func finish()
}

extension PasteKernels.HeldMeanWalker: HeldMeanWalking {}
extension PasteKernels.HeldReplaceWalker: HeldReplaceWalking {}
extension PasteKernels.HeldFixedMeanWalker: HeldFixedMeanWalking {}
#if canImport(PasteKernelsAVX2)
extension PasteKernelsAVX2.HeldMeanWalker: HeldMeanWalking {}
extension PasteKernelsAVX2.HeldReplaceWalker: HeldReplaceWalking {}
extension PasteKernelsAVX2.HeldFixedMeanWalker: HeldFixedMeanWalking {}
#endif
