import NotifySpool

/// The aggregation of status and job event records: a pure state machine (no I/O, no
/// clock of its own: every call is given `now`). notify-statsd folds records into it and
/// writes `snapshot(…)`; a restart continues from `init(restoring:)` exactly.
public struct StatsAggregator: Sendable {
    struct PairKey: Hashable, Sendable {
        var channel: String
        var provider: String
    }

    struct PairState: Sendable {
        var counters = StatsCounters()
        var deliveryLatency = LatencyHistogram()
        var providerLatency = LatencyHistogram()
    }

    struct Minute: Sendable {
        var delivered: Int64 = 0
        var failed: Int64 = 0
        var attempts: Int64 = 0
        var latency = LatencyHistogram()
    }

    static let slotMilliseconds: Int64 = 10_000
    static let horizon: Int64 = 3_600_000

    private var pairs: [PairKey: PairState] = [:]
    /// Ten-second slots of the last hour, by start: per channel counts.
    private var slots: [Int64: [String: StatsCounters]] = [:]
    /// Minutes of the last hour, by start: the chart's points.
    private var minutes: [Int64: Minute] = [:]
    public private(set) var since: Int64?
    public private(set) var records: Int64 = 0
    public private(set) var skipped: Int64 = 0

    public init() {}

    public init(restoring snapshot: StatsSnapshot) {
        since = snapshot.since
        records = snapshot.records
        skipped = snapshot.skipped
        for saved in snapshot.state.pairs {
            pairs[PairKey(channel: saved.channel, provider: saved.provider)] = PairState(
                counters: saved.counters, deliveryLatency: LatencyHistogram(pairs: saved.deliveryLatency),
                providerLatency: LatencyHistogram(pairs: saved.providerLatency))
        }
        for slot in snapshot.state.slots { slots[slot.start] = slot.channels }
        for point in snapshot.minutes {
            minutes[point.start] = Minute(delivered: point.delivered, failed: point.failed, attempts: point.attempts,
                                          latency: LatencyHistogram(pairs: point.latency))
        }
    }

    /// Lines of status files that were not records (counted, not folded).
    public mutating func noteSkipped(_ count: Int) { skipped += Int64(count) }

    public mutating func fold(_ record: StatsRecord, now: Int64) {
        records += 1
        if since == nil { since = now }
        let key = PairKey(channel: record.channel, provider: record.provider.isEmpty ? "none" : record.provider)
        var pair = pairs[key] ?? PairState()
        pair.counters.count(record)
        var deliveryLatency: Int64?
        switch record.kind {
        case .attempt:
            if let latency = record.latencyMilliseconds { pair.providerLatency.record(latency) }
        case .delivered:
            if let created = record.createdMilliseconds {
                deliveryLatency = max(0, record.at - created)
                pair.deliveryLatency.record(deliveryLatency!)
            }
        default: break
        }
        pairs[key] = pair

        // Windows go by the record's own time; one from the future counts as now.
        let at = min(record.at, now)
        guard at > now - Self.horizon else { return }
        let slot = at - at % Self.slotMilliseconds
        slots[slot, default: [:]][record.channel, default: StatsCounters()].count(record)
        let minuteStart = at - at % 60_000
        var minute = minutes[minuteStart] ?? Minute()
        switch record.kind {
        case .attempt: minute.attempts += 1
        case .delivered:
            minute.delivered += 1
            if let deliveryLatency { minute.latency.record(deliveryLatency) }
        case .failed, .expired: minute.failed += 1
        default: break
        }
        minutes[minuteStart] = minute
    }

    /// Forgets slots and minutes older than the last hour.
    public mutating func prune(now: Int64) {
        let cutoff = now - Self.horizon
        slots = slots.filter { $0.key + Self.slotMilliseconds > cutoff }
        minutes = minutes.filter { $0.key + 60_000 > cutoff }
    }

    /// Totals per channel and provider pair (for tests and the exposition).
    public func counters(channel: String? = nil, provider: String? = nil) -> StatsCounters {
        pairs.filter { (channel == nil || $0.key.channel == channel) && (provider == nil || $0.key.provider == provider) }
            .values.reduce(StatsCounters()) { $0 + $1.counters }
    }

