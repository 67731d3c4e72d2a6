import Logging
import NotifyCore
import NotifyDaemonKit
import NotifySpool
import NotifyStats
#if canImport(Glibc)
import Glibc
#endif

/// notify-statsd's loop, on a thread of its own: waits in poll(2) on inotify (status/),
/// the event socket, its subscribers and the signal pipe; folds groups while files wait;
/// rescans every `stats_rescan_interval`; rewrites the snapshot at least every few seconds
/// so its windows and breakers stay current; pings the watchdog.
final class StatsLoop: @unchecked Sendable {
    private let consumer: StatsConsumer
    private let settings: Settings
    private let controlFD: Int32
    private let logger: Logger
    private let notifier = ServiceNotifier()
    /// A quiet spool still gets a fresh snapshot this often (windows move, breakers change).
    static let refreshInterval: Int64 = 5000
    /// How long to wait before trying again when the spool refuses a snapshot (ENOSPC…).
    static let retryDelay: Int64 = 1000

    init(consumer: StatsConsumer, settings: Settings, controlFD: Int32, logger: Logger) {
        self.consumer = consumer
        self.settings = settings
        self.controlFD = controlFD
        self.logger = logger
    }

    func run() throws(SpoolError) {
        let spool = consumer.spool
        let hub = EventHub(listenFD: try spool.listenEventSocket())
        defer { spool.removeEventSocket() }
        consumer.publish = { hub.publish($0) }
        let inotifyFD = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        if inotifyFD < 0 { throw SpoolError("inotify_init1", path: spool.root + "/status", errno: errno) }
        defer { close(inotifyFD) }
        let mask = UInt32(IN_MOVED_TO | IN_CLOSE_WRITE | IN_CREATE)
        if inotify_add_watch(inotifyFD, try spool.statusDirectoryWatchPath(), mask) < 0 {
            throw SpoolError("inotify_add_watch", path: spool.root + "/status", errno: errno)
        }
        _ = notifier.ready()
        logger.info("notify-statsd ready", metadata: ["records": "\(consumer.aggregator.records)"])
        let rescanEvery = max(100, milliseconds(settings.stats.rescanInterval))
        var nextRescan: Int64 = 0
        var nextPing: Int64 = 0
        var pending = true
        // While the spool refuses the snapshot for a passing reason (a full disk), the files
        // stay in status/ uncounted and the loop tries again after `retryDelay`.
        var retryAt: Int64 = 0
        var failing = false
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let now = WallClock.nowMilliseconds()
            if now >= nextRescan { pending = true; nextRescan = now + rescanEvery }
            if now >= retryAt {
                do {
                    if pending {
                        // A full group means more may wait: go on without sleeping.
                        let folded = try consumer.consumeGroup(now: now)
                        pending = folded > 0
                    }
                    if now - consumer.lastSnapshotWritten >= Self.refreshInterval { try consumer.writeSnapshot(now: now, folded: []) }
                    if failing {
                        failing = false
                        logger.notice("stats snapshot written again")
                    }
                } catch where error.isTemporary {
                    if !failing { logger.warning("cannot write the stats snapshot; retrying", metadata: ["error": "\(error)"]) }
                    failing = true
                    retryAt = now + Self.retryDelay
                    pending = true
                }
            }
            if let interval = notifier.watchdogPingInterval, now >= nextPing {
                _ = notifier.watchdogPing()
                nextPing = now + milliseconds(interval)
            }
            var fds = [
                pollfd(fd: controlFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                pollfd(fd: hub.listenFD, events: Int16(POLLIN), revents: 0),
            ]
            let timeout = now < retryAt ? Int32(clamping: retryAt - now) : pending ? 0 : Int32(clamping: min(1000, nextRescan - now))
            _ = poll(&fds, nfds_t(fds.count), timeout)
            if fds[0].revents != 0 {
                let n = buffer.withUnsafeMutableBytes { read(controlFD, $0.baseAddress, $0.count) }
                if n > 0 && buffer[0..<n].contains(UInt8(ascii: "T")) {
                    _ = notifier.stopping()
                    // A last fold; if the disk refuses it, the files wait for the next start.
                    do { _ = try consumer.consumeGroup(now: WallClock.nowMilliseconds(), force: true) } catch where error.isTemporary {}
                    logger.info("notify-statsd stopped", metadata: ["records": "\(consumer.aggregator.records)"])
                    return
                }
            }
            if fds[1].revents != 0 {
                // Never count events (inotify merges them): just look at the directory again.
                while buffer.withUnsafeMutableBytes({ read(inotifyFD, $0.baseAddress, $0.count) }) > 0 {}
                pending = true
            }
            if fds[2].revents != 0 { hub.acceptAll() }
            hub.service()
        }
    }
}

func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
}
