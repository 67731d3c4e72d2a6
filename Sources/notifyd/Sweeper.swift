import Logging
import NotifyCore
import NotifySpool
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The slow background sweep (spool-layout.md, "Retention"): on a thread of its own, one
/// bucket every `sweep_interval`, so that old idempotency keys, final jobs and histories
/// go away without a full scan and without delaying the loop thread. It also repeats the
/// `tmp/` recovery of the start every `stale_temporary_age` (hourly by default).
final class Sweeper: Sendable {
    struct Parameters: Sendable {
        var interval: Duration
        var idempotencyWindow: Duration
        var retention: Duration
        var archiveRetention: Duration
        var staleTemporaryAge: Duration

        init(_ settings: Settings) {
            interval = settings.queueManager.sweepInterval
            idempotencyWindow = settings.idempotencyWindow
            retention = settings.historyRetention
            archiveRetention = settings.historyArchiveRetention
            staleTemporaryAge = settings.staleTemporaryAge
        }
    }

    private let spool: Spool
    private let logger: Logger
    private let parameters: Mutex<Parameters>

    init(spool: Spool, settings: Settings, logger: Logger) {
        self.spool = spool
        self.logger = logger
        parameters = Mutex(Parameters(settings))
        let context = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            Unmanaged<Sweeper>.fromOpaque(argument!).takeRetainedValue().serve()
            return nil
        }, context.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
        pthread_detach(thread)
    }

    /// Takes a reloaded configuration from the next step on.
    func reconfigure(_ settings: Settings) { parameters.withLock { $0 = Parameters(settings) } }

    private func serve() {
        var bucketIndex = 0
        // The start-up recovery has just run.
        var nextRecovery = WallClock.nowMilliseconds() + parameters.withLock { $0.staleTemporaryAge.milliseconds }
        while true {
            let current = parameters.withLock { $0 }
            usleep(useconds_t(clamping: current.interval.milliseconds * 1000))
            let now = WallClock.nowMilliseconds()
            let bucket = SpoolLayout.buckets[bucketIndex]
            bucketIndex = (bucketIndex + 1) % SpoolLayout.buckets.count
            let report = spool.sweep(bucket: bucket, now: now, idempotencyWindow: current.idempotencyWindow, retention: current.retention,
                                     archiveRetention: current.archiveRetention)
            if !report.isEmpty {
                logger.info("swept expired records", metadata: [
                    "bucket": "\(bucket)", "keys": "\(report.keys)", "jobs": "\(report.jobs)", "histories": "\(report.histories)", "archives": "\(report.archives)"])
            }
            if now >= nextRecovery {
                nextRecovery = now + current.staleTemporaryAge.milliseconds
                recoverTemporaryFiles(olderThan: current.staleTemporaryAge, now: now)
            }
        }
    }

    private func recoverTemporaryFiles(olderThan age: Duration, now: Int64) {
        do {
            let recovered = try spool.recoverTemporaryFiles(olderThan: age, now: now)
            if recovered.removed + recovered.completed > 0 {
                logger.notice("recovered temporary files", metadata: ["removed": "\(recovered.removed)", "completed": "\(recovered.completed)"])
            }
        } catch {
            logger.error("temporary file recovery failed", metadata: ["error": "\(error)"])
        }
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (for sleeps and schedules).
    fileprivate var milliseconds: Int64 { max(1, components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}
