// NAME
//     notify-apid - the notifyd HTTP API on a Unix socket
//
// SYNOPSIS
//     notify-apid [--socket PATH] [--spool DIR] [--config FILE]
//
// DESCRIPTION
//     notify-apid lets local applications submit and track notifications with HTTP/1.1
//     and JSON over a Unix stream socket (curl --unix-socket PATH http://localhost/v1/...).
//     It writes jobs into the spool with the commit protocol of notify-enqueue(1):
//     concurrent submissions are group-committed (many requests share one syncfs and
//     one fsync of incoming/), and each request is answered only once its job is
//     durable. It never talks to providers.
//
//     Every connection's peer uid, gid and pid are read with SO_PEERCRED and checked
//     against api_access (README.md, "notify-apid"); a refusal is 403 with the reason
//     and is logged with the peer's uid. The submitter's uid and pid are recorded in
//     each job.
//
//     The endpoints are listed in openapi.yaml: notifications, batches and their
//     progress, jobs (show, cancel, retry, list), in-app inboxes, recipient
//     preferences, /health and a Server-Sent Events stream relayed from notify-statsd.
//
//     Limits: api_body_size_limit (413), api_header_size_limit (431),
//     api_connection_limit (503) and api_idle_timeout (a request not complete in time
//     gets 408 and the connection is closed). A full disk is 503 with Retry-After and
//     leaves nothing half-written.
//
//     With socket activation (LISTEN_FDS) it serves the inherited socket; otherwise it
//     binds the socket itself, mode api_socket_mode (0660), group api_socket_group
//     (default submit_group, notify). It reports READY=1 and pings the watchdog through
//     sd_notify. SIGTERM or SIGINT stop it after the requests in flight.
//
//     SIGHUP re-reads the configuration (systemctl reload notify-apid). The access
//     policy, the limits, the validation settings and the /health thresholds apply to
//     the next request; requests in flight finish under the old ones. The socket, its
//     mode and group, the commit threads and group limit, the idempotency window and
//     the spool stay as they were until a restart, and the reload says which of them
//     changed. A configuration with an error is not taken: the old one stays and the
//     error (file, line, key) is logged.
//
// EXIT STATUS
//     0 stopped by a signal; 69 the socket cannot be bound; 73/74 the spool cannot be
//     opened; 78 bad configuration.
//
// ENVIRONMENT
//     NOTIFYD_SOCKET: default for --socket. NOTIFYD_SPOOL, NOTIFYD_CONFIG: defaults for
//     --spool and --config. LISTEN_FDS, LISTEN_PID, NOTIFY_SOCKET, WATCHDOG_USEC: set by
//     systemd.
//
// FILES
//     /run/notifyd/api.sock, /etc/notifyd/notifyd.conf, /var/spool/notifyd
//     (spool-layout.md), state/batches/ (batch records), state/events.sock (live events)
//
// SEE ALSO
//     notifyd(8), notify-enqueue(1), notifyctl(8), openapi.yaml, spool-layout.md
import ArgumentParser
import Logging
import NotifyAPI
import NotifyArguments
import NotifyCLI
import NotifyCore
import NotifyDaemonKit
import NotifySpool
#if canImport(Glibc)
import Glibc
#endif

@main
struct NotifyApid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notify-apid", abstract: "The notifyd HTTP API on a Unix socket.")

    @OptionGroup var spool: SpoolOptions
    @Option(help: ArgumentHelp("The socket to listen on.", discussion: "Default: $NOTIFYD_SOCKET, else api_socket, else /run/notifyd/api.sock.",
                               valueName: "path"))
    var socket: String?

    func run() async throws {
        LoggingBootstrap.bootstrap(program: "notify-apid")
        signal(SIGPIPE, SIG_IGN)
        let logger = Logger(label: "notify-apid")
        let (settings, store, inherited): (Settings, Spool, Int32?)
        do {
            settings = try spool.settings()
            store = try Spool.open(settings.spoolDirectory)
            inherited = try ListenSockets.inherited(unsetEnvironment: true).first?.fileDescriptor
        } catch {
            let failure = CommandFailure(error)
            printError("notify-apid: \(failure.message)")
            throw ArgumentParser.ExitCode(failure.code.rawValue)
        }
        let path = inherited == nil ? socket ?? environmentValue("NOTIFYD_SOCKET") ?? settings.api.socket : nil
        let policy = APIReload.policy(settings)
        for name in policy.unresolvedNames { logger.warning("api_access names an unknown account", metadata: ["NAME": "\(name)"]) }
        let committer = GroupCommitter(spool: store, idempotencyWindow: settings.idempotencyWindow,
                                       groupLimit: settings.api.commitGroupLimit, threads: settings.api.commitThreads)
        committer.start()
        let service = APIService(spool: store, settings: settings, policy: policy, committer: committer, logger: logger)
        let server = APIServer(service: service, logger: logger)
        do {
            try await server.start(path: path, inherited: inherited)
        } catch {
            printError("notify-apid: cannot listen on \(path ?? "the inherited socket"): \(error)")
            throw ArgumentParser.ExitCode(NotifyCore.ExitCode.unavailable.rawValue)
        }
        let notifier = ServiceNotifier()
        notifier.ready()
        logger.info("listening", metadata: ["SOCKET": "\(path ?? "inherited")"])
        let signals = SignalEvents.stream()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await WatchdogLoop.run(notifier: notifier) }
            for await event in signals {
                if event == .terminate { break }
                notifier.reloading()
                reload(service, started: settings, logger: logger)
                notifier.ready()
            }
            group.cancelAll()
        }
        notifier.stopping()
        await server.shutdown()
        committer.stop()
        if let path { unlink(path) }
    }
}

extension NotifyApid {
    /// SIGHUP: the configuration read again; taken whole, or not at all. What differs from
    /// `started` among the keys bound at start is reported (on every reload, until a restart).
    func reload(_ service: APIService, started: Settings, logger: Logger) {
        let fresh: Settings
        do {
            fresh = try spool.settings()
        } catch {
            logger.error("configuration not reloaded; keeping the old one", metadata: [
                "ERROR": "\(error)", "MESSAGE_ID": "\(JournalMessageID.configurationReloaded)"])
            return
        }
        let policy = APIReload.policy(fresh)
        for name in policy.unresolvedNames { logger.warning("api_access names an unknown account", metadata: ["NAME": "\(name)"]) }
        let waiting = APIReload.restartOnlyChanges(from: started, to: fresh)
        service.reconfigure(settings: fresh, policy: policy)
        logger.notice("configuration reloaded", metadata: ["MESSAGE_ID": "\(JournalMessageID.configurationReloaded)"])
        if !waiting.isEmpty {
            logger.warning("some changes need a restart", metadata: ["KEYS": "\(waiting.joined(separator: ", "))"])
        }
    }
}

func environmentValue(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    let text = String(cString: value)
    return text.isEmpty ? nil : text
}
