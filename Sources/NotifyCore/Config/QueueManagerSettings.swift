/// How one channel is delivered and retried: `<channel>_<parameter>` in the file.
/// Defaults and their reasons are in `contrib/notifyd.conf.example`.
public struct DeliverySettings: Sendable, Equatable {
    /// Total attempts, the first included. `Int.max` (written `0` in the file) means
    /// "until the lifetime ends", as Postfix does for mail.
    public var maxAttempts = 3
    /// Delay after the first failed attempt; also the floor of a provider's Retry-After.
    public var backoffBase: Duration = .seconds(1)
    /// Growth of the delay per attempt.
    public var backoffMultiplier = 2.0
    /// Longest delay; also the ceiling of a provider's Retry-After.
    public var backoffMax: Duration = .seconds(8)
    /// `none`, `full`, `equal` or `decorrelated` (NotifyScheduling.Jitter).
    public var jitter = "equal"
    /// The agent program, looked up in `agent_directory` unless it is an absolute path.
    public var agent: String
    /// The providers' label: `<channel>_providers` without credentials (ProviderList), the
    /// name notifyd passes to the agent and uses for breakers, logs and history.
    public var provider = "outbox"
    /// `<channel>_providers` itself: provider URLs or names in fallback order. Read only by
    /// the channel's agent; it may hold credentials.
    public var providerEntries = ["outbox"]
    /// Agent processes started for the channel.
    public var agentProcesses = 1
    /// Deliveries in flight at once for the channel (shared by its agent processes).
    public var concurrencyLimit = 64
    /// Sustained requests per second to the provider; 0 means no limit.
    public var rateLimit = 0.0
    /// Requests the provider may get at once after an idle time (token bucket size).
    public var rateBurst = 10
    /// An attempt without a reply after this long is taken as failed (unknown outcome).
    public var deliveryTimeout: Duration = .seconds(60)

    public init(agent: String = "") { self.agent = agent }

    /// The seeds' policy: 3 attempts, 1 s → 2 s → 4 s, equal jitter.
    public static func seeds(_ channel: Channel) -> DeliverySettings { DeliverySettings(agent: "notify-\(channel.rawValue)") }

    /// Postfix-like mail: no attempt limit (the 5-day lifetime ends it), 5 min doubling
    /// to 4000 s (Postfix's minimal_backoff_time and maximal_backoff_time).
    public static let email: DeliverySettings = {
        var settings = DeliverySettings(agent: "notify-email")
        settings.maxAttempts = .max
        settings.backoffBase = .seconds(300)
        settings.backoffMax = .seconds(4000)
        return settings
    }()

    static let jitterNames: Set<String> = ["none", "full", "equal", "decorrelated"]

    init(reader: inout ConfigReader, channel: Channel, defaults: DeliverySettings) throws(ConfigError) {
        self = defaults
        if agent.isEmpty { agent = "notify-\(channel.rawValue)" }
        let prefix = channel.rawValue
        let attempts = try reader.integer("\(prefix)_max_attempts", default: maxAttempts == .max ? 0 : maxAttempts, range: 0...1_000_000)
        maxAttempts = attempts == 0 ? .max : attempts
        backoffBase = try reader.duration("\(prefix)_backoff_base", default: backoffBase)
        backoffMultiplier = try reader.decimal("\(prefix)_backoff_multiplier", default: backoffMultiplier, range: 1...1000)
        backoffMax = try reader.duration("\(prefix)_backoff_max", default: backoffMax)
        jitter = try reader.choice("\(prefix)_jitter", default: jitter, from: Self.jitterNames)
        agent = try reader.word("\(prefix)_agent", default: agent)
        let providers = reader.string("\(prefix)_providers", default: providerEntries.joined(separator: ","))
        providerEntries = ProviderList.entries(providers)
        guard !providerEntries.isEmpty else { throw reader.error("\(prefix)_providers", "needs at least one provider (outbox is the default)") }
        provider = ProviderList.label(providers)
        agentProcesses = try reader.integer("\(prefix)_agent_processes", default: agentProcesses, range: 1...64)
        concurrencyLimit = try reader.integer("\(prefix)_concurrency_limit", default: concurrencyLimit, range: 1...100_000)
        rateLimit = try reader.decimal("\(prefix)_rate_limit", default: rateLimit, range: 0...1_000_000)
        rateBurst = try reader.integer("\(prefix)_rate_burst", default: rateBurst, range: 1...1_000_000)
        deliveryTimeout = try reader.duration("\(prefix)_delivery_timeout", default: deliveryTimeout)
        guard backoffBase >= .milliseconds(1) else {
            throw reader.error("\(prefix)_backoff_base", "must be at least 1ms")
        }
        guard backoffMax >= backoffBase else {
            throw reader.error("\(prefix)_backoff_max", "must not be shorter than \(prefix)_backoff_base")
        }
        guard deliveryTimeout >= .milliseconds(1) else {
            throw reader.error("\(prefix)_delivery_timeout", "must be at least 1ms")
        }
    }
}

