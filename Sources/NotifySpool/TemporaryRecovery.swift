#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// What recovery did with leftover files in `tmp/`.
public struct TemporaryRecoveryReport: Sendable, Equatable {
    /// Uncommitted writes removed (never acknowledged to a submitter).
    public var removed = 0
    /// Staged jobs whose idempotency key was already linked: their submitter, or a duplicate
    /// submitter, may have been told the job ID, so the commit is completed.
    public var completed = 0
}

extension Spool {
    /// Deals with files left in `tmp/` by a crash (spool-layout.md, state table, rows T1–T3).
    /// Only files older than `olderThan` are touched, so live writers are never disturbed.
    public func recoverTemporaryFiles(olderThan age: Duration, now: Int64 = WallClock.nowMilliseconds()) throws(SpoolError) -> TemporaryRecoveryReport {
        var report = TemporaryRecoveryReport()
        let cutoff = now - age.components.seconds * 1000
        try listDirectory("tmp") { name, dirfd in
            var info = stat()
            guard fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.modifiedMilliseconds < cutoff else { return }
            if info.st_nlink > 1, (try? JobID(validating: name)) != nil,
               renameat(dirfd, name, incomingFD, name) == 0 {
                report.completed += 1
            } else if unlinkat(dirfd, name, 0) == 0 {
                report.removed += 1
            }
        }
        if report.completed > 0 { fsync(incomingFD) }
        return report
    }
}
