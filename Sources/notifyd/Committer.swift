import Logging
import NotifyCore
import NotifySpool
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Writes batches of state changes on its own thread (history lines, syncfs, renames,
/// syncfs, the last shared with the next batch: spool-layout.md, "State changes"), so that a slow device flush never delays
/// the dispatch of a new job. While one batch is being synced the next one gathers, so the
/// batches grow with the load (group commit). The loop thread learns of finished batches
/// through `completionFD` and only then forgets the jobs (they stay in `active` meanwhile,
/// so nothing is admitted twice).
final class Committer: Sendable {
    struct Finished: Sendable {
        var changes: [CompletionBatch.Change]
        /// Per change: whether its rename happened (false: the job was not in active/).
        var moved: [Bool]
    }

    private struct Queues {
        var pending: [[CompletionBatch.Change]] = []
        var pendingEvents: [JobEventRecord] = []
        var finished: [Finished] = []
        var busy = false
    }

    private let spool: Spool
    private let logger: Logger
    private let queues = Mutex(Queues())
    /// Set when notifyd stops: a failing history append is no longer retried.
    private let stopRetrying = Atomic<Bool>(false)
    private let requestFDs: (read: Int32, write: Int32)
    private let completionFDs: (read: Int32, write: Int32)

    /// The loop thread polls this; readable when batches have finished.
    var completionFD: Int32 { completionFDs.read }

    init(spool: Spool, logger: Logger) {
        self.spool = spool
        self.logger = logger
        var request: [Int32] = [-1, -1], completion: [Int32] = [-1, -1]
        precondition(pipe(&request) == 0 && pipe(&completion) == 0, "pipe failed")
        for fd in request + completion { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(completion[0], F_SETFL, fcntl(completion[0], F_GETFL) | O_NONBLOCK)
        requestFDs = (request[0], request[1])
        completionFDs = (completion[0], completion[1])
        let context = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            Unmanaged<Committer>.fromOpaque(argument!).takeRetainedValue().serve()
            return nil
        }, context.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }

    /// Queues a batch for writing.
    func submit(_ changes: [CompletionBatch.Change], events: [JobEventRecord] = []) {
        queues.withLock {
            $0.pending.append(changes)
            $0.pendingEvents += events
        }
        var byte: UInt8 = 1
        _ = write(requestFDs.write, &byte, 1)
    }

    /// Batches written since the last call.
    func takeFinished() -> [Finished] {
        var buffer = [UInt8](repeating: 0, count: 256)
        while buffer.withUnsafeMutableBytes({ read(completionFDs.read, $0.baseAddress, $0.count) }) > 0 {}
        return queues.withLock { queues in
            defer { queues.finished = [] }
            return queues.finished
        }
    }

    /// From now on a batch whose history cannot be written (a full disk) is given up at
    /// once instead of retried: its jobs stay in active/ for the next start.
    func giveUpFailingBatches() { stopRetrying.store(true, ordering: .relaxed) }

    /// Whether anything is queued or being written.
    var isIdle: Bool { queues.withLock { $0.pending.isEmpty && $0.pendingEvents.isEmpty && !$0.busy && $0.finished.isEmpty } }

    /// Batches are pipelined: one batch's history lines are synced by the same `syncfs` that
    /// makes the previous batch's renames durable, so under load a batch costs one device
    /// flush instead of two. A batch is reported finished only after its renames are
    /// durable; when nothing else is waiting, it gets a `syncfs` of its own at once.
    private func serve() {
        var byte: UInt8 = 0
        /// Renamed, not yet synced.
        var renamed: Finished?
        while true {
            if renamed == nil {
                let n = read(requestFDs.read, &byte, 1)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
            }
            let (changes, events) = queues.withLock { queues in
                queues.busy = true
                defer {
                    queues.pending = []
                    queues.pendingEvents = []
                }
                return (queues.pending.flatMap { $0 }, queues.pendingEvents)
            }
            // The batch's job event records: one file, covered by the sync that follows
            // (the history sync, or the one below when there are no changes). With changes
            // it is staged in tmp/ before their history lines and published after them, so a
            // notifyd killed in between leaves a staged file that the next start reconciles
            // with the histories (QueueManager.reconcileStagedEvents).
            var done: [Finished] = []
            if changes.isEmpty {
                writeEvents(events)
                if renamed == nil && !events.isEmpty {
                    sync("job event sync failed")
                } else if let last = renamed {
                    sync("state change sync failed; affected jobs are retried at the next start")
                    done.append(last)
                    renamed = nil
                }
            } else {
                // This sync also makes the previous batch's renames durable.
                let historyDurable = appendHistoryAndSync(changes, events: events)
                if let last = renamed { done.append(last) }
                let finished = rename(changes, allowed: historyDurable)
                if historyDurable { renamed = finished } else { done.append(finished); renamed = nil }
            }
            let idle = renamed == nil
            queues.withLock { queues in
                queues.finished += done
                if idle { queues.busy = false }
            }
            var signal: UInt8 = 1
            _ = write(completionFDs.write, &signal, 1)
        }
    }

    /// notify-statsd's job event records for the batch: one file in `status/`, no fsync of
    /// its own. A passing failure (the disk is full) is retried like the history below,
    /// so the statistics miss nothing; the batch's state changes wait meanwhile, as they
    /// would for their history. Only when notifyd stops, or for an error that does not pass,
    /// are the records given up: that loses statistics, never a job.
    private func writeEvents(_ events: [JobEventRecord]) {
        guard !events.isEmpty else { return }
        retryingEventWrite(count: events.count) { () throws(SpoolError) in try spool.writeJobEvents(events) }
    }

    /// Runs an event file write, retrying a passing failure (see `writeEvents`). Returns
    /// whether it worked.
    @discardableResult
    private func retryingEventWrite(count: Int, _ write: () throws(SpoolError) -> Void) -> Bool {
        let metadata: Logger.Metadata = ["count": "\(count)"]
        guard let error = retrying("job event records not written; retrying until it works", recovered: "job event records written again",
                                   metadata: metadata, givesUp: { !$0.isTemporary || stopRetrying.load(ordering: .relaxed) }, write)
        else { return true }
        logger.error("job event records not written; statistics will miss them", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        return false
    }

    /// Runs `body` until it works, waiting 50 ms, doubling up to 2 s, between tries; the
    /// first failure and the recovery are logged once. A failure that `givesUp` ends it:
    /// that error is returned (nil when it worked).
    private func retrying(_ failing: Logger.Message, recovered: Logger.Message, metadata: Logger.Metadata,
                          givesUp: (SpoolError) -> Bool, _ body: () throws(SpoolError) -> Void) -> SpoolError? {
        var delay: UInt32 = 50_000
        var failed = false
        while true {
            do {
                try body()
                if failed { logger.notice(recovered, metadata: metadata) }
                return nil
            } catch {
                if givesUp(error) { return error }
                if !failed {
                    logger.error(failing, metadata: metadata.merging(["error": "\(error)"]) { $1 })
                    failed = true
                }
                usleep(delay)
                delay = min(delay * 2, 2_000_000)
            }
        }
    }

    /// Steps 1 and 2: the batch's history lines, then `syncfs`. Returns whether both worked.
    /// A failure (the disk is full) is retried, from the first job whose lines were not
    /// written, with a delay doubling up to 2 s, until it works: meanwhile the jobs stay in
    /// active/ and in memory, so nothing is admitted twice, and once space is freed the batch
    /// completes without a restart. Only when notifyd stops is the batch given up; its jobs
    /// stay in active/ and the next start retries them. Nothing is lost either way.
    private func appendHistoryAndSync(_ changes: [CompletionBatch.Change], events: [JobEventRecord]) -> Bool {
        var written = 0
        var staged: StagedJobEvents?
        if !events.isEmpty {
            retryingEventWrite(count: events.count) { () throws(SpoolError) in staged = try spool.stageJobEvents(events) }
        }
        let error = retrying("history append failed; retrying until it works", recovered: "history append works again",
                             metadata: ["jobs": "\(changes.count)"], givesUp: { _ in stopRetrying.load(ordering: .relaxed) }) { () throws(SpoolError) in
            while written < changes.count {
                try spool.appendHistory(changes[written].id, changes[written].events)
                written += 1
            }
            if let pending = staged {
                try spool.publishJobEvents(pending)
                staged = nil
            }
            try spool.syncState()
        }
        guard let error else { return true }
        logger.error("history append failed; affected jobs are retried at the next start", metadata: ["error": "\(error)"])
        return false
    }

    /// Step 3: the renames out of active/ (none unless the history is durable).
    private func rename(_ changes: [CompletionBatch.Change], allowed: Bool) -> Finished {
        var moved = [Bool](repeating: false, count: changes.count)
        guard allowed else { return Finished(changes: changes, moved: moved) }
        do {
            for (index, change) in changes.enumerated() { moved[index] = try spool.move(change.move) }
        } catch {
            logger.error("state change failed; affected jobs are retried at the next start", metadata: ["error": "\(error)"])
        }
        return Finished(changes: changes, moved: moved)
    }

    private func sync(_ failure: Logger.Message) {
        do { try spool.syncState() } catch { logger.error(failure, metadata: ["error": "\(error)"]) }
    }
}
