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
                    descriptor: metric("deliveries_total", "Jobs that reached a final state, by channel, provider and outcome."),
                    labels: [("channel", pair.channel), ("provider", pair.provider), ("outcome", outcome)]
                ).increment(by: pair.counters[keyPath: path])
            }
            let labels = [("channel", pair.channel), ("provider", pair.provider)]
            registry.makeCounter(descriptor: metric("delivery_attempts_total", "Delivery attempts made by the agents."), labels: labels)
                .increment(by: pair.counters.attempts)
            registry.makeCounter(descriptor: metric("delivery_attempt_errors_total", "Attempts that did not deliver (temporary, permanent, down)."), labels: labels)
                .increment(by: pair.counters.attemptErrors)
            registry.makeCounter(descriptor: metric("jobs_queued_total", "Jobs notifyd took into its queue."), labels: labels)
                .increment(by: pair.counters.queued)
            registry.makeCounter(descriptor: metric("retries_total", "Attempts that were followed by a retry."), labels: labels)
                .increment(by: pair.counters.retried)
        }
        for state in QueueShape.states {
            for channel in channelNames(snapshot, queue) {
                registry.makeGauge(descriptor: metric("queue_depth", "Jobs queued, by state and channel."), labels: [("state", state.rawValue), ("channel", channel)])
                    .set(Double(queue.depth(state, channel)))
            }
        }
        registry.makeGauge(descriptor: metric("dead_letters", "Jobs in dead/.")).set(Double(queue.dead))
        registry.makeGauge(descriptor: metric("oldest_job_age_seconds", "Age of the oldest queued job (0 when none)."))
            .set(Double(queue.oldestAge ?? 0) / 1000)
        for breaker in qmgr?.breakers ?? snapshot?.breakers ?? [] {
            registry.makeGauge(descriptor: metric("breaker_open", "1 while the provider's circuit breaker is open or half-open."), labels: [("provider", breaker.provider)])
                .set(breaker.state == "closed" ? 0.0 : 1.0)
        }
        for (channel, jobs) in (qmgr?.rateLimited ?? snapshot?.rateLimited ?? [:]).sorted(by: { $0.key < $1.key }) {
            registry.makeGauge(descriptor: metric("rate_limited_jobs", "Ready jobs the channel's rate limiter is holding back."), labels: [("channel", channel)])
                .set(Double(jobs))
        }
        if let snapshot {
            registry.makeGauge(descriptor: metric("stats_snapshot_timestamp_seconds", "When notify-statsd last wrote its snapshot."))
                .set(Double(snapshot.written) / 1000)
            registry.makeCounter(descriptor: metric("stats_records_total", "Status and job event records notify-statsd has folded."))
                .increment(by: snapshot.records)
        }
        var text = registry.emitToString()
        if let snapshot { text += latencyHistogram(snapshot) }
        return text
    }

    /// `notifyd_<name>`; the unit is part of the name (`…_total`, `…_seconds`).
    private static func metric(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "notifyd", metricName: name, unitName: "", helpText: help)
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
