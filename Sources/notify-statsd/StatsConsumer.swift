import Logging
import NotifyCore
import NotifySpool
import NotifyStats
#if canImport(Glibc)
import Glibc
#endif

/// Folds the files of `status/` into the aggregate with the protocol of spool-layout.md
/// ("Consuming status records"): read a group of files, fold them, write the snapshot
/// (naming those files) durably, only then remove them and sync `status/`. A crash between
/// the snapshot and the removals leaves files the snapshot already names: at start they are
/// removed without being counted again.
final class StatsConsumer {
    let spool: Spool
    let logger: Logger
    private(set) var aggregator: StatsAggregator
    private let filesPerSnapshot: Int
    /// Called with the records of each group, after its snapshot is durable.
    var publish: ([StatsRecord]) -> Void = { _ in }
    private(set) var lastSnapshotWritten: Int64 = 0
    /// The crash test's fault: die between the snapshot and the removals (the window the
    /// `folded` list exists for). Set by NOTIFY_STATSD_TEST_CRASH=after-snapshot.
    private let crashAfterSnapshot = getenv("NOTIFY_STATSD_TEST_CRASH").map { String(cString: $0) == "after-snapshot" } ?? false

    init(spool: Spool, filesPerSnapshot: Int, logger: Logger) {
        self.spool = spool
        self.logger = logger
        self.filesPerSnapshot = filesPerSnapshot
        aggregator = StatsAggregator()
    }

    /// Restores the aggregate from the last snapshot and finishes its removals.
    func recover() throws(SpoolError) {
        guard let bytes = spool.statsSnapshotBytes() else { return }
        guard let snapshot = StatsSnapshot.decode(bytes) else {
            // Never start from zero over a snapshot we cannot read: that would count again.
            throw SpoolError("read", path: spool.root + "/state/stats.json", errno: 0,
                             detail: "not a notifyd-stats 1.x snapshot; move it away to start counting afresh")
        }
        aggregator = StatsAggregator(restoring: snapshot)
        var removed = 0
        for file in snapshot.folded where spool.removeStatusFile(file) { removed += 1 }
        if removed > 0 {
            try spool.syncStatusDirectory()
            logger.notice("removed status files folded before a restart", metadata: ["count": "\(removed)"])
        }
    }

    /// One group: up to `filesPerSnapshot` files. Returns the records folded (0: nothing
    /// was waiting; no snapshot is written then unless `force`).
    @discardableResult
    func consumeGroup(now: Int64, force: Bool = false) throws(SpoolError) -> Int {
        let names = try spool.statusFileNames(limit: filesPerSnapshot)
        var folded: [FoldedFile] = []
        var records: [StatsRecord] = []
        records.reserveCapacity(names.count * 16)
        var skipped = 0
        for name in names {
            guard let file = spool.readStatusFile(name) else { continue }
            skipped += StatsRecord.parseFile(file.bytes, into: &records)
            folded.append(FoldedFile(name: file.name, inode: file.inode))
        }
        guard !folded.isEmpty || force else { return 0 }
        if skipped > 0 {
            logger.warning("status lines skipped: not notifyd-status or notifyd-event 1.x records", metadata: ["count": "\(skipped)"])
            aggregator.noteSkipped(skipped)
        }
        let before = aggregator
        for record in records { aggregator.fold(record, now: now) }
        aggregator.prune(now: now)
        do { try writeSnapshot(now: now, folded: folded) } catch {
            aggregator = before  // not durable: the files stay and are folded again next time
            throw error
        }
        if crashAfterSnapshot { raise(SIGKILL) }
        for file in folded { spool.removeStatusFile(file) }
        if !folded.isEmpty { try spool.syncStatusDirectory() }
        publish(records)
        return records.count
    }

    func writeSnapshot(now: Int64, folded: [FoldedFile]) throws(SpoolError) {
        let qmgr = spool.queueManagerState()
        try spool.writeStatsSnapshot(aggregator.snapshot(now: now, folded: folded, breakers: qmgr?.breakers ?? [],
                                                         rateLimited: qmgr?.rateLimited).encoded())
        lastSnapshotWritten = now
    }
}
