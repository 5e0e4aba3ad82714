import Imaging

extension VolumeFile {
    /// Writes `volume` to `path`: `.nrrd` (gzip encoding when `compressed`), `.mha` (attached
    /// data, one zlib stream when `compressed`) or `.mhd` (+ `.raw`/`.zraw` beside it).
    ///
    /// Geometry convention. Freehand volumes live in the PLUS Reference frame, which has no
    /// anatomical meaning; PLUS writes them as MetaImage, whose `Offset`/`TransformMatrix` ITK and
    /// 3D Slicer take as physical LPS coordinates, unchanged. The NRRD is therefore written with
    /// `space: left-posterior-superior` and the origin and axis vectors copied as they are, so
    /// ITK (SimpleITK) reads back exactly the same origin, spacing and directions from the .nrrd
    /// as from the .mha, and Slicer places both in the same spot. Writing `right-anterior-superior`
    /// instead would either flip x and y for every reader (if the numbers were copied) or change
    /// the numbers in the file (if converted), breaking the one-to-one match with PLUS outputs.
    /// `space directions` carry spacing times the unit axis direction, per the NRRD specification.
    public static func write(_ volume: AnyVolume, to path: String, compressed: Bool = true) throws(RecordingError) {
        let format = try SequenceFile.Format(path: path)
        if path.lowercased().hasSuffix(".nhdr") {
            throw .unsupported(file: path, field: "file extension", value: ".nhdr (write .nrrd: the data is attached)")
        }
        let g = volume.geometry
        let file = try RawFile.temporary(for: path)
        var data: RawFile?
        do {
            switch format {
            case .nrrd:
                let text = Array(nrrdHeader(g, scalarType: volume.scalarType, gzip: compressed).utf8)
                try file.write(text, at: 0)
                _ = try writeVoxels(volume, to: file, at: text.count, compressed: compressed, gzip: true)
            case .metaImage:
                let (text, sizeOffset) = metaImageHeader(g, scalarType: volume.scalarType, compressed: compressed, compressedSize: nil, dataFile: "LOCAL")
                try file.write(text, at: 0)
                let size = try writeVoxels(volume, to: file, at: text.count, compressed: compressed, gzip: false)
                if let sizeOffset {
                    try file.write(Array(SequenceHeaderText.pad(String(size), SequenceHeaderText.paddedWidth).utf8), at: sizeOffset)
                }
            case .metaImageDetached:
                let dataName = SequenceFile.baseName(path) + (compressed ? ".zraw" : ".raw")
                let dataPath = RasterHeader.resolve(dataName, relativeTo: path)
                let dataFile = try RawFile.temporary(for: dataPath)
                data = dataFile
                let size = try writeVoxels(volume, to: dataFile, at: 0, compressed: compressed, gzip: false)
                let (text, _) = metaImageHeader(g, scalarType: volume.scalarType, compressed: compressed, compressedSize: size, dataFile: dataName)
                try file.write(text, at: 0)
                // Both files are complete before either is renamed into place.
                try dataFile.commit(to: dataPath)
            }
            try file.commit(to: path)
        } catch {
            data?.discard()
            file.discard()
            throw error
        }
    }

    private static func writeVoxels(_ volume: AnyVolume, to file: RawFile, at offset: Int, compressed: Bool, gzip: Bool) throws(RecordingError) -> Int {
        try volume.withRawBytes { (raw: UnsafeRawBufferPointer) throws(RecordingError) -> Int in
            if compressed {
                return try ParallelDeflater.write(raw, to: file, at: offset, gzip: gzip)
            }
            try file.write(raw, at: offset)
            return raw.count
        }
    }

    static func metaImageHeader(_ g: VolumeGeometry, scalarType: ScalarType, compressed: Bool, compressedSize: Int?,
                                dataFile: String) -> (text: [UInt8], sizeOffset: Int?) {
        let e = SequenceHeaderText.exact
        // MetaImage lists each axis' direction in turn: element (r, c) of the direction matrix at c*3+r.
        var m = [Double](repeating: 0, count: 9)
        for r in 0..<3 { for c in 0..<3 { m[c * 3 + r] = g.direction[r * 3 + c] } }
        let (text, sizeOffset) = SequenceHeaderText.metaImageLines([
            ("ObjectType", "Image"), ("NDims", "3"), ("BinaryData", "True"), ("BinaryDataByteOrderMSB", "False"),
            ("CompressedData", compressed ? "True" : "False"), ("TransformMatrix", m.map(e).joined(separator: " ")),
            ("Offset", "\(e(g.origin.x)) \(e(g.origin.y)) \(e(g.origin.z))"), ("CenterOfRotation", "0 0 0"),
            ("AnatomicalOrientation", "RAI"), ("ElementSpacing", "\(e(g.spacing.x)) \(e(g.spacing.y)) \(e(g.spacing.z))"),
            ("DimSize", "\(g.dimensions.x) \(g.dimensions.y) \(g.dimensions.z)"), ("ElementType", scalarType.metaImageName),
            ("ElementDataFile", dataFile),
        ], compressedSize: compressedSize)
        return (Array(text.utf8), sizeOffset)
    }

    static func nrrdHeader(_ g: VolumeGeometry, scalarType: ScalarType, gzip: Bool) -> String {
        let e = SequenceHeaderText.exact
        let spacing = [g.spacing.x, g.spacing.y, g.spacing.z]
        let vectors = (0..<3).map { c in
            "(" + (0..<3).map { r in e(g.direction[r * 3 + c] * spacing[c]) }.joined(separator: ",") + ")"
        }
        return """
        NRRD0004
        # Complete NRRD file format specification at:
        # http://teem.sourceforge.net/nrrd/format.html
        type: \(scalarType.nrrdName)
        dimension: 3
        space: left-posterior-superior
        sizes: \(g.dimensions.x) \(g.dimensions.y) \(g.dimensions.z)
        space directions: \(vectors.joined(separator: " "))
        kinds: domain domain domain
        endian: little
        encoding: \(gzip ? "gzip" : "raw")
        space origin: (\(e(g.origin.x)),\(e(g.origin.y)),\(e(g.origin.z)))


        """
    }
}
