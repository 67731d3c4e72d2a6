import NotifySpool
import Prometheus

/// `/metrics`: the Prometheus text format (version 0.0.4). Counters and gauges go through
/// swift-prometheus's `PrometheusCollectorRegistry`; the delivery latency histogram is
/// written here, because its buckets come ready-made from the snapshot's HdrHistogram and
/// swift-prometheus's histograms can only record one observation at a time.
public enum PrometheusExposition {
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    public static func text(_ snapshot: StatsSnapshot?, queue: QueueShape, qmgr: QueueManagerState?) -> String {
        let registry = PrometheusCollectorRegistry()
        let outcomes: [(String, KeyPath<StatsCounters, Int64>)] = [
            ("delivered", \.delivered), ("failed", \.failed), ("expired", \.expired), ("suppressed", \.suppressed), ("cancelled", \.cancelled),
        ]
        for pair in snapshot?.state.pairs ?? [] {
            for (outcome, path) in outcomes {
                registry.makeCounter(
                    name: "notifyd_deliveries_total",
                    labels: [("channel", pair.channel), ("provider", pair.provider), ("outcome", outcome)],
                    help: "Jobs that reached a final state, by channel, provider and outcome."
                ).increment(by: pair.counters[keyPath: path])
            }
            let labels = [("channel", pair.channel), ("provider", pair.provider)]
            registry.makeCounter(name: "notifyd_delivery_attempts_total", labels: labels, help: "Delivery attempts made by the agents.")
                .increment(by: pair.counters.attempts)
            registry.makeCounter(name: "notifyd_delivery_attempt_errors_total", labels: labels, help: "Attempts that did not deliver (temporary, permanent, down).")
                .increment(by: pair.counters.attemptErrors)
            registry.makeCounter(name: "notifyd_jobs_queued_total", labels: labels, help: "Jobs notifyd took into its queue.")
                .increment(by: pair.counters.queued)
            registry.makeCounter(name: "notifyd_retries_total", labels: labels, help: "Attempts that were followed by a retry.")
                .increment(by: pair.counters.retried)
        }
        for state in QueueShape.states {
            for channel in channelNames(snapshot, queue) {
                registry.makeGauge(name: "notifyd_queue_depth", labels: [("state", state.rawValue), ("channel", channel)],
                                   help: "Jobs queued, by state and channel.")
                    .set(Double(queue.depth(state, channel)))
            }
        }
        registry.makeGauge(name: "notifyd_dead_letters", help: "Jobs in dead/.").set(Double(queue.dead))
        registry.makeGauge(name: "notifyd_oldest_job_age_seconds", help: "Age of the oldest queued job (0 when none).")
            .set(Double(queue.oldestAge ?? 0) / 1000)
        for breaker in qmgr?.breakers ?? snapshot?.breakers ?? [] {
            registry.makeGauge(name: "notifyd_breaker_open", labels: [("provider", breaker.provider)],
                               help: "1 while the provider's circuit breaker is open or half-open.")
                .set(breaker.state == "closed" ? 0.0 : 1.0)
        }
        if let snapshot {
            registry.makeGauge(name: "notifyd_stats_snapshot_timestamp_seconds", help: "When notify-statsd last wrote its snapshot.")
                .set(Double(snapshot.written) / 1000)
            registry.makeCounter(name: "notifyd_stats_records_total", help: "Status and job event records notify-statsd has folded.")
                .increment(by: snapshot.records)
        }
        var text = registry.emitToString()
        if let snapshot { text += latencyHistogram(snapshot) }
        return text
    }

    private static func channelNames(_ snapshot: StatsSnapshot?, _ queue: QueueShape) -> [String] {
        var names = Set(queue.depth.values.flatMap(\.keys))
        names.formUnion(snapshot?.channels.keys.map { $0 } ?? [])
        return names.sorted()
    }

    /// `notifyd_delivery_latency_seconds` per channel: enqueue to delivered.
    static func latencyHistogram(_ snapshot: StatsSnapshot) -> String {
        var text = "# HELP notifyd_delivery_latency_seconds Time from enqueue to delivery.\n"
        text += "# TYPE notifyd_delivery_latency_seconds histogram\n"
        for channel in snapshot.channels.keys.sorted() {
            let group = snapshot.channels[channel]!
            let label = "channel=\"\(escape(channel))\""
            for (bound, count) in zip(StatsSnapshot.latencyBounds, group.deliveryLatencyBuckets) {
                text += "notifyd_delivery_latency_seconds_bucket{\(label),le=\"\(seconds(bound))\"} \(count)\n"
            }
            text += "notifyd_delivery_latency_seconds_bucket{\(label),le=\"+Inf\"} \(group.deliveryLatency.count)\n"
            text += "notifyd_delivery_latency_seconds_sum{\(label)} \(group.deliveryLatencySum / 1000)\n"
            text += "notifyd_delivery_latency_seconds_count{\(label)} \(group.deliveryLatency.count)\n"
        }
        return text
    }

    static func seconds(_ milliseconds: Int64) -> String {
        let whole = milliseconds / 1000, fraction = milliseconds % 1000
        if fraction == 0 { return "\(whole).0" }
        var digits = String(fraction + 1000).dropFirst()
        while digits.hasSuffix("0") { digits = digits.dropLast() }
        return "\(whole).\(digits)"
    }

    static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
