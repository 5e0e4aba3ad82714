import IGTLink

extension PlusRemoteController {
    /// PlusServer's vtkPlusRequestIdsCommand: comma-separated ids in `Message`, and each id as a
    /// version 2 parameter.
    func ids(_ request: PlusRemoteRequest) -> PlusRemoteReply {
        let devices = [options.reconstructorDeviceID, options.captureDeviceID]
        func list(_ ids: [String]) -> PlusRemoteReply {
            .success(ids.joined(separator: ","), parameters: ids.map { IGTLMetadataItem(key: $0, value: $0) })
        }
        switch request.name {
        case "RequestDeviceIds":
            switch Self.attribute(request, "DeviceType") {
            case "": return list(devices)
            case "VirtualVolumeReconstructor": return list([options.reconstructorDeviceID])
            case "VirtualCapture": return list([options.captureDeviceID])
            default: return list([])  // a PLUS device type this server has no device of
            }
        case "RequestChannelIds":
            return list([options.channelID])
        default:  // RequestDeviceChannelIds
            let id = Self.attribute(request, "DeviceId")
            guard devices.contains(id) else {
                return PlusRemoteReply(succeeded: false, message: "Command failed, see error message.", error: "Device with id: \(id) not found.")
            }
            return .success(options.channelID + ",")
        }
    }
}
