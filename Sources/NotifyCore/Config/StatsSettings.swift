/// notify-statsd's parameters and the alert thresholds of `notifyctl check` (and of
/// notify-apid's /health): `stats_*` and `alert_*` in the file. The alert defaults are
/// the seeds' thresholds (queue length > 1000, success rate < 80%).
public struct StatsSettings: Sendable, Equatable {
    /// How often notify-statsd lists `status/` even without an inotify event.
    public var rescanInterval: Duration = .seconds(10)
    /// Most status files folded into one snapshot (bounds the work a crash repeats).
    public var filesPerSnapshot = 2000
    /// Queued jobs (incoming, active, deferred, hold) above which `check` is CRITICAL.
    public var alertQueueLength = 1000
    /// Success rate in percent below which `check` is CRITICAL.
    public var alertSuccessRate = 80
    /// Attempt error rate in percent above which `check` is CRITICAL.
    public var alertErrorRate = 20
    /// A queued job older than this makes `check` CRITICAL.
    public var alertOldestAge: Duration = .seconds(3600)

    public init() {}

    public init(reader: inout ConfigReader) throws(ConfigError) {
        rescanInterval = try reader.duration("stats_rescan_interval", default: rescanInterval)
        filesPerSnapshot = try reader.integer("stats_files_per_snapshot", default: filesPerSnapshot, range: 1...1_000_000)
        alertQueueLength = try reader.integer("alert_queue_length", default: alertQueueLength, range: 0...Int(Int32.max))
        alertSuccessRate = try reader.integer("alert_success_rate", default: alertSuccessRate, range: 0...100)
        alertErrorRate = try reader.integer("alert_error_rate", default: alertErrorRate, range: 0...100)
        alertOldestAge = try reader.duration("alert_oldest_age", default: alertOldestAge)
    }
}
