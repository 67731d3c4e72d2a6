import NotifySpool
import NotifyCore

/// State changes waiting to be written together: history lines, then one sync, then the
/// renames, then one more sync (spool-layout.md, "State changes"). Two device flushes per
/// batch, whatever its size, instead of two per job.
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
    func commitBatch() {
        guard !batch.isEmpty else { return }
        let changes = batch.take()
        snapshotDirty = true
        do {
            for change in changes { try spool.appendHistory(change.id, change.events) }
            try spool.syncState()
            for change in changes {
                if try spool.move(change.move), change.move.to == .deferred, let at = change.move.due {
                    due.push(PackedJobID(change.id), due: .init(millisecondsSinceEpoch: at))
                }
            }
            try spool.syncState()
        } catch {
            // The jobs stay in active/ (or moved without the final sync): the next start
            // retries whatever did not get through. Nothing is lost; some may be duplicated.
            logger.error("state change failed; affected jobs are retried at the next start", metadata: ["error": "\(error)"])
        }
        for change in changes {
            if let entry = active.removeValue(forKey: change.id) { lanes[entry.job.channel]!.activeCount -= 1 }
        }
    }
}
