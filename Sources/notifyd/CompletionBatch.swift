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
    var isEmpty: Bool { changes.isEmpty }

    mutating func add(_ id: JobID, event: HistoryEvent, move: JobMove) { add(id, events: [event], move: move) }

    mutating func add(_ id: JobID, events: [HistoryEvent], move: JobMove) {
        changes.append(Change(id: id, events: events, move: move))
    }

    mutating func take() -> [Change] {
        defer { changes = [] }
        return changes
    }
}

extension QueueManager {
    /// Hands the batch to the committer thread.
    func commitBatch() {
        guard !batch.isEmpty else { return }
        committer.submit(batch.take())
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
                if let entry = active.removeValue(forKey: change.id) { lanes[entry.job.channel]!.activeCount -= 1 }
            }
        }
    }
}
