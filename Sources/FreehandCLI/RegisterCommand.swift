import ArgumentParser
import Recordings
import Registration

extension LandmarkRegistration.Model: ExpressibleByArgument {}
extension LandmarkPairing: ExpressibleByArgument {}
extension ThinPlateSpline.Kernel: ExpressibleByArgument {}

/// `freehand register`: a transform from paired landmarks, as a file 3D Slicer loads.
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register a moving image to a fixed one from paired landmarks (rigid, similarity, affine, thin-plate spline).",
        discussion: """
        Points come from 3D Slicer markups (.mrk.json, .fcsv; RAS or LPS as the file says). The \
        output is an ITK transform file (.tfm/.txt) mapping fixed points to moving points (LPS), \
        which is how 3D Slicer and ITK store a transform that resamples the moving image onto the \
        fixed one: load it in Slicer and put the moving volume under it, or pass it to \
        `freehand resample MOVING --reference FIXED --transform T`. Rigid and similarity use Horn's \
        closed form (the same code as the phantom-landmark calibration), affine is least squares, \
        thin-plate maps every landmark exactly (ITK ThinPlateSplineKernelTransform, U(r) = r).
        """)

    @Option(help: "Landmarks in the fixed image (.mrk.json, .fcsv).")
    var fixed: String

    @Option(help: "The same landmarks in the moving image.")
    var moving: String

    @Option(help: "rigid, similarity, affine or thin-plate.")
    var model: LandmarkRegistration.Model = .rigid

    @Option(help: "Pair points by label, by order, or auto (label when all labels match).")
    var pairing: LandmarkPairing = .auto

    @Option(help: "Thin-plate kernel: r (ITK/Slicer 3-D default) or r2LogR.")
    var kernel: ThinPlateSpline.Kernel = .r

    @Option(name: .shortAndLong, help: "Output transform (.tfm or .txt).")
    var output: String

    func validate() throws {
        let lower = output.lowercased()
        guard lower.hasSuffix(".tfm") || lower.hasSuffix(".txt") else { throw ValidationError("-o must end in .tfm or .txt (ITK transform file)") }
    }

    func run() throws {
        let (labels, result) = try LandmarkRegistration.register(fixedFile: fixed, movingFile: moving, model: model, pairing: pairing, kernel: kernel)
        try TransformFile.writeITK(result.transform, to: output)
        print("\(model.rawValue) registration of \(labels.count) point pairs written to \(output) (fixed -> moving, LPS)")
        if let closed = result.closedForm, model == .similarity { print("scale: \(formatted(closed.scale, 6))") }
        print("point        FRE (mm)   leave-one-out (mm)")
        for (i, label) in labels.enumerated() {
            let loo = result.leaveOneOutErrors.map { formatted($0[i], 3) } ?? "-"
            print(label.padding(12) + " " + formatted(result.fiducialErrors[i], 3).padding(10) + " " + loo)
        }
        let rms = { (v: [Double]) in (v.reduce(0) { $0 + $1 * $1 } / Double(max(v.count, 1))).squareRoot() }
        print("RMS          " + formatted(rms(result.fiducialErrors), 3).padding(10) + " " + (result.leaveOneOutErrors.map { formatted(rms($0), 3) } ?? "-"))
    }

    func formatted(_ v: Double, _ digits: Int) -> String {
        guard v.isFinite else { return "n/a (degenerate subset)" }
        var p = 1.0
        for _ in 0..<digits { p *= 10 }
        return "\((v * p).rounded() / p)"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
