/// How `listen` answers 3D Slicer's Plus Remote module on its `--serve-volume` port.
public struct PlusRemoteOptions: Sendable {
    /// The folder remote commands write into (PlusServer's output directory); nil: the folder
    /// of the output volume.
    public var directory: String?
    /// Files remote commands must never replace: the session's inputs and its own output volume.
    public var protectedPaths: [String] = []
    /// The ids reported by RequestDeviceIds and accepted in commands (PlusServer's usual ones).
    public var reconstructorDeviceID = "VolumeReconstructorDevice"
    public var captureDeviceID = "CaptureDevice"
    /// The channel reported by RequestChannelIds.
    public var channelID = "TrackedVideoStream"

    public init() {}
}
