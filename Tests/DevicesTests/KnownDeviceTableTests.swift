import Foundation
import Testing
@testable import Devices

@Suite struct KnownDeviceTableTests {
    /// Device `Type` names registered by PLUS's vtkPlusDeviceFactory (PlusLib master) that the table may use.
    static let plusDeviceTypes: Set<String> = [
        "Epiphan", "NDITracker", "PolarisTracker", "AuroraTracker", "Ascension3DG", "Ascension3DGm",
        "AtracsysTracker", "IntersonVideo", "IntersonSDKCxxVideo", "MmfVideo", "OpenCVVideo", "V4L2Video",
    ]

    @Test func bundledTableHasAPlusDeviceTypeForEveryEntry() throws {
        let table = try KnownDeviceTable.bundled()
        for entry in table.devices + [table.genericVideo] {
            #expect(Self.plusDeviceTypes.contains(entry.plusDeviceType), "\(entry.name): \(entry.plusDeviceType)")
            if let windows = entry.plusDeviceTypeWindows { #expect(Self.plusDeviceTypes.contains(windows)) }
            #expect(!entry.hint.isEmpty && entry.hint.contains(entry.plusDeviceType), "\(entry.name) hint")
            #expect(!entry.name.isEmpty)
        }
        #expect(table.genericVideo.plusDeviceType == "OpenCVVideo")
        #expect(table.genericVideo.plusDeviceTypeWindows == "MmfVideo")
    }

    @Test(arguments: [
        (UInt16(0x5555), UInt16(0x3340), "Epiphan", DeviceCategory.frameGrabber),
        (0x5555, 0x0001, "Epiphan", .frameGrabber),
        (0x0403, 0xDA70, "PolarisTracker", .tracker),
        (0x0403, 0xDA71, "PolarisTracker", .tracker),
        (0x0403, 0xDA74, "AuroraTracker", .tracker),
        (0x23F2, 0x0003, "NDITracker", .tracker),
        (0x21E2, 0x1008, "Ascension3DG", .tracker),
        (0x1C82, 0x0200, "AtracsysTracker", .tracker),
        (0x1921, 0x0001, "IntersonVideo", .probe),
        (0x1921, 0xF001, "IntersonVideo", .probe),
    ])
    func bundledTableCoversTheIssueHardware(vendor: UInt16, product: UInt16, type: String, category: DeviceCategory) throws {
        let match = try #require(try KnownDeviceTable.bundled().match(USBDevice(vendorId: vendor, productId: product)))
        #expect(match.plusDeviceType == type)
        #expect(match.category == category)
    }

    @Test func plainFTDISerialAdapterIsNotATracker() throws {
        // 0403:6001 is the stock FT232R: only NDI's own product ids on FTDI's vendor id are trackers.
        #expect(try KnownDeviceTable.bundled().match(USBDevice(vendorId: 0x0403, productId: 0x6001)) == nil)
    }

    @Test func encodedTableDecodesToTheSameTable() throws {
        let table = try KnownDeviceTable.bundled()
        let data = try JSONEncoder().encode(table)
        #expect(try KnownDeviceTable.decode(data, source: "round-trip") == table)
    }

    // MARK: - Malformed tables

    static func entry(_ fields: String) -> String {
        """
        {"vendorId": "5555", "productId": "*", "vendorName": "V", "name": "N", "category": "frameGrabber",
         "plusDeviceType": "Epiphan", "hint": "h"\(fields.isEmpty ? "" : ", " + fields)}
        """
    }
    static let generic = #"{"name": "UVC", "category": "video", "plusDeviceType": "OpenCVVideo", "hint": "h"}"#

    static func decodeError(_ json: String) -> String? {
        do {
            _ = try KnownDeviceTable.decode(Data(json.utf8), source: "/tmp/Bad.json")
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func validMinimalTableDecodes() throws {
        let table = try KnownDeviceTable.decode(Data(#"{"devices": [\#(Self.entry(""))], "genericVideo": \#(Self.generic)}"#.utf8),
                                                source: "t")
        #expect(table.devices.first?.vendorId == 0x5555)
        #expect(table.devices.first?.productId == nil)
        #expect(table.genericVideo.vendorName == nil)
    }

    @Test func malformedTablesGiveErrorsNamingFileAndField() throws {
        let notJSON = try #require(Self.decodeError("{ devices: "))
        #expect(notJSON.contains("/tmp/Bad.json") && notJSON.contains("malformed"))

        let noType = Self.entry("").replacingOccurrences(of: #""plusDeviceType": "Epiphan","#, with: "")
        let missing = try #require(Self.decodeError(#"{"devices": [\#(noType)], "genericVideo": \#(Self.generic)}"#))
        #expect(missing.contains("plusDeviceType") && missing.contains("devices[0]"), "\(missing)")

        let badHex = Self.entry("").replacingOccurrences(of: #""5555""#, with: #""55G5""#)
        let hex = try #require(Self.decodeError(#"{"devices": [\#(badHex)], "genericVideo": \#(Self.generic)}"#))
        #expect(hex.contains("55G5") && hex.contains("devices[0].vendorId"), "\(hex)")

        let wildVendor = Self.entry("").replacingOccurrences(of: #""5555""#, with: #""*""#)
        #expect(Self.decodeError(#"{"devices": [\#(wildVendor)], "genericVideo": \#(Self.generic)}"#) != nil)

        let badCategory = Self.entry("").replacingOccurrences(of: "frameGrabber", with: "camera")
        let category = try #require(Self.decodeError(#"{"devices": [\#(badCategory)], "genericVideo": \#(Self.generic)}"#))
        #expect(category.contains("devices[0].category"), "\(category)")

        let emptyType = Self.entry("").replacingOccurrences(of: #""Epiphan""#, with: #"" ""#)
        let empty = try #require(Self.decodeError(#"{"devices": [\#(emptyType)], "genericVideo": \#(Self.generic)}"#))
        #expect(empty.contains("devices[0].plusDeviceType") && empty.contains("empty"), "\(empty)")

        let duplicate = try #require(Self.decodeError(
            #"{"devices": [\#(Self.entry("")), \#(Self.entry(""))], "genericVideo": \#(Self.generic)}"#))
        #expect(duplicate.contains("duplicate id 5555:*"), "\(duplicate)")

        let genericWithId = Self.generic.replacingOccurrences(of: "{", with: #"{"vendorId": "046D", "#)
        let generic = try #require(Self.decodeError(#"{"devices": [], "genericVideo": \#(genericWithId)}"#))
        #expect(generic.contains("genericVideo"), "\(generic)")

        let noGeneric = try #require(Self.decodeError(#"{"devices": []}"#))
        #expect(noGeneric.contains("genericVideo"), "\(noGeneric)")
    }

    @Test func missingFileIsReported() {
        #expect(throws: KnownDeviceTableError.missing(path: "/nonexistent/KnownDevices.json")) {
            try KnownDeviceTable.load(from: URL(fileURLWithPath: "/nonexistent/KnownDevices.json"))
        }
    }
}
