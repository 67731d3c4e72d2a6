#if canImport(Glibc)
import Glibc
#endif
import CNotifyShims
import NotifyCore

/// The system calls the spool makes, in one place so tests can inject a failure at any
/// step of the commit protocol. Production code passes no fault plan; each call then costs
/// one extra branch.
struct FileIO: Sendable {
    var faults: FaultPlan?
    /// Whether the process umask would strip bits from 0640, so that each new file needs
    /// an fchmod. Read once when the spool is opened.
    var umaskStripsJobMode: Bool

    init(faults: FaultPlan?) {
        self.faults = faults
        umaskStripsJobMode = FileIO.processUmask().map { $0 & 0o640 != 0 } ?? true
    }

    /// The umask, from /proc/self/status (reading it with umask(2) would change it for a
    /// moment under every other thread).
    static func processUmask() -> UInt32? {
        guard let bytes = readWholeFile(AT_FDCWD, "/proc/self/status") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Umask:") }) else { return nil }
        return UInt32(line.dropFirst(6).trimmingPrefix(while: { $0 == " " || $0 == "\t" }), radix: 8)
    }

    func check(_ step: FaultPlan.Step) -> Int32? { faults?.errno(for: step) }

    func openExclusive(_ dirfd: Int32, _ name: String, mode: mode_t) -> Int32 {
        if let error = check(.create) { errno = error; return -1 }
        let fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        // The umask must not take the daemon group's read bit away (spool-layout.md, "Modes").
        if fd >= 0 && umaskStripsJobMode && fchmod(fd, mode) != 0 {
            let saved = errno
            close(fd)
            unlinkat(dirfd, name, 0)
            errno = saved
            return -1
        }
        return fd
    }

    /// Writes everything or fails; a short write is retried, EINTR is retried.
    func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        if let error = check(.write) { errno = error; return false }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    func fsyncFile(_ fd: Int32) -> Bool {
        if let error = check(.fsyncFile) { errno = error; return false }
        return fsync(fd) == 0
    }

    func syncFilesystem(_ fd: Int32) -> Bool {
        if let error = check(.fsyncFile) { errno = error; return false }
        return notifyd_syncfs(fd) == 0
    }

    func fsyncDirectory(_ fd: Int32) -> Bool {
        if let error = check(.fsyncDirectory) { errno = error; return false }
        return fsync(fd) == 0
    }

    func rename(_ fromDir: Int32, _ from: String, _ toDir: Int32, _ to: String) -> Bool {
        if let error = check(.rename) { errno = error; return false }
        return renameat(fromDir, from, toDir, to) == 0
    }

    func link(_ fromDir: Int32, _ from: String, _ toDir: Int32, _ to: String) -> Bool {
        if let error = check(.link) { errno = error; return false }
        return linkat(fromDir, from, toDir, to, 0) == 0
    }
}

/// Which commit step fails, and with which errno. Used by tests only.
public struct FaultPlan: Sendable {
    public enum Step: Sendable, Hashable { case create, write, fsyncFile, link, rename, fsyncDirectory }
    public var failures: [Step: Int32]

    public init(_ failures: [Step: Int32]) { self.failures = failures }

    func errno(for step: Step) -> Int32? { failures[step] }
}

/// Opens a directory that this process writes into: for reading (so it can be fsynced)
/// when allowed, else with O_PATH (enough for every `*at` call). Returns the descriptor
/// (negative with errno set on failure) and whether it was opened for reading.
func openWritableDirectory(_ dirfd: Int32, _ path: String) -> (fd: Int32, readable: Bool) {
    let fd = openDirectory(dirfd, path)
    if fd >= 0 || errno != EACCES { return (fd, fd >= 0) }
    return (notifyd_open_path_directory(dirfd, path), false)
}

/// Opens a directory for openat-relative access and fsync.
func openDirectory(_ dirfd: Int32, _ path: String) -> Int32 {
    openat(dirfd, path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
}

/// Reads a whole file relative to a directory descriptor. Returns nil with errno set.
func readWholeFile(_ dirfd: Int32, _ path: String) -> [UInt8]? {
    let fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    if fd < 0 { return nil }
    defer { close(fd) }
    return readToEnd(fd)
}
