import NotifySpool

/// `state/stats.json`: what notify-statsd has folded, in the schema of spool-layout.md
/// ("Stats snapshot"). The views (`/v1/stats`, `/metrics`, the status page, notifyctl
/// stats, check and top) read it; notify-statsd restores its aggregate from it at start.
public struct StatsSnapshot: Codable, Sendable {
    public var format = "notifyd-stats"
    public var version = "1.0"
    /// When written, ms since the epoch.
    public var written: Int64
    /// When the first record was folded (the spool's statistics began), ms.
    public var since: Int64
    /// Records folded in all, and lines skipped because they were not records.
    public var records: Int64
    public var skipped: Int64
    /// Files folded into this snapshot and maybe not yet removed from `status/`.
    public var folded: [FoldedFile]
    public var totals: GroupStats
    public var channels: [String: GroupStats]
    public var providers: [String: GroupStats]
    /// Per minute of the last hour, oldest first: the chart's data.
    public var minutes: [MinutePoint]
    /// Circuit breakers, copied from notifyd's `state/qmgr.json` when written.
    public var breakers: [QueueManagerState.Breaker]
    /// Ready jobs each channel's rate limiter held back, from `state/qmgr.json` when written.
    public var rateLimited: [String: Int]?
    /// The aggregate's own state, to restore it exactly (per channel and provider counts
    /// and histograms, ten-second slots of the last hour).
    public var state: SavedState

    public static let windows: [(name: String, milliseconds: Int64)] = [("1m", 60_000), ("5m", 300_000), ("1h", 3_600_000)]
    /// Upper bounds (ms) of the Prometheus delivery latency buckets.
    public static let latencyBounds: [Int64] = [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000]

    public struct GroupStats: Codable, Sendable, Equatable {
        public var counters: StatsCounters
        public var successRate: Double?
        public var errorRate: Double?
        public var attemptsPerDelivered: Double?
        public var deliveryLatency: LatencySummary
        public var providerLatency: LatencySummary
        /// Cumulative counts of delivery latencies at or below each of `latencyBounds`.
        public var deliveryLatencyBuckets: [Int64]
        public var deliveryLatencySum: Double
        /// Counts over the last 1 minute, 5 minutes and hour, by the records' own times.
        public var windows: [String: StatsCounters]

        enum CodingKeys: String, CodingKey {
            case counters, successRate = "success_rate", errorRate = "error_rate", attemptsPerDelivered = "attempts_per_delivered"
            case deliveryLatency = "delivery_latency_ms", providerLatency = "provider_latency_ms"
            case deliveryLatencyBuckets = "delivery_latency_buckets", deliveryLatencySum = "delivery_latency_sum_ms", windows
        }
    }

    public struct MinutePoint: Codable, Sendable, Equatable {
        /// The minute's start, ms.
        public var start: Int64
        public var delivered: Int64
        public var failed: Int64
        public var attempts: Int64
        public var p50: Int64
        public var p99: Int64
        /// The minute's delivery latency histogram, `[[ms, count], …]`.
        public var latency: [[Int64]]
    }

    public struct SavedPair: Codable, Sendable, Equatable {
        public var channel: String
        public var provider: String
        public var counters: StatsCounters
        public var deliveryLatency: [[Int64]]
        public var providerLatency: [[Int64]]

        enum CodingKeys: String, CodingKey {
            case channel, provider, counters, deliveryLatency = "delivery_latency", providerLatency = "provider_latency"
        }
    }

    public struct SavedSlot: Codable, Sendable, Equatable {
        public var start: Int64
        public var channels: [String: StatsCounters]
    }

    public struct SavedState: Codable, Sendable, Equatable {
        public var pairs: [SavedPair]
        public var slots: [SavedSlot]
    }

    enum CodingKeys: String, CodingKey {
        case format, version, written, since, records, skipped, folded, totals, channels, providers, minutes, breakers, state
        case rateLimited = "rate_limited"
    }

    /// Decodes a snapshot; nil for one of another format or major version.
    public static func decode(_ bytes: [UInt8]) -> StatsSnapshot? {
        guard let snapshot = try? StatsJSON.decoder().decode(StatsSnapshot.self, from: bytes),
              snapshot.format == "notifyd-stats", snapshot.version.hasPrefix("1.") else { return nil }
        return snapshot
    }

    public func encoded() -> [UInt8] { StatsJSON.encode(self) }
}

extension Spool {
    /// The last snapshot notify-statsd wrote, nil when there is none (or it is unreadable).
    public func statsSnapshot() -> StatsSnapshot? {
        statsSnapshotBytes().flatMap(StatsSnapshot.decode)
    }
}
