import Testing
@testable import Devices

@Suite struct KnownDeviceTableTests {
    @Test func bundledTableLoads() throws {
        let table = try KnownDeviceTable.bundled()
        #expect(!table.devices.isEmpty)
    }
}
