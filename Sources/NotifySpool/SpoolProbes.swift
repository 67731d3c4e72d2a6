#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// Cheap checks of the spool for notify-apid's /health, and where live events come from.
extension Spool {
    /// Whether a file can be created in `tmp/` right now (create, then remove
    /// `tmp/health.PID`). The errno of the failure otherwise.
    public func probeWritable() -> SpoolError? {
        let name = "health.\(getpid())"
        unlinkat(tmpFD, name, 0)
        let fd = openat(tmpFD, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd < 0 { return SpoolError("create", path: display("tmp/\(name)"), errno: errno) }
        var byte: UInt8 = 0
        let wrote = write(fd, &byte, 1) == 1
        let saved = errno
        close(fd)
        unlinkat(tmpFD, name, 0)
        return wrote ? nil : SpoolError("write", path: display("tmp/\(name)"), errno: saved)
    }

    /// Bytes free to unprivileged users on the spool's filesystem.
    public func freeSpace() -> Int64? {
        var info = statvfs()
        guard fstatvfs(tmpFD, &info) == 0 else { return nil }
        return Int64(info.f_bavail) * Int64(info.f_frsize)
    }

    /// notify-statsd's live event socket, `state/events.sock` (the API connects to it).
    public var eventHubSocketPath: String { display("state/events.sock") }
}

extension SpoolEntry {
    /// When the queue manager will next try the job: a deferred job at its file's mtime
    /// (spool-layout.md, "Due times"), a job not yet taken at its not-before time; nil for
    /// held and final jobs.
    public func nextAttempt(of job: Job) -> Int64? {
        switch state {
        case .deferred: modified
        case .incoming, .active: job.notBefore ?? job.created
        case .hold, .dead, .done: nil
        }
    }
}
