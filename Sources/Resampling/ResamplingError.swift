import Imaging
import Recordings
import Registration

/// Why a resampling could not be done; nothing is written in any of these cases.
public enum ResamplingError: Error, Sendable, CustomStringConvertible {
    case recording(RecordingError)
    case transform(RegistrationError)
    case sampling(SamplingError)
    /// The output spacing or size given on the command line is unusable.
    case invalidGrid(String)
    /// Every output voxel would be 0: the input is all zero or does not overlap the output grid.
    case emptyResult(file: String, reason: String)
    /// The work would need more memory than allowed.
    case tooLarge(what: String, bytes: Int, limit: Int)

    public var description: String {
        switch self {
        case .recording(let e): return e.description
        case .transform(let e): return e.description
        case .sampling(let e): return e.description
        case .invalidGrid(let reason): return "output grid: \(reason)"
        case let .emptyResult(file, reason): return "\(file): the resampled volume would be empty (all 0): \(reason)"
        case let .tooLarge(what, bytes, limit):
            return "\(what) needs \(bytes >> 20) MiB, over the \(limit >> 20) MiB memory limit (raise --memory-limit or choose a coarser --spacing)"
        }
    }
}
