import NotifySpool
import Synchronization

/// Group commit of status records: an attempt's record is handed in, and the call returns
/// once a file holding it is in `status/`. While one group is being written the next
/// collects, so at high rates one file (one create, one rename) carries many attempts and
/// at low rates each attempt waits only for its own write. No fsync: notifyd's batch sync
/// makes the records durable before any job leaves `active/`.
final class StatusBatcher: Sendable {
    private struct Waiting {
        var records: [StatusRecord] = []
        var waiters: [CheckedContinuation<Void, Never>] = []
        var writing = false
    }

    private let spool: Spool
    private let waiting = Mutex(Waiting())
    /// The largest group written as one file.
    static let maximumGroup = 512

    init(spool: Spool) { self.spool = spool }

    func record(_ record: StatusRecord) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let leads = waiting.withLock { state -> Bool in
                state.records.append(record)
                state.waiters.append(continuation)
                if state.writing { return false }
                state.writing = true
                return true
            }
            if leads { writeGroups() }
        }
    }

    /// Writes groups until nothing is waiting. Runs on the caller that found no writer.
    private func writeGroups() {
        while true {
            let group = waiting.withLock { state -> (records: [StatusRecord], waiters: [CheckedContinuation<Void, Never>])? in
                if state.records.isEmpty {
                    state.writing = false
                    return nil
                }
                let count = min(state.records.count, Self.maximumGroup)
                let taken = (Array(state.records.prefix(count)), Array(state.waiters.prefix(count)))
                state.records.removeFirst(count)
                state.waiters.removeFirst(count)
                return taken
            }
            guard let group else { return }
            // A record that cannot be written (full disk) is lost for statistics only: the
            // reply, which notifyd decides on, still goes out.
            try? spool.writeStatusBatch(group.records)
            for waiter in group.waiters { waiter.resume() }
        }
    }
}
