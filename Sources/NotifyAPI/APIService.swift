import Logging
import NotifyCore
import NotifySpool
import NotifyTemplates
import Synchronization

/// Everything a request may touch: the spool, the settings, the access policy and the
/// group committer. The handlers (one extension per resource) run on a thread pool or,
/// for submissions, partly on the event loop; each answers through `respond` exactly once.
public final class APIService: Sendable {
    public typealias Respond = @Sendable (APIResponse) -> Void

    public let spool: Spool
    public let committer: GroupCommitter
    let logger: Logger
    let inboxCounts = InboxCountCache()
    let queueShapes: QueueShapeCache
    private let configuration: Mutex<Configuration>

    /// What a reload (SIGHUP) replaces at once for every later request.
    private struct Configuration {
        var settings: Settings
        var policy: AccessPolicy
        /// The /health checks, in order (HealthCheck.swift).
        var healthChecks: [HealthCheck]
    }

    public init(spool: Spool, settings: Settings, policy: AccessPolicy, committer: GroupCommitter, logger: Logger) {
        self.spool = spool
        self.committer = committer
        self.logger = logger
        let queueShapes = QueueShapeCache()
        self.queueShapes = queueShapes
        configuration = Mutex(Configuration(settings: settings, policy: policy,
                                            healthChecks: HealthCheck.standard(settings: settings, queueShapes: queueShapes)))
    }

    public var settings: Settings { configuration.withLock { $0.settings } }
    public var policy: AccessPolicy { configuration.withLock { $0.policy } }
    var healthChecks: [HealthCheck] { configuration.withLock { $0.healthChecks } }

    /// Takes new settings and a new access policy (a reload). Requests already routed
    /// finish under the old ones. What is fixed at start (APIReload.restartOnlyChanges) is
    /// the caller's to report.
    public func reconfigure(settings: Settings, policy: AccessPolicy) {
        let checks = HealthCheck.standard(settings: settings, queueShapes: queueShapes)
        configuration.withLock { $0 = Configuration(settings: settings, policy: policy, healthChecks: checks) }
    }

    /// Dispatches a routed request. `events` is handled by the connection, not here.
    public func handle(_ route: RouteName, _ request: APIRequest, respond: @escaping Respond) {
        let rights = policy.rights(for: request.peer)
        switch route {
        case .submitNotification: submitNotification(request, rights, respond: respond)
        case .submitBatch: submitBatch(request, rights, respond: respond)
        case .showBatch: respond(showBatch(request, rights))
        case .listJobs: respond(listJobs(request, rights))
        case .showJob: respond(showJob(request, rights))
        case .cancelJob: respond(act(.cancel, request, rights))
        case .retryJob: respond(act(nil, request, rights))
        case .listInbox: respond(listInbox(request, rights))
        case .countInbox: respond(countInbox(request, rights))
        case .readAllInbox: respond(readAllInbox(request, rights))
        case .readInboxMessage: respond(readInboxMessage(request, rights))
        case .deleteInboxMessage: respond(deleteInboxMessage(request, rights))
        case .showPreferences: respond(showPreferences(request, rights))
        case .putPreferences: respond(putPreferences(request, rights))
        case .health: respond(health(request, rights))
        case .stats: respond(stats(request, rights))
        case .metrics: respond(metrics(request, rights))
        case .statusPage: respond(statusPage(request, rights))
        case .events: respond(.error(500, "internal", "the event stream is served by the connection"))
        }
    }

    /// A refusal: logged with the peer's uid (static message, details in metadata), and
    /// answered 403 with the reason.
    func refuse(_ request: APIRequest, _ reason: String) -> APIResponse {
        logger.warning("request refused", metadata: [
            "PEER_UID": "\(request.peer.uid)", "PEER_GID": "\(request.peer.gid)", "PEER_PID": "\(request.peer.pid)",
            "REQUEST": "\(request.method) \(request.path)", "REASON": "\(reason)",
        ])
        return .forbidden(reason)
    }

    /// A spool failure as an answer: 503 with Retry-After for what passes (disk full…),
    /// 500 for the rest; the message names the operation and errno, never a stack.
    func spoolFailure(_ error: SpoolError) -> APIResponse {
        logger.error("spool operation failed", metadata: ["ERROR": "\(error)"])
        if error.isTemporary {
            return .error(503, "unavailable", error.description, headers: [("Retry-After", "5")])
        }
        return .error(500, "spool_error", error.description)
    }
}
