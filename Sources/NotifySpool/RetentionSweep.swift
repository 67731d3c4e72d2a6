#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// What one step of the retention sweep removed.
public struct SweepReport: Sendable, Equatable {
    /// Idempotency keys whose job was created more than `idempotency_window` ago.
    public var keys = 0
    /// Final jobs (`done/`, `dead/`) whose last event is older than `history_retention`,
    /// each with its history.
    public var jobs = 0
    /// Histories older than `history_retention` whose job no longer exists.
    public var histories = 0
    /// Daily history archives (`history/DAY.jsonl`) older than `history_archive_retention`.
    public var archives = 0

    public init() {}

    public var isEmpty: Bool { keys + jobs + histories + archives == 0 }
}

extension Spool {
    /// One step of the queue manager's slow sweep (spool-layout.md, "Retention"): one
    /// bucket of `idem/`, `done/`, `dead/` and `history/`. Ages come from the data, never
    /// from a guess: a key's from its job's `created`, a final job's from the mtime of its
    /// history (the time of its `final` line) or, without one, of the job file.
    ///
    /// With an `archiveRetention`, a history is compacted before it is removed: its lines,
    /// each given the job's `id`, are appended to the daily file `history/YYYY-MM-DD.jsonl`
    /// of its last event; daily files older than `archiveRetention` are removed (in the
    /// step of bucket `0`, once a round).
    public func sweep(bucket: String, now: Int64, idempotencyWindow: Duration, retention: Duration,
                      archiveRetention: Duration? = nil) -> SweepReport {
        var report = SweepReport()
        let archive = archiveRetention != nil && archiveRetention! > .zero
        let keyCutoff = now - idempotencyWindow.wholeMillisecondsForSweep
        let cutoff = now - retention.wholeMillisecondsForSweep
        try? listDirectory("idem/\(bucket)") { name, dirfd in
            if removeStaleKey(name, in: dirfd, bucket: bucket, createdBefore: keyCutoff) { report.keys += 1 }
        }
        let historyFD = try? directoryFD("history/\(bucket)")
        for state in [JobState.done, .dead] {
            try? listDirectory("\(state.directory)/\(bucket)") { name, dirfd in
                guard let id = try? JobID(validating: name), lastEvent(of: id, in: dirfd, historyFD: historyFD) < cutoff else { return }
                // The job first: if an operator requeued it meanwhile, ENOENT keeps its history.
                guard unlinkat(dirfd, name, 0) == 0 else { return }
                if let historyFD {
                    if archive { compact(name, historyFD: historyFD) }
                    unlinkat(historyFD, name, 0)
                }
                report.jobs += 1
            }
        }
        try? listDirectory("history/\(bucket)") { name, dirfd in
            var info = stat()
            guard fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.modifiedMilliseconds < cutoff,
                  let id = try? JobID(validating: name), locate(id) == nil else { return }
            if archive { compact(name, historyFD: dirfd) }
            if unlinkat(dirfd, name, 0) == 0 { report.histories += 1 }
        }
        if archive && bucket == SpoolLayout.buckets[0] {
            let archiveCutoff = now - archiveRetention!.wholeMillisecondsForSweep
            try? listDirectory("history") { name, dirfd in
                guard let day = HistoryArchive.day(ofFileName: name), HistoryArchive.dayEnd(day) < archiveCutoff else { return }
                if unlinkat(dirfd, name, 0) == 0 { report.archives += 1 }
            }
        }
        return report
    }

    /// Appends a history's lines to its day's archive, `history/YYYY-MM-DD.jsonl` (one
    /// `write`, O_APPEND; not synced, like the removals: a crash before the next round's
    /// work repeats it, so a line may be archived twice, never lost).
    private func compact(_ name: String, historyFD: Int32) {
        var info = stat()
        guard fstatat(historyFD, name, &info, AT_SYMLINK_NOFOLLOW) == 0, let bytes = readWholeFile(historyFD, name),
              let historyRoot = try? directoryFD("history") else { return }
        let lines = HistoryArchive.lines(bytes, id: name)
        guard !lines.isEmpty else { return }
        let file = HistoryArchive.fileName(forDayOf: info.modifiedMilliseconds)
        let fd = openat(historyRoot, file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else { return }
        defer { close(fd) }
        _ = io.writeAll(fd, lines)
    }

    /// When a final job's last event happened.
    private func lastEvent(of id: JobID, in dirfd: Int32, historyFD: Int32?) -> Int64 {
        var info = stat()
        if let historyFD, fstatat(historyFD, id.text, &info, AT_SYMLINK_NOFOLLOW) == 0 { return info.modifiedMilliseconds }
        guard fstatat(dirfd, id.text, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .max }
        return info.modifiedMilliseconds
    }

    /// Removes a key whose job was created before the cutoff, with the lock and inode check
    /// that a submitter replacing a stale key uses (spool-layout.md, "Idempotency"), so the
    /// sweep and a submitter never remove a fresh key. A key that is not a job is quarantined.
    private func removeStaleKey(_ name: String, in bucketFD: Int32, bucket: String, createdBefore cutoff: Int64) -> Bool {
        let fd = openat(bucketFD, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        guard let bytes = readToEnd(fd), let job = try? JobSummary.decode(bytes) else {
            quarantine(directory: bucketFD, name: name, from: "idem/\(bucket)")
            return false
        }
        guard job.created < cutoff else { return false }
        flock(fd, LOCK_EX)
        defer { flock(fd, LOCK_UN) }
        var held = stat(), current = stat()
        guard fstat(fd, &held) == 0, fstatat(bucketFD, name, &current, AT_SYMLINK_NOFOLLOW) == 0,
              held.st_ino == current.st_ino else { return false }
        return unlinkat(bucketFD, name, 0) == 0
    }
}

extension Duration {
    fileprivate var wholeMillisecondsForSweep: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
