// NAME
//     notifyd - the notifyd queue manager
//
// SYNOPSIS
//     notifyd [--spool DIR] [--config FILE]
//
// DESCRIPTION
//     notifyd is the only program that decides what happens to a job next, like Postfix's
//     qmgr(8). It runs in the foreground (systemd's Type=notify; or a terminal).
//
//     At start it recovers what a crash left: stale temporary files (spool-layout.md, rows
//     T1-I3), jobs found in active/ (retried: row A2), and reads every deferred job's due
//     time from its file's mtime (the only full scan). Then it starts the delivery agents
//     (notify-email, notify-sms, notify-push, notify-webhook, notify-inbox, or what
//     <channel>_agent names), reports READY=1 and serves:
//
//     - new jobs wake it through public/trigger; it moves them from incoming/ to active/
//       (at most qmgr_active_limit in memory) and deferred jobs back when due;
//     - per channel it dispatches high before normal before bulk without starving any
//       class, alternating new jobs and retries, within <channel>_concurrency_limit,
//       <channel>_rate_limit and the provider's circuit breaker;
//     - it acts on each agent reply: done/ (delivered), deferred/ with a backoff, or dead/
//       (permanent failure, attempts used up, expired), appending to history/; a batch of
//       state changes costs two syncfs(2) calls whatever its size, one while batches keep
//       coming (the next batch's first sync is the previous one's last);
//     - it suppresses jobs to recipients who opted out of the channel and defers jobs
//       that fall into a recipient's quiet hours (prefs/).
//
//     A background sweep removes, one hash bucket every sweep_interval, idempotency keys
//     older than idempotency_window and final jobs (done/, dead/) with their histories
//     older than history_retention, compacting each history first into the daily archive
//     history/YYYY-MM-DD.jsonl (kept history_archive_retention); the tmp/ recovery repeats
//     every stale_temporary_age.
//
//     Each completion batch also writes one file of job event records (queued, retried,
//     delivered, failed, expired, suppressed) into status/ for notify-statsd, made durable
//     by the batch's existing syncfs.
//
//     SIGHUP reloads the configuration; a bad file is reported with its file, line and
//     parameter and the old configuration stays. SIGTERM (or SIGINT) stops dispatching,
//     waits up to shutdown_timeout for replies in flight, and leaves the rest in active/
//     for the next start. kill -9 at any moment loses no job.
//
//     Logs go to the journal under systemd (JOURNAL_STREAM), else to stderr. Journal
//     records carry JOB_ID, CHANNEL, PROVIDER, OUTCOME and MESSAGE_ID where they apply:
//     dead letters at notice, each final job and (from the agents) each attempt at debug,
//     so journalctl -u notifyd JOB_ID=ID follows one job once NOTIFYD_LOG_LEVEL=debug.
//
// EXIT STATUS
//     0 stopped by a signal; 73/74 the spool cannot be opened; 78 bad configuration.
//
// ENVIRONMENT
//     NOTIFYD_SPOOL, NOTIFYD_CONFIG: defaults for --spool and --config.
//     NOTIFYD_LOG_LEVEL: trace, debug, info (the default), notice, warning or error; the
//     agents inherit it. NOTIFY_SOCKET, WATCHDOG_USEC, JOURNAL_STREAM,
//     CREDENTIALS_DIRECTORY: set by systemd (the agents read provider secrets from the last).
//
// FILES
//     /var/spool/notifyd (spool-layout.md), /etc/notifyd/notifyd.conf,
//     state/qmgr.json (breaker states for notifyctl status)
//
// SEE ALSO
//     notifyctl(8), notify-enqueue(1), notify-sms(8), agent-protocol.md, spool-layout.md
import NotifyArguments
import ArgumentParser
import Logging
import NotifyCLI
import NotifyCore
import NotifyDaemonKit
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

@main
struct Notifyd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notifyd", abstract: "The notifyd queue manager.")

    @OptionGroup var spool: SpoolOptions

    func run() async throws {
        LoggingBootstrap.bootstrap(program: "notifyd")
        signal(SIGPIPE, SIG_IGN)
        var control: [Int32] = [-1, -1]
        let (settings, store): (Settings, Spool)
        do {
            settings = try spool.settings()
            store = try Spool.open(settings.spoolDirectory)
            guard pipe(&control) == 0 else { throw CommandFailure("pipe: \(String(cString: strerror(errno)))", code: .osError) }
        } catch {
            let failure = CommandFailure(error)
            printError("notifyd: \(failure.message)")
            throw ArgumentParser.ExitCode(failure.code.rawValue)
        }
        for fd in control { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        _ = fcntl(control[0], F_SETFL, fcntl(control[0], F_GETFL) | O_NONBLOCK)
        let manager = ManagerBox(QueueManager(
            spool: store, settings: settings, configPath: spool.configPath, controlFD: control[0],
            logger: Logger(label: "notifyd")))
        let writeEnd = control[1]
        let signals = SignalEvents.stream()
        let failure: SpoolError? = await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in signals {
                    var byte = event == .terminate ? UInt8(ascii: "T") : UInt8(ascii: "H")
                    _ = write(writeEnd, &byte, 1)
                }
            }
            let failure = await LoopThread.run { () -> SpoolError? in
                do throws(SpoolError) { try manager.value.run() } catch { return error }
                return nil
            }
            group.cancelAll()
            return failure
        }
        if let failure {
            printError("notifyd: \(failure)")
            throw ArgumentParser.ExitCode(failure.exitCode.rawValue)
        }
    }
}

/// The queue manager is owned by its loop thread alone; this box only carries it there.
final class ManagerBox: @unchecked Sendable {
    let value: QueueManager
    init(_ value: QueueManager) { self.value = value }
}
