import Recordings

extension LandmarkRegistration {
    /// The registration of the landmarks in two markups files (3D Slicer .mrk.json, .fcsv, CSV),
    /// paired by `pairing`, with the pair labels. A pairing or fitting failure names both files.
    public static func register(fixedFile: String, movingFile: String, model: Model, pairing: LandmarkPairing,
                                kernel: ThinPlateSpline.Kernel = .r) throws -> (labels: [String], registration: LandmarkRegistration) {
        let fixed = try MarkupsFile.readPoints(fixedFile), moving = try MarkupsFile.readPoints(movingFile)
        do throws(RegistrationError) {
            let pairs = try pairing.pair(fixed: fixed, moving: moving)
            return (pairs.labels, try LandmarkRegistration(fixed: pairs.fixed, moving: pairs.moving, model: model, kernel: kernel))
        } catch {
            throw RegistrationError.landmarkFiles(fixed: fixedFile, moving: movingFile, reason: error.description)
        }
    }
}
