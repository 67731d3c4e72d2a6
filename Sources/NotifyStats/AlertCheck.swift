/// `notifyctl check`: the queue and the stats against the `alert_*` thresholds, in the
/// Nagios plugin convention (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN). Pure: the caller
/// reads the spool.
public struct AlertCheck: Sendable {
    public enum Status: Int32, Sendable, Comparable {
        case ok = 0, warning = 1, critical = 2, unknown = 3
        public var word: String { ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(rawValue)] }
        public static func < (a: Status, b: Status) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Thresholds: Sendable, Equatable {
        public var queueLength: Int
        /// Percent: below this success rate is critical.
        public var successRate: Double
        /// Percent: above this attempt error rate is critical.
        public var errorRate: Double
        /// Milliseconds: an older queued job is critical.
        public var oldestAge: Int64

        public init(queueLength: Int = 1000, successRate: Double = 80, errorRate: Double = 20, oldestAge: Int64 = 3_600_000) {
            self.queueLength = queueLength
            self.successRate = successRate
            self.errorRate = errorRate
            self.oldestAge = oldestAge
        }
    }

    public var status: Status
    public var summary: String

    /// Rates are judged over the last hour when it has traffic, else over all time. A
    /// metric past its threshold is CRITICAL; one past 80% of the way (queue length and
    /// oldest age) is WARNING. A missing or stale snapshot is WARNING (notify-statsd down).
    public static func evaluate(_ snapshot: StatsSnapshot?, queue: QueueShape, thresholds: Thresholds) -> AlertCheck {
        var problems: [(Status, String)] = []
        func judge(_ value: Double, limit: Double, above: Bool, _ name: String, _ shown: String, warnAt fraction: Double? = nil) {
            let over = above ? value > limit : value < limit
            if over { problems.append((.critical, "\(name) \(shown)")) }
            else if let fraction, above, value > limit * fraction { problems.append((.warning, "\(name) \(shown)")) }
        }
        judge(Double(queue.total), limit: Double(thresholds.queueLength), above: true, "queue",
              "\(queue.total) jobs (limit \(thresholds.queueLength))", warnAt: 0.8)
        let oldest = queue.oldestAge ?? 0
        judge(Double(oldest), limit: Double(thresholds.oldestAge), above: true, "oldest job", "\(oldest / 1000)s (limit \(thresholds.oldestAge / 1000)s)", warnAt: 0.8)
        var counters = snapshot?.totals.windows["1h"] ?? StatsCounters()
        if counters.attempts == 0 && counters.delivered + counters.failed + counters.expired == 0 { counters = snapshot?.totals.counters ?? StatsCounters() }
        if let rate = counters.successRate {
            judge(rate, limit: thresholds.successRate, above: false, "success rate", percent(rate) + " < " + percent(thresholds.successRate))
        }
        if let rate = counters.errorRate {
            judge(rate, limit: thresholds.errorRate, above: true, "error rate", percent(rate) + " > " + percent(thresholds.errorRate))
        }
        if snapshot == nil {
            problems.append((.warning, "no stats snapshot (is notify-statsd running?)"))
        } else if let snapshot, queue.read - snapshot.written > SeedsStatsView.staleAfter {
            problems.append((.warning, "stats snapshot \((queue.read - snapshot.written) / 1000)s old"))
        }
        let status = problems.map(\.0).max() ?? .ok
        let metrics = "queue=\(queue.total) oldest=\(oldest / 1000)s success=\(counters.successRate.map(percent) ?? "n/a") errors=\(counters.errorRate.map(percent) ?? "n/a")"
        let summary = problems.isEmpty ? metrics : problems.map(\.1).joined(separator: ", ") + "; " + metrics
        return AlertCheck(status: status, summary: "NOTIFYD \(status.word) - \(summary)")
    }

    static func percent(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))%"
    }
}
