/// Every configuration parameter of the suite, typed, with its built-in default.
/// One schema for all programs, so each of them can reject unknown parameters.
/// `contrib/notifyd.conf.example` documents each one.
public struct Settings: Sendable {
    public static let defaultConfigPath = "/etc/notifyd/notifyd.conf"
    public static let defaultSpoolDirectory = "/var/spool/notifyd"

    /// Where the config file came from, for messages.
    public var configPath: String = Settings.defaultConfigPath
    public var spoolDirectory = Settings.defaultSpoolDirectory
    public var templateDirectory = "/etc/notifyd/templates"
    /// The account that owns the spool and runs the daemons.
    public var daemonUser = "notifyd"
    public var daemonGroup = "notifyd"
    /// Members of this group may submit jobs (like Postfix's postdrop).
    public var submitGroup = "notify"
    /// A second submission with the same idempotency key within this window returns the first job.
    public var idempotencyWindow: Duration = .seconds(24 * 3600)
    /// Jobs committed together by one syncfs in batch mode.
    public var batchGroupSize = 1024
    /// Temporary files older than this are left over from a crash; recovery deals with them.
    public var staleTemporaryAge: Duration = .seconds(3600)
    /// Final jobs (`done/`, `dead/`) and their histories are kept this long after their last
    /// event; the queue manager's sweep removes them later. Never shorter than
    /// `idempotencyWindow`, so a key never outlives the job it names.
    public var historyRetention: Duration = .seconds(7 * 24 * 3600)
    /// Histories removed after `historyRetention` are first compacted into daily files
    /// (`history/YYYY-MM-DD.jsonl`), which are kept this long; 0 keeps no archive.
    public var historyArchiveRetention: Duration = .seconds(90 * 24 * 3600)
    public var smsMaxSegments = 10
    public var channels: [Channel: ChannelSettings] = ChannelSettings.defaults
    /// The queue manager's parameters (QueueManagerSettings.swift).
    public var queueManager = QueueManagerSettings()
    /// The delivery agents' timeouts, webhook endpoints and signing key (ProviderSettings.swift).
    public var providers = ProviderSettings()
    /// notify-apid's socket, limits and access policy (APISettings.swift).
    public var api = APISettings()
    /// notify-statsd and the alert thresholds (StatsSettings.swift).
    public var stats = StatsSettings()

    public init() {}

    public func channel(_ channel: Channel) -> ChannelSettings { channels[channel]! }

    /// Reads the configuration file at `path` (missing file: defaults).
    public static func load(path: String) throws(ConfigError) -> Settings {
        try Settings(file: ConfigFile.load(path: path))
    }

    public init(file: ConfigFile) throws(ConfigError) {
        var reader = ConfigReader(file)
        configPath = file.path
        spoolDirectory = reader.string("spool_directory", default: spoolDirectory)
        templateDirectory = reader.string("template_directory", default: templateDirectory)
        daemonUser = reader.string("daemon_user", default: daemonUser)
        daemonGroup = reader.string("daemon_group", default: daemonGroup)
        submitGroup = reader.string("submit_group", default: submitGroup)
        idempotencyWindow = try reader.duration("idempotency_window", default: idempotencyWindow)
        batchGroupSize = try reader.integer("batch_group_size", default: batchGroupSize, range: 1...65536)
        staleTemporaryAge = try reader.duration("stale_temporary_age", default: staleTemporaryAge)
        historyRetention = try reader.duration("history_retention", default: max(historyRetention, idempotencyWindow))
        guard historyRetention >= idempotencyWindow else {
            throw reader.error("history_retention", "must not be shorter than idempotency_window")
        }
        historyArchiveRetention = try reader.duration("history_archive_retention", default: historyArchiveRetention)
        smsMaxSegments = try reader.integer("sms_max_segments", default: smsMaxSegments, range: 1...255)
        for channel in Channel.allCases {
            var settings = channels[channel]!
            let prefix = channel.rawValue
            settings.bodySizeLimit = try reader.size("\(prefix)_body_size_limit", default: settings.bodySizeLimit)
            settings.maximalLifetime = try reader.duration("\(prefix)_maximal_lifetime", default: settings.maximalLifetime)
            settings.delivery = try DeliverySettings(reader: &reader, channel: channel, defaults: settings.delivery)
            channels[channel] = settings
        }
        queueManager = try QueueManagerSettings(reader: &reader)
        providers = try ProviderSettings(reader: &reader)
        api = try APISettings(reader: &reader)
        stats = try StatsSettings(reader: &reader)
        try reader.finish()
    }
}

/// Per-channel parameters, named `<channel>_<parameter>` in the file.
public struct ChannelSettings: Sendable, Equatable {
    /// The largest body (plus subject and HTML) accepted, in bytes. For push this is the
    /// provider's payload limit (FCM: 4096 bytes).
    public var bodySizeLimit: Int
    /// A job not delivered within this time after its creation becomes a dead letter ("expired").
    public var maximalLifetime: Duration
    /// Retries, agents and limits (QueueManagerSettings.swift).
    public var delivery = DeliverySettings()

    public static let defaults: [Channel: ChannelSettings] = [
        // Postfix's maximal_queue_lifetime is 5 days: email may wait out a long outage.
        .email: ChannelSettings(bodySizeLimit: 10 << 20, maximalLifetime: .seconds(5 * 86400), delivery: .email),
        // A text or push message that is a day late is usually worse than none.
        .sms: ChannelSettings(bodySizeLimit: 4096, maximalLifetime: .seconds(86400), delivery: .seeds(.sms)),
        .push: ChannelSettings(bodySizeLimit: 4096, maximalLifetime: .seconds(86400), delivery: .seeds(.push)),
        .webhook: ChannelSettings(bodySizeLimit: 1 << 20, maximalLifetime: .seconds(3 * 86400), delivery: .seeds(.webhook)),
        .inbox: ChannelSettings(bodySizeLimit: 64 << 10, maximalLifetime: .seconds(30 * 86400), delivery: .seeds(.inbox)),
    ]
}
