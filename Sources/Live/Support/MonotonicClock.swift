import Dispatch
import Foundation

/// Time sources for live sessions.
public enum MonotonicClock {
    /// Monotonic nanoseconds (for latencies and waiting).
    public static var nanoseconds: UInt64 { DispatchTime.now().uptimeNanoseconds }
    /// Wall-clock seconds since 1970 (for timestamps).
    public static var wallSeconds: Double { Date().timeIntervalSince1970 }
}
