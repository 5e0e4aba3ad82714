#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _sin(_ x: Double) -> Double { sin(x) }
@inline(__always) func _acos(_ x: Double) -> Double { acos(x) }
@inline(__always) func _atan2(_ y: Double, _ x: Double) -> Double { atan2(y, x) }

/// `printf("%.*g")` without Foundation.
func _formatG(_ v: Double, precision: Int) -> String {
    var buffer = [CChar](repeating: 0, count: 64)
    _ = withVaList([Int32(precision), v]) { args in
        vsnprintf(&buffer, buffer.count, "%.*g", args)
    }
    return String(cString: buffer)
}
