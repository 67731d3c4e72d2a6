// NAME
//     notify-statsd - the notifyd statistics daemon and live event hub
//
// SYNOPSIS
//     notify-statsd [--spool DIR] [--config FILE] [--once]
//
// DESCRIPTION
//     notify-statsd turns the records in the spool's status/ directory into the numbers
//     operators watch. The delivery agents write one status record per attempt; notifyd
//     and notifyctl write job event records for their decisions (queued, retried,
//     delivered, failed, expired, suppressed, cancelled). It is a process of its own so
//     that statistics never slow delivery.
//
//     It folds the records into per channel and per provider counts, success and error
//     rates, delivery latency (enqueue to delivered) and provider latency histograms
//     (HdrHistogram: p50, p90, p99, max), attempts per delivered job, and windows of the
//     last minute, 5 minutes and hour; copies the circuit breakers from notifyd's
//     state/qmgr.json; and writes state/stats.json atomically (tmp/, fsync, rename, fsync
//     state/) BEFORE it removes the files it folded. The snapshot names those files, so
//     after a crash between the two steps they are removed at start without being counted
//     again: a restart never counts a record twice and never loses one
//     (spool-layout.md, "Consuming status records").
//
//     It watches status/ with inotify and lists it every stats_rescan_interval as well,
//     folding at most stats_files_per_snapshot files per snapshot.
//
//     It is also the live event hub: every client of the Unix socket state/events.sock
//     (mode 0600) receives each record folded from then on as one JSON line; a client that
//     does not keep up is dropped, never waited for.
//
//     Under systemd (Type=notify) it reports READY=1 once the snapshot is recovered and
//     the socket listens, pings the watchdog from its loop, and logs to the journal;
//     otherwise to stderr. SIGTERM or SIGINT: it finishes the group in hand and exits.
//     SIGHUP is ignored with a notice: reloading is not supported; restart to apply changes.
//
//     --once folds everything waiting, writes the snapshot and exits (tests, bench/stats).
//
// EXIT STATUS
//     0 stopped by a signal or done (--once); 65 the snapshot is not a notifyd-stats 1.x
//     file; 73/74 the spool cannot be opened or written; 78 bad configuration.
//
// ENVIRONMENT
//     NOTIFYD_SPOOL, NOTIFYD_CONFIG: defaults for --spool and --config. NOTIFY_SOCKET,
//     WATCHDOG_USEC: set by systemd. NOTIFY_STATSD_TEST_CRASH=after-snapshot: the crash
//     test's fault, SIGKILL itself after a snapshot, before removing the files it names.
//
// FILES
//     /var/spool/notifyd/status/ (consumed), state/stats.json (written),
//     state/events.sock (the live event socket), state/qmgr.json (read),
//     /etc/notifyd/notifyd.conf
//
// SEE ALSO
//     notifyd(8), notifyctl(8), spool-layout.md
import ArgumentParser
import Logging
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifyDaemonKit
import NotifySpool
import NotifyStats
#if canImport(Glibc)
import Glibc
#endif

@main
struct NotifyStatsd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify-statsd", abstract: "The notifyd statistics daemon and live event hub.")

    @OptionGroup var spool: SpoolOptions
    @Flag(help: "Fold what is waiting in status/, write the snapshot and exit.")
    var once = false

    func run() async throws {
        LoggingBootstrap.bootstrap(program: "notify-statsd")
        signal(SIGPIPE, SIG_IGN)
        let logger = Logger(label: "notify-statsd")
        let settings: Settings, store: Spool
        do {
            settings = try spool.settings()
            store = try Spool.open(settings.spoolDirectory)
        } catch {
            let failure = CommandFailure(error)
            printError("notify-statsd: \(failure.message)")
            throw ArgumentParser.ExitCode(failure.code.rawValue)
        }
        let consumer = StatsConsumer(spool: store, filesPerSnapshot: settings.stats.filesPerSnapshot, logger: logger)
        do throws(SpoolError) {
            try consumer.recover()
            if once {
                while try consumer.consumeGroup(now: WallClock.nowMilliseconds()) > 0 {}
                try consumer.writeSnapshot(now: WallClock.nowMilliseconds(), folded: [])
                return
            }
        } catch {
            printError("notify-statsd: \(error)")
            throw ArgumentParser.ExitCode(error.errno == 0 ? ExitCode.dataError.rawValue : error.exitCode.rawValue)
        }
        var control: [Int32] = [-1, -1]
        guard pipe(&control) == 0 else { throw ArgumentParser.ExitCode(ExitCode.osError.rawValue) }
        for fd in control { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(control[0], F_SETFL, fcntl(control[0], F_GETFL) | O_NONBLOCK)
        let loop = StatsLoop(consumer: consumer, settings: settings, controlFD: control[0], logger: logger)
        let writeEnd = control[1]
        let signals = SignalEvents.stream()
        let failure: SpoolError? = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in signals {
                    guard event == .terminate else {
                        // No ExecReload in its unit, but a stray SIGHUP must not end it.
                        logger.notice("reload is not supported; restart to apply changes", metadata: ["SIGNAL": "SIGHUP"])
                        continue
                    }
                    var byte = UInt8(ascii: "T")
                    _ = write(writeEnd, &byte, 1)
                }
            }
            let failure = await LoopThread.run { () -> SpoolError? in
                do throws(SpoolError) { try loop.run() } catch { return error }
                return nil
            }
            group.cancelAll()
            return failure
        }
        if let failure {
            printError("notify-statsd: \(failure)")
            throw ArgumentParser.ExitCode(failure.exitCode.rawValue)
        }
    }
}
