#if canImport(Glibc)
import Glibc
#endif
import CNotifyShims
import NotifyCore

/// A file in `status/` as notify-statsd read it: its name, its inode (so that a removal
/// after a crash removes this file and never a newer one of the same name) and its bytes.
public struct StatusFile: Sendable {
    public var name: String
    public var inode: UInt64
    public var bytes: [UInt8]
}

/// A file notify-statsd has folded into its snapshot but maybe not yet removed.
public struct FoldedFile: Codable, Sendable, Equatable, Hashable {
    public var name: String
    public var inode: UInt64

    public init(name: String, inode: UInt64) {
        self.name = name
        self.inode = inode
    }
}

/// notify-statsd's side of the spool (spool-layout.md, "Consuming status records").
extension Spool {
    /// The names in `status/`: readdir only, oldest-looking first (names sort by job ID
    /// or event ULID, roughly by time; the order does not affect the totals).
    public func statusFileNames(limit: Int = .max) throws(SpoolError) -> [String] {
        var names: [String] = []
        try listDirectory("status") { name, _ in names.append(name) }
        names.sort()
        if names.count > limit { names.removeLast(names.count - limit) }
        return names
    }

    /// Reads one status file; nil when it is gone (removed by an earlier run).
    public func readStatusFile(_ name: String) -> StatusFile? {
        guard StatusFileName.isValid(name), let dirFD = try? directoryFD("status") else { return nil }
        let fd = openat(dirFD, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, let bytes = readToEnd(fd) else { return nil }
        return StatusFile(name: name, inode: UInt64(info.st_ino), bytes: bytes)
    }

    /// Removes a folded status file if the name still holds the same inode. Returns whether
    /// something was removed. Not synced: call `syncStatusDirectory()` after a group.
    @discardableResult
    public func removeStatusFile(_ file: FoldedFile) -> Bool {
        guard StatusFileName.isValid(file.name), let dirFD = try? directoryFD("status") else { return false }
        var info = stat()
        guard fstatat(dirFD, file.name, &info, AT_SYMLINK_NOFOLLOW) == 0, UInt64(info.st_ino) == file.inode else { return false }
        return unlinkat(dirFD, file.name, 0) == 0
    }

    /// Makes removals from `status/` durable.
    public func syncStatusDirectory() throws(SpoolError) { try syncDirectory("status") }

    /// Writes `state/stats.json`: tmp/, fsync, rename, fsync `state/`. When this returns,
    /// the snapshot survives a crash.
    public func writeStatsSnapshot(_ bytes: [UInt8]) throws(SpoolError) {
        try commitRecord(bytes, staging: "state.stats", directory: "state", name: "stats.json", sync: true)
        try syncDirectory("state")
    }

    /// The bytes of `state/stats.json`, nil when there is none.
    public func statsSnapshotBytes() -> [UInt8]? { readWholeFile(rootFD, "state/stats.json") }

    /// A path for inotify_add_watch on `status/` (through /proc, so no path is built from
    /// the spool root by the caller).
    public func statusDirectoryWatchPath() throws(SpoolError) -> String {
        "/proc/self/fd/\(try directoryFD("status"))"
    }

    /// The live event socket's path, `state/events.sock` (for connecting clients).
    public var eventSocketPath: String { display("state/events.sock") }

    /// Creates and listens on `state/events.sock` (mode 0600), replacing a stale socket
    /// left by an earlier run. Returns the listening descriptor (non-blocking).
    public func listenEventSocket() throws(SpoolError) -> Int32 {
        let path = eventSocketPath
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        if fd < 0 { throw SpoolError("socket", path: path, errno: errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard path.utf8.count < capacity else {
            close(fd)
            throw SpoolError("bind", path: path, errno: ENAMETOOLONG)
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
            buffer[path.utf8.count] = 0
        }
        if let stateFD = try? directoryFD("state") { unlinkat(stateFD, "events.sock", 0) }
        let previous = umask(0o177)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        umask(previous)
        if bound != 0 || listen(fd, 64) != 0 {
            let saved = errno
            close(fd)
            throw SpoolError("bind", path: path, errno: saved)
        }
        return fd
    }

    /// Removes `state/events.sock` (at a clean stop).
    public func removeEventSocket() {
        if let stateFD = try? directoryFD("state") { unlinkat(stateFD, "events.sock", 0) }
    }
}

/// Names notify-statsd accepts in `status/`: `ID.N` (agents) and `event.ULID` (notifyd,
/// notifyctl). One path component, no dot files.
public enum StatusFileName {
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard !bytes.isEmpty, bytes.count <= 64, bytes[0] != UInt8(ascii: ".") else { return false }
        return bytes.allSatisfy { $0 == UInt8(ascii: ".") || ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }
    }
}
