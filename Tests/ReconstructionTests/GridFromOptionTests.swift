import FreehandTestSupport
import Testing

/// `--grid-from` takes a volume on both `reconstruct` and `listen`; `listen --grid-from-recording`
/// takes a recording (the grid `reconstruct` computes for it).
@Test(.enabled(if: FreehandExecutable.isAvailable, "build the freehand executable first (scripts/test.sh does)"))
func gridFromOptionsSayWhatTheyTake() throws {
    let listen = try FreehandExecutable.run(["listen", "--help"])
    #expect(listen.output.contains("--grid-from <volume>"), "\(listen.output)")
    #expect(listen.output.contains("--grid-from-recording <recording>"), "\(listen.output)")
    let both = try FreehandExecutable.run(["listen", "--grid-from", "a.nrrd", "--grid-from-recording", "b.igs.mha"])
    #expect(both.status != 0 && both.output.contains("not both"), "\(both.output)")
    let reconstruct = try FreehandExecutable.run(["reconstruct", "--help"])
    #expect(reconstruct.output.contains("--grid-from <volume>"), "\(reconstruct.output)")
}
