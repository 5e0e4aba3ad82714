import Foundation
import FreehandTestSupport
import Recordings
import Testing

@Suite struct MarkupsFileTests {
    let folder = PlusData.temporaryDirectory("freehand-markups")

    func write(_ name: String, _ text: String) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func slicerCurveInRASIsConvertedToLPS() throws {
        let path = try write("curve.mrk.json", """
        {"@schema": "x", "markups": [{"type": "Curve", "coordinateSystem": "RAS", "coordinateUnits": "mm",
          "controlPoints": [
            {"id": "1", "label": "CC-1", "position": [1.5, -2.0, 3.0], "positionStatus": "defined"},
            {"id": "2", "label": "CC-2", "position": [4, 5, 6], "positionStatus": "defined"},
            {"id": "3", "label": "CC-3", "position": [0, 0, 0], "positionStatus": "undefined"}]}]}
        """)
        let list = try MarkupsFile.readPoints(path)
        #expect(list.type == "Curve" && list.isCurve)
        #expect(list.fileCoordinateSystem == .ras)
        #expect(list.points.map(\.label) == ["CC-1", "CC-2"])
        #expect(list.points[0].position == SIMD3(-1.5, 2.0, 3.0))
        #expect(list.points[1].position == SIMD3(-4, -5, 6))
    }

    @Test func fcsvHonoursItsCoordinateSystemLineIncludingNumericCodes() throws {
        let body = "vtkMRMLMarkupsFiducialNode_0,1,2,3,0,0,0,1,1,1,0,F-1,,\nvtkMRMLMarkupsFiducialNode_1,-4,5.5,6,0,0,0,1,1,1,0,\"F,2\",,\n"
        for (header, sign) in [("LPS", 1.0), ("RAS", -1.0), ("0", -1.0), ("1", 1.0)] {
            let path = try write("f\(header).fcsv", "# Markups fiducial file version = 4.11\n# CoordinateSystem = \(header)\n# columns = id,x,y,z,ow,ox,oy,oz,vis,sel,lock,label,desc,associatedNodeID\n" + body)
            let list = try MarkupsFile.readPoints(path)
            #expect(list.points.map(\.label) == ["F-1", "F,2"])
            #expect(list.points[1].position == SIMD3(-4 * sign, 5.5 * sign, 6))
        }
    }

    @Test func plainCSVWithOrWithoutHeader() throws {
        let a = try MarkupsFile.readPoints(try write("a.csv", "1,2,3\n4,5,6\n"))
        #expect(a.points.map(\.position) == [SIMD3(1, 2, 3), SIMD3(4, 5, 6)])
        let b = try MarkupsFile.readPoints(try write("b.csv", "label,x,y,z\np,1,2,3\nq,4,5,6\n"), csvCoordinateSystem: .ras)
        #expect(b.points.map(\.label) == ["p", "q"])
        #expect(b.points[0].position == SIMD3(-1, -2, 3))
    }

    @Test func badNumbersAndFilesNameTheirPlace() throws {
        #expect(throws: MarkupsError.invalidNumber(file: folder.appendingPathComponent("n.csv").path, location: "line 2, field y", value: "nan")) {
            try MarkupsFile.read(try write("n.csv", "1,2,3\n4,nan,6\n"))
        }
        let json = try write("bad.mrk.json", #"{"markups": [{"type": "Curve", "controlPoints": [{"position": [1, 2, "x"]}]}]}"#)
        #expect(throws: MarkupsError.invalidNumber(file: json, location: "markups[0].controlPoints[0].position[2]", value: "x")) {
            try MarkupsFile.read(json)
        }
        let missing = folder.appendingPathComponent("none.mrk.json").path
        #expect(throws: MarkupsError.self) { try MarkupsFile.read(missing) }
        let broken = try write("broken.mrk.json", "{\"markups\": [")
        do { _ = try MarkupsFile.read(broken); Issue.record("expected an error") } catch {
            #expect("\(error)".contains("broken.mrk.json"))
        }
        let system = try write("sys.fcsv", "# CoordinateSystem = XYZ\n")
        #expect(throws: MarkupsError.invalidLine(file: system, line: 1, reason: "CoordinateSystem 'XYZ' is not LPS, RAS, 0 (RAS) or 1 (LPS)")) {
            try MarkupsFile.read(system)
        }
        #expect(throws: MarkupsError.noPoints(file: try write("empty.csv", "# nothing\n"))) {
            try MarkupsFile.read(folder.appendingPathComponent("empty.csv").path)
        }
    }

    @Test func writeReadRoundTripInBothSystems() throws {
        let list = MarkupList(type: "Fiducial", name: "targets", points: [
            MarkupPoint(label: "a \"quoted\" one", position: SIMD3(1.25, -2.5, 1e-7)),
            MarkupPoint(label: "b", position: SIMD3(0.1, 0.2, 0.3)),
        ])
        for system in MarkupsCoordinateSystem.allCases {
            let path = folder.appendingPathComponent("out-\(system.rawValue).mrk.json").path
            try MarkupsFile.write([list], to: path, coordinateSystem: system)
            let back = try MarkupsFile.readPoints(path)
            #expect(back.points == list.points)
            #expect(back.fileCoordinateSystem == system)
            #expect(back.name == "targets")
        }
    }
}
