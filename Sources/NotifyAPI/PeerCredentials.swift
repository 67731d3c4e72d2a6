#if canImport(Glibc)
import Glibc
#endif

/// Who is on the other end of a Unix socket connection: `SO_PEERCRED`, taken by the
/// kernel when the client connected, so it cannot be forged by the client.
public struct PeerCredentials: Sendable, Equatable, CustomStringConvertible {
    public var pid: Int32
    public var uid: UInt32
    public var gid: UInt32

    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }

    public var description: String { "uid \(uid) gid \(gid) pid \(pid)" }
}

/// `struct ucred` as the kernel lays it out (glibc declares it only under _GNU_SOURCE).
struct KernelCredentials: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}