/// The queue manager's own parameters (Postfix's qmgr_* and friends).
public struct QueueManagerSettings: Sendable, Equatable {
    /// Jobs notifyd holds in memory at once (the active set, `active/`). Postfix's
    /// qmgr_message_active_limit is 20000; a job here is smaller, but the same bound keeps a
    /// million queued jobs from meaning a million in memory.
    public var activeLimit = 20_000
    /// Consecutive failures that open a provider's circuit breaker.
    public var breakerFailureThreshold = 5
    /// How long an open breaker stays open the first time.
    public var breakerCoolOff: Duration = .seconds(300)
    /// The longest cool-off after repeated failed probes.
    public var breakerMaxCoolOff: Duration = .seconds(3600)
    /// The safety rescan of `incoming/`, in case a wake-up was lost.
    public var queueScanInterval: Duration = .seconds(60)
    /// The pause between two steps of the retention sweep; each step looks at one bucket
    /// (idem/, done/, dead/, history/), so a full round takes 32 of these.
    public var sweepInterval: Duration = .seconds(10)
    /// On SIGTERM, how long to wait for replies of deliveries in flight.
    public var shutdownTimeout: Duration = .seconds(10)
    /// Where the agent programs are; empty means the directory notifyd itself is in.
    public var agentDirectory = ""

    public init() {}

    init(reader: inout ConfigReader) throws(ConfigError) {
        activeLimit = try reader.integer("qmgr_active_limit", default: activeLimit, range: 1...10_000_000)
        breakerFailureThreshold = try reader.integer("breaker_failure_threshold", default: breakerFailureThreshold, range: 1...1_000_000)
        breakerCoolOff = try reader.duration("breaker_cool_off", default: breakerCoolOff)
        breakerMaxCoolOff = try reader.duration("breaker_max_cool_off", default: breakerMaxCoolOff)
        queueScanInterval = try reader.duration("queue_scan_interval", default: queueScanInterval)
        sweepInterval = try reader.duration("sweep_interval", default: sweepInterval)
        shutdownTimeout = try reader.duration("shutdown_timeout", default: shutdownTimeout)
        agentDirectory = reader.string("agent_directory", default: agentDirectory)
        guard breakerCoolOff >= .milliseconds(1) else { throw reader.error("breaker_cool_off", "must be at least 1ms") }
        guard breakerMaxCoolOff >= breakerCoolOff else {
            throw reader.error("breaker_max_cool_off", "must not be shorter than breaker_cool_off")
        }
        guard queueScanInterval >= .milliseconds(10) else { throw reader.error("queue_scan_interval", "must be at least 10ms") }
        guard sweepInterval >= .milliseconds(10) else { throw reader.error("sweep_interval", "must be at least 10ms") }
    }
}

extension ConfigReader {
    /// A decimal number such as `2` or `1.5`.
    mutating func decimal(_ key: String, default value: Double, range: ClosedRange<Double>) throws(ConfigError) -> Double {
        let text = string(key, default: "")
        if text.isEmpty { return value }
        guard let number = Double(text), number.isFinite else { throw error(key, "not a number: \"\(text)\"") }
        guard range.contains(number) else { throw error(key, "\(text) is out of range \(range.lowerBound)...\(range.upperBound)") }
        return number
    }

    /// One of a fixed set of words.
    mutating func choice(_ key: String, default value: String, from choices: Set<String>) throws(ConfigError) -> String {
        let text = string(key, default: value)
        guard choices.contains(text) else { throw error(key, "\"\(text)\" is not one of \(choices.sorted().joined(separator: ", "))") }
        return text
    }

    /// A single name: letters, digits, `-`, `_`, `.` and `/` (program and provider names).
    mutating func word(_ key: String, default value: String) throws(ConfigError) -> String {
        let text = string(key, default: value)
        guard !text.isEmpty, text.utf8.allSatisfy({ ValidationSupport.isDigit($0) || ValidationSupport.isLetter($0) || "-_./".utf8.contains($0) }) else {
            throw error(key, "\"\(text)\" is not a single name")
        }
        return text
    }
}