    public func deliveryLatency(channel: String? = nil) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for (key, pair) in pairs where channel == nil || key.channel == channel { histogram.add(pair.deliveryLatency) }
        return histogram
    }

    public func providerLatency(channel: String? = nil) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for (key, pair) in pairs where channel == nil || key.channel == channel { histogram.add(pair.providerLatency) }
        return histogram
    }

    /// Counts of one channel (or all) over the last `milliseconds`, by ten-second slots.
    public func window(_ milliseconds: Int64, channel: String? = nil, now: Int64) -> StatsCounters {
        let cutoff = now - milliseconds
        var sum = StatsCounters()
        for (start, channels) in slots where start + Self.slotMilliseconds > cutoff && start <= now {
            for (name, counters) in channels where channel == nil || name == channel { sum = sum + counters }
        }
        return sum
    }

    public func snapshot(now: Int64, folded: [FoldedFile], breakers: [QueueManagerState.Breaker],
                         rateLimited: [String: Int]? = nil) -> StatsSnapshot {
        let channelNames = Set(pairs.keys.map(\.channel)).union(slots.values.flatMap(\.keys))
        let providerNames = Set(pairs.keys.map(\.provider))
        var channels: [String: StatsSnapshot.GroupStats] = [:]
        for name in channelNames { channels[name] = group({ $0.channel == name }, windowChannel: name, now: now) }
        var providers: [String: StatsSnapshot.GroupStats] = [:]
        for name in providerNames { providers[name] = group({ $0.provider == name }, windowChannel: nil, now: now, windows: false) }
        let points = minutes.keys.sorted().filter { $0 + 60_000 > now - Self.horizon }.map { start in
            let minute = minutes[start]!
            return StatsSnapshot.MinutePoint(start: start, delivered: minute.delivered, failed: minute.failed, attempts: minute.attempts,
                                             p50: minute.latency.percentile(50), p99: minute.latency.percentile(99), latency: minute.latency.pairs)
        }
        let saved = StatsSnapshot.SavedState(
            pairs: pairs.keys.sorted { ($0.channel, $0.provider) < ($1.channel, $1.provider) }.map { key in
                let pair = pairs[key]!
                return StatsSnapshot.SavedPair(channel: key.channel, provider: key.provider, counters: pair.counters,
                                               deliveryLatency: pair.deliveryLatency.pairs, providerLatency: pair.providerLatency.pairs)
            },
            slots: slots.keys.sorted().filter { $0 + Self.slotMilliseconds > now - Self.horizon }.map {
                StatsSnapshot.SavedSlot(start: $0, channels: slots[$0]!)
            })
        return StatsSnapshot(
            written: now, since: since ?? now, records: records, skipped: skipped, folded: folded,
            totals: group({ _ in true }, windowChannel: nil, now: now), channels: channels, providers: providers,
            minutes: points, breakers: breakers, rateLimited: rateLimited, state: saved)
    }

    private func group(_ include: (PairKey) -> Bool, windowChannel: String?, now: Int64, windows: Bool = true) -> StatsSnapshot.GroupStats {
        var counters = StatsCounters()
        var delivery = LatencyHistogram(), provider = LatencyHistogram()
        for (key, pair) in pairs where include(key) {
            counters = counters + pair.counters
            delivery.add(pair.deliveryLatency)
            provider.add(pair.providerLatency)
        }
        var windowCounts: [String: StatsCounters] = [:]
        if windows {
            for (name, length) in StatsSnapshot.windows { windowCounts[name] = window(length, channel: windowChannel, now: now) }
        }
        return StatsSnapshot.GroupStats(
            counters: counters, successRate: counters.successRate, errorRate: counters.errorRate,
            attemptsPerDelivered: counters.attemptsPerDelivered, deliveryLatency: delivery.summary,
            providerLatency: provider.summary, deliveryLatencyBuckets: delivery.cumulativeCounts(bounds: StatsSnapshot.latencyBounds),
            deliveryLatencySum: delivery.sum, windows: windowCounts)
    }
}
