#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `/v1/stats` body: the seeds' `notification-stats` shape (`success`, `data.queue_stats`
/// with `total_queued`, `total_processed`, `total_failed`, `<channel>_queued`…, the success
/// rate as text, `timestamp` in seconds, `status`), plus what the seeds do not have:
/// the live queue, latency percentiles, windows, breakers and the last hour per minute
/// (the status page draws its charts from `series`).
public enum SeedsStatsView {
    /// A snapshot older than this means notify-statsd is not keeping up (or not running).
    public static let staleAfter: Int64 = 60_000

    public static func json(_ snapshot: StatsSnapshot?, queue: QueueShape) -> [UInt8] {
        StatsJSON.encode(body(snapshot, queue: queue))
    }

    public static func body(_ snapshot: StatsSnapshot?, queue: QueueShape) -> Body {
        var stats: [String: QueueStatValue] = [:]
        let totals = snapshot?.totals.counters ?? StatsCounters()
        stats["total_queued"] = .int(totals.queued)
        stats["total_processed"] = .int(totals.delivered)
        stats["total_failed"] = .int(totals.failed + totals.expired)
        stats["success_rate"] = .text(rateText(totals.successRate))
        var channels: [String: ChannelView] = [:]
        for (name, group) in snapshot?.channels ?? [:] {
            let counters = group.counters
            stats["\(name)_queued"] = .int(counters.queued)
            stats["\(name)_processed"] = .int(counters.delivered)
            stats["\(name)_failed"] = .int(counters.failed + counters.expired)
            let minute = group.windows["1m"] ?? StatsCounters()
            channels[name] = ChannelView(
                queued: counters.queued, processed: counters.delivered, failed: counters.failed, expired: counters.expired,
                suppressed: counters.suppressed, cancelled: counters.cancelled, retried: counters.retried, attempts: counters.attempts,
                successRate: group.successRate, errorRate: group.errorRate, attemptsPerDelivered: group.attemptsPerDelivered,
                deliveriesPerSecond: Double(minute.delivered) / 60, latency: group.deliveryLatency, providerLatency: group.providerLatency,
                depth: queue.depth.values.reduce(0) { $0 + ($1[name] ?? 0) })
        }
        let written = snapshot?.written ?? 0
        let live = snapshot != nil && queue.read - written < staleAfter
        let data = DataView(
            queueStats: stats, timestamp: Double(queue.read) / 1000, status: live ? "active" : "inactive",
            statsWritten: snapshot.map { Double($0.written) / 1000 },
            queue: QueueView(depth: queue.total, dead: queue.dead, oldestAgeSeconds: queue.oldestAge.map { Double($0) / 1000 },
                             byState: queue.depth, ageHistogram: queue.ages, ageBucketMinutes: QueueShape.bucketMinutes),
            latency: snapshot?.totals.deliveryLatency, providerLatency: snapshot?.totals.providerLatency,
            windows: snapshot?.totals.windows ?? [:], channels: channels,
            breakers: (snapshot?.breakers ?? []).map { BreakerView(channel: $0.channel, provider: $0.provider, state: $0.state) },
            series: (snapshot?.minutes ?? []).map { SeriesPoint(t: Double($0.start) / 1000, delivered: $0.delivered, failed: $0.failed, p50Ms: $0.p50, p99Ms: $0.p99) })
        return Body(success: true, data: data)
    }

    static func rateText(_ rate: Double?) -> String {
        guard let rate else { return "n/a" }
        let tenths = Int((rate * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)%"
    }

    public struct Body: Codable, Sendable {
        public var success: Bool
        public var data: DataView
    }

    public enum QueueStatValue: Codable, Sendable, Equatable {
        case int(Int64)
        case text(String)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .int(let value): try container.encode(value)
            case .text(let value): try container.encode(value)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let value = try? container.decode(Int64.self) { self = .int(value) } else { self = .text(try container.decode(String.self)) }
        }
    }

    public struct DataView: Codable, Sendable {
        public var queueStats: [String: QueueStatValue]
        public var timestamp: Double
        public var status: String
        public var statsWritten: Double?
        public var queue: QueueView
        public var latency: LatencySummary?
        public var providerLatency: LatencySummary?
        public var windows: [String: StatsCounters]
        public var channels: [String: ChannelView]
        public var breakers: [BreakerView]
        public var series: [SeriesPoint]

        enum CodingKeys: String, CodingKey {
            case queueStats = "queue_stats", timestamp, status, statsWritten = "stats_written", queue
            case latency = "delivery_latency_ms", providerLatency = "provider_latency_ms", windows, channels, breakers, series
        }
    }

    public struct QueueView: Codable, Sendable {
        public var depth: Int
        public var dead: Int
        public var oldestAgeSeconds: Double?
        public var byState: [String: [String: Int]]
        public var ageHistogram: [String: [Int]]
        public var ageBucketMinutes: [Int]

        enum CodingKeys: String, CodingKey {
            case depth, dead, oldestAgeSeconds = "oldest_age_seconds", byState = "by_state", ageHistogram = "age_histogram"
            case ageBucketMinutes = "age_bucket_minutes"
        }
    }

    public struct ChannelView: Codable, Sendable {
        public var queued, processed, failed, expired, suppressed, cancelled, retried, attempts: Int64
        public var successRate: Double?
        public var errorRate: Double?
        public var attemptsPerDelivered: Double?
        public var deliveriesPerSecond: Double
        public var latency: LatencySummary
        public var providerLatency: LatencySummary
        public var depth: Int

        enum CodingKeys: String, CodingKey {
            case queued, processed, failed, expired, suppressed, cancelled, retried, attempts
            case successRate = "success_rate", errorRate = "error_rate", attemptsPerDelivered = "attempts_per_delivered"
            case deliveriesPerSecond = "deliveries_per_second", latency = "delivery_latency_ms"
            case providerLatency = "provider_latency_ms", depth
        }
    }

    public struct BreakerView: Codable, Sendable {
        public var channel, provider, state: String
    }

    public struct SeriesPoint: Codable, Sendable {
        public var t: Double
        public var delivered: Int64
        public var failed: Int64
        public var p50Ms: Int64
        public var p99Ms: Int64

        enum CodingKeys: String, CodingKey { case t, delivered, failed, p50Ms = "p50_ms", p99Ms = "p99_ms" }
    }
}
