import Foundation
import NotifyCore
import NotifySpool

/// Group commit across concurrent requests. Each request hands over its rows of jobs and a
/// completion; one thread takes everything waiting, commits it with the spool's commit
/// protocol (`Spool.submit(rows:)`: one syncfs for the group, one fsync of `incoming/`),
/// and only then calls each completion. While one group commits, the next collects, so
/// under load many requests share one round of syncs, and a lone request is committed at
/// once. No request is answered before its jobs are durable.
///
/// `threads` rounds may run at once (api_commit_threads): a round spends most of its time
/// waiting for the device in syncfs/fsync, so while one round waits the next group can
/// already be written and start its own syncs. Each round still answers only its own
/// requests, after its own syncs.
public final class GroupCommitter: @unchecked Sendable {
    public typealias Completion = @Sendable ([Result<[Submission], SpoolError>]) -> Void

    private struct Pending {
        var rows: [[Job]]
        var completion: Completion
    }

    private let spool: Spool
    private let window: Duration
    private let groupLimit: Int
    private let condition = NSCondition()
    private var waiting: [Pending] = []
    private var stopped = false
    private let threads: Int

    public init(spool: Spool, idempotencyWindow: Duration, groupLimit: Int, threads: Int = 1) {
        self.spool = spool
        self.window = idempotencyWindow
        self.groupLimit = groupLimit
        self.threads = max(1, threads)
    }

    public func start() {
        for index in 0..<threads {
            let thread = Thread { [self] in run() }
            thread.name = "notify-apid commit \(index)"
            thread.start()
        }
    }

    /// Stops taking work after what is queued has been committed.
    public func stop() {
        condition.lock()
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// Queues rows for the next group; `completion` runs on the commit thread, with one
    /// result per row, after the group's syncs.
    public func submit(rows: [[Job]], completion: @escaping Completion) {
        condition.lock()
        waiting.append(Pending(rows: rows, completion: completion))
        condition.signal()
        condition.unlock()
    }

    private func run() {
        while true {
            condition.lock()
            while waiting.isEmpty && !stopped { condition.wait() }
            if waiting.isEmpty && stopped {
                condition.unlock()
                return
            }
            // Take requests up to the group limit (at least one, however large).
            var group: [Pending] = []
            var jobs = 0
            while let next = waiting.first, group.isEmpty || jobs + next.rows.reduce(0, { $0 + $1.count }) <= groupLimit {
                group.append(waiting.removeFirst())
                jobs += next.rows.reduce(0) { $0 + $1.count }
            }
            condition.unlock()
            commit(group)
        }
    }

    private func commit(_ group: [Pending]) {
        let results = spool.submit(rows: group.flatMap(\.rows), idempotencyWindow: window)
        var offset = 0
        for pending in group {
            let count = pending.rows.count
            pending.completion(Array(results[offset..<offset + count]))
            offset += count
        }
    }
}
