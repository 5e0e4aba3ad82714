// swift-tools-version: 6.1
import PackageDescription

/// The double-precision trilinear kernels (Sources/PasteKernels) are compiled twice on x86-64:
/// as baseline code, and as `PasteKernelsAVX2` for processors with AVX2 (Sources/PasteKernelsAVX2
/// holds a symbolic link to each of PasteKernels' files; Reconstruction picks the copy at run
/// time, `PasteKernelSet`). The manifest is evaluated on the machine that builds, so this is a
/// native build's architecture.
#if arch(x86_64)
let avx2Kernels: [Target] = [
    .target(name: "PasteKernelsAVX2", dependencies: ["Imaging"], swiftSettings: [.unsafeFlags(["-target-cpu", "haswell"])]),
]
let avx2KernelDependency: [Target.Dependency] = ["PasteKernelsAVX2"]
#else
let avx2Kernels: [Target] = []
let avx2KernelDependency: [Target.Dependency] = []
#endif

let package = Package(
    name: "Freehand",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "freehand", targets: ["FreehandCLI"]),
        .library(name: "FileSafety", targets: ["FileSafety"]),
        .library(name: "Geometry", targets: ["Geometry"]),
        .library(name: "Imaging", targets: ["Imaging"]),
        .library(name: "Recordings", targets: ["Recordings"]),
        .library(name: "Reconstruction", targets: ["Reconstruction"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "IGTLink", targets: ["IGTLink"]),
        .library(name: "Live", targets: ["Live"]),
        .library(name: "Calibration", targets: ["Calibration"]),
        .library(name: "Devices", targets: ["Devices"]),
        .library(name: "Benchmarks", targets: ["Benchmarks"]),
        .library(name: "Registration", targets: ["Registration"]),
        .library(name: "Resampling", targets: ["Resampling"]),
        .library(name: "Reslicing", targets: ["Reslicing"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // C libraries, one system-library target each behind a tiny shim header.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "COpenIGTLink", path: "Sources/COpenIGTLink", providers: [.apt(["libopenigtlink-dev"])]),
        .systemLibrary(name: "CLibUSB", path: "Sources/CLibUSB", providers: [.apt(["libusb-1.0-0-dev"])]),

        // Libraries, one per concept.
        .target(name: "FileSafety"),
        .target(name: "Geometry"),
        .target(name: "Imaging", dependencies: ["FileSafety", "Geometry", "CZlib"]),
        .target(name: "Recordings", dependencies: ["FileSafety", "Geometry", "Imaging", "CZlib"]),
        .target(name: "PasteKernels", dependencies: ["Imaging"]),
        .target(name: "Reconstruction", dependencies: ["FileSafety", "Geometry", "Imaging", "Recordings", "PasteKernels"] + avx2KernelDependency),
        .target(name: "Simulation", dependencies: ["Geometry", "Imaging", "Recordings"]),
        .target(name: "IGTLink", dependencies: [
            "COpenIGTLink", "Geometry", "Imaging",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "Live", dependencies: ["FileSafety", "Geometry", "Imaging", "Recordings", "Reconstruction", "IGTLink", "Calibration"]),
        .target(name: "Calibration", dependencies: ["FileSafety", "Geometry", "Imaging", "Recordings"]),
        .target(name: "Devices", dependencies: ["CLibUSB"], resources: [.copy("KnownDevices.json")]),
        .target(name: "Benchmarks", dependencies: ["Geometry", "Imaging", "Recordings", "Reconstruction", "Simulation", "Reslicing"]),
        .target(name: "Registration", dependencies: ["Geometry", "Recordings"]),
        .target(name: "Resampling", dependencies: ["FileSafety", "Geometry", "Imaging", "Recordings", "Registration"]),
        .target(name: "Reslicing", dependencies: ["Geometry", "Imaging", "Recordings", "Reconstruction"]),
        .target(name: "Evaluation", dependencies: ["Geometry", "Imaging", "Recordings", "Reconstruction", "Reslicing", "Simulation"]),

        // The one thin executable.
        .executableTarget(name: "FreehandCLI", dependencies: [
            "FileSafety", "Geometry", "Imaging", "Recordings", "Reconstruction", "Simulation",
            "IGTLink", "Live", "Calibration", "Devices", "Benchmarks", "Registration", "Resampling", "Reslicing", "Evaluation",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .target(name: "FreehandTestSupport", path: "Tests/FreehandTestSupport"),
        .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
        .testTarget(name: "ImagingTests", dependencies: ["FreehandTestSupport", "Imaging"]),
        .testTarget(name: "RecordingsTests", dependencies: ["FreehandTestSupport", "Recordings", "Imaging", "Geometry"]),
        .testTarget(name: "ReconstructionTests", dependencies: ["FreehandTestSupport", "Reconstruction", "PasteKernels", "Recordings", "Imaging", "Geometry", "Simulation"]),
        .testTarget(name: "SimulationTests", dependencies: ["FreehandTestSupport", "Simulation", "Reconstruction", "Recordings", "Imaging", "Geometry"]),
        .testTarget(name: "IGTLinkTests", dependencies: ["FreehandTestSupport", "IGTLink", "Imaging", "Geometry",
                                                   .product(name: "NIOCore", package: "swift-nio"),
                                                   .product(name: "NIOEmbedded", package: "swift-nio"),
                                                   .product(name: "NIOTestUtils", package: "swift-nio")],
                    exclude: ["FuzzCorpus", "Peers", "LibFuzzer"]),
        .testTarget(name: "LiveTests", dependencies: ["FreehandTestSupport", "Live", "IGTLink", "Reconstruction", "Recordings", "Imaging", "Geometry"],
                    exclude: ["Peers"]),
        .testTarget(name: "CalibrationTests", dependencies: ["FreehandTestSupport", "Calibration", "Live", "Recordings", "Imaging", "Geometry"]),
        .testTarget(name: "DevicesTests", dependencies: ["FreehandTestSupport", "Devices"]),
        .testTarget(name: "EvaluationTests", dependencies: ["FreehandTestSupport", "Evaluation", "Reconstruction", "Recordings", "Imaging", "Geometry", "Simulation"]),
        .testTarget(name: "RegistrationTests", dependencies: ["FreehandTestSupport", "Registration", "Recordings", "Geometry"]),
        .testTarget(name: "ResamplingTests", dependencies: ["FreehandTestSupport", "Resampling", "Registration", "Recordings", "Imaging", "Geometry", "Simulation", "Reconstruction"]),
        .testTarget(name: "ReslicingTests", dependencies: ["FreehandTestSupport", "Reslicing", "Reconstruction", "Recordings", "Imaging", "Geometry", "Simulation"]),
    ] + avx2Kernels,
    swiftLanguageModes: [.v6]
)
