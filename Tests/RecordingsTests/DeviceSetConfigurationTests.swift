import Foundation
import FreehandTestSupport
import Geometry
import Testing
@testable import Recordings

@Suite struct DeviceSetConfigurationTests {
    @Test(.enabled(if: PlusData.isAvailable, PlusData.skipReason))
    func readsSpinePhantomConfig() throws {
        let config = try DeviceSetConfiguration.load(PlusData.path("ConfigFiles/Testing/PlusDeviceSet_VolumeReconstructionOnly_SpinePhantom_NN_MEAN.xml"))
        #expect(config.root.name == "PlusConfiguration")
        #expect(config.coordinateDefinitions.map(\.name.description) == ["ImageToProbe", "PhantomToReference"])
        #expect(config.coordinateDefinitions[0].matrix.elements[0] == -0.00157821)
        #expect(config.coordinateDefinitions[0].matrix.elements[3] == 15.3978)
        #expect(config.coordinateDefinitionDetails[0].error == 1.68149)
        #expect(config.coordinateDefinitionDetails[0].date == "022312_110631")
        let recon = try #require(config.volumeReconstruction)
        #expect(recon[attribute: "CompoundingMode"] == "MEAN")
        #expect(recon.numbers("OutputSpacing") == [0.5, 0.5, 0.5])
        #expect(recon.all("HoleFillingElement").first?[attribute: "Type"] == "STICK")
        let repo = config.transformRepository()
        let probeToImage = try repo.transform(TransformName("ProbeToImage")!)
        #expect((probeToImage.matrix * config.coordinateDefinitions[0].matrix).maxDifference(to: .identity) < 1e-9)
        #expect(repo.stored[TransformName("ImageToProbe")!]?.isPersistent == true)
    }

    @Test func reportsMalformedXML() throws {
        let dir = PlusData.temporaryDirectory()
        let path = dir.appendingPathComponent("bad.xml").path
        try Data("<PlusConfiguration>\n<CoordinateDefinitions>\n</PlusConfiguration>".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: RecordingError.self) { try DeviceSetConfiguration.load(path) }
        try Data("<A><CoordinateDefinitions><Transform From=\"Image\" To=\"Probe\" Matrix=\"1 2 3\"/></CoordinateDefinitions></A>".utf8)
            .write(to: URL(fileURLWithPath: path))
        do {
            _ = try DeviceSetConfiguration.load(path)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("ImageToProbe Matrix"))
            #expect(error.description.contains(path))
        }
    }
}
