import NotifyCore
import NotifySpool

/// What every provider of an agent shares: the one curl engine (and with it the
/// connection cache), the timeouts, the spool and the configuration.
public struct ProviderEnvironment: Sendable {
    public let engine: CurlEngine
    public let settings: Settings
    public let spool: Spool

    public init(engine: CurlEngine, settings: Settings, spool: Spool) {
        self.engine = engine
        self.settings = settings
        self.spool = spool
    }

    /// An HTTP request with the configured timeouts.
    func http(_ method: String, _ url: String, headers: [String], body: [UInt8] = [],
              username: String? = nil, password: String? = nil) -> CurlRequest {
        CurlRequest(url: url, kind: .http(method: method, headers: headers, body: body), username: username, password: password,
                    connectTimeoutMilliseconds: Int(settings.providers.connectTimeout.milliseconds),
                    timeoutMilliseconds: Int(settings.providers.timeout.milliseconds))
    }

    var connectTimeoutMilliseconds: Int { Int(settings.providers.connectTimeout.milliseconds) }
    var timeoutMilliseconds: Int { Int(settings.providers.timeout.milliseconds) }
}

/// The key a provider gets to drop a duplicate: the job's idempotency key, else its ID
/// (the same for every attempt of the job).
func idempotencyKey(_ job: Job) -> String { job.idempotencyKey ?? job.id.text }
