#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// A failed spool operation: what was being done, to which spool path, and errno.
/// `exitCode` classifies it for the sysexits interface: disk-full and resource shortages
/// are temporary (75) so a caller retries later; permissions are 77; the rest are I/O (74)
/// or creation (73) errors.
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    public var operation: String
    public var path: String
    public var errno: Int32
    public var detail: String?

    public init(_ operation: String, path: String, errno: Int32, detail: String? = nil) {
        self.operation = operation
        self.path = path
        self.errno = errno
        self.detail = detail
    }

    public var isTemporary: Bool {
        [ENOSPC, EDQUOT, EAGAIN, EINTR, ENOMEM, EMFILE, ENFILE, EBUSY, ETIMEDOUT].contains(errno)
    }

    public var exitCode: ExitCode {
        if isTemporary { return .temporaryFailure }
        switch errno {
        case EACCES, EPERM, EROFS: return .noPermission
        case ENOENT, ENOTDIR, EEXIST: return .cannotCreate
        default: return .ioError
        }
    }

    public var description: String {
        var text = "\(operation) \(path): \(String(cString: strerror(errno)))"
        if let detail { text += " (\(detail))" }
        if isTemporary { text += "; try again later" }
        return text
    }
}
