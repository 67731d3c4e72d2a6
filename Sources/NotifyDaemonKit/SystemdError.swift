#if canImport(Glibc)
import Glibc
#endif

/// A failure reported by a libsystemd call as a negative errno-style return value.
public struct SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libsystemd function that failed, e.g. `sd_listen_fds_with_names`.
    public let function: String
    /// The positive errno value (libsystemd returns `-errno`).
    public let errno: Int32

    /// Creates an error from a libsystemd function name and its negative return value.
    public init(function: String, returnValue: Int32) {
        self.function = function
        self.errno = returnValue < 0 ? -returnValue : returnValue
    }

    public var description: String {
        "\(function) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
