import NotifySpool
import NotifyCore

/// State changes waiting to be written together: history lines, then one sync, then the
/// renames, then one more sync (spool-layout.md, "State changes"). At most two device
/// flushes per batch (one under load, see `Committer`), whatever its size, instead of two per job.
struct CompletionBatch {
    struct Change {
        var id: JobID
        var events: [HistoryEvent]
        var move: JobMove
    }

    private(set) var changes: [Change] = []
    /// Job event records for notify-statsd (queued, retried, final outcomes), written as
    /// one file in `status/` with the batch and made durable by its first sync.
    private(set) var events: [JobEventRecord] = []
    var isEmpty: Bool { changes.isEmpty && events.isEmpty }

    mutating func note(_ event: JobEventRecord) { events.append(event) }

    var hasChanges: Bool { !changes.isEmpty }

    mutating func add(_ id: JobID, event: HistoryEvent, move: JobMove) { add(id, events: [event], move: move) }

    mutating func add(_ id: JobID, events: [HistoryEvent], move: JobMove) {
        changes.append(Change(id: id, events: events, move: move))
    }

    mutating func take() -> (changes: [Change], events: [JobEventRecord]) {
        defer {
            changes = []
            events = []
        }
        return (changes, events)
    }
}

extension QueueManager {
    /// Hands the batch to the committer thread. Job event records alone (jobs taken in,
    /// nothing finished yet) wait up to a second for a batch with state changes, so they
    /// ride on its sync instead of costing one of their own.
    func commitBatch(force: Bool = false) {
        guard !batch.isEmpty else { return }
        if !batch.hasChanges && !force && !stopping {
            let now = WallClock.nowMilliseconds()
            if eventsWaitingSince == 0 { eventsWaitingSince = now }
            if now - eventsWaitingSince < 1000 { return }
        }
        eventsWaitingSince = 0
        let (changes, events) = batch.take()
        committer.submit(changes, events: events)
        snapshotDirty = true
    }

    /// Acts on batches the committer has written: deferred jobs join the due heap, and
    /// every job of the batch leaves memory.
    func collectCommits() {
        for finished in committer.takeFinished() {
            for (change, moved) in zip(finished.changes, finished.moved) {
                if moved, change.move.to == .deferred, let at = change.move.due {
                    due.push(PackedJobID(change.id), due: .init(millisecondsSinceEpoch: at))
                }
                if let entry = active.removeValue(forKey: change.id) {
                    lanes[entry.job.channel]!.activeCount -= 1
                    if entry.settling { lanes[entry.job.channel]!.settling -= 1 }
                }
            }
        }
    }
}
