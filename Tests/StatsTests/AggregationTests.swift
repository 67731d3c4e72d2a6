import NotifyCore
import NotifySpool
import NotifyStats
import Testing

/// The aggregation state machine on generated records whose totals and percentiles are
/// known in advance, with an injected clock.
@Suite struct AggregationTests {
    static let now: Int64 = 1_795_000_000_000

    /// A job ID created at `ms` (ULID: its first ten characters are the time).
    static func id(createdAt ms: Int64, _ n: Int) -> String {
        var generator = JobIDGenerator()
        let text = generator.next(milliseconds: ms).text
        return String(text.prefix(20)) + String(String(n, radix: 10).padding(6))
    }

    /// 1,000 sms jobs delivered with delivery latencies 1…1000 ms and provider latencies
    /// 1…100 ms; every fifth needed a second attempt. 200 email jobs: 100 failed, 50
    /// expired, 50 suppressed. 10 push jobs cancelled.
    static func generated() -> [StatsRecord] {
        var records: [StatsRecord] = []
        for n in 1...1000 {
            let created = now - 100_000 + Int64(n)
            let id = id(createdAt: created, n)
            records.append(StatsRecord(kind: .queued, id: id, channel: "sms", provider: "twilio", at: created))
            let attempts = n % 5 == 0 ? 2 : 1
            for attempt in 1...attempts {
                let last = attempt == attempts
                records.append(StatsRecord(kind: .attempt, id: id, channel: "sms", provider: "twilio", at: created + Int64(n) - 1,
                                           attempt: attempt, result: last ? "delivered" : "temporary", latencyMilliseconds: Int64((n - 1) % 100 + 1)))
                if !last { records.append(StatsRecord(kind: .retried, id: id, channel: "sms", provider: "twilio", at: created + 1, attempt: attempt)) }
            }
            records.append(StatsRecord(kind: .delivered, id: id, channel: "sms", provider: "twilio", at: created + Int64(n), attempt: attempts))
        }
        for n in 1...200 {
            let created = now - 50_000
            let id = id(createdAt: created, n)
            records.append(StatsRecord(kind: .queued, id: id, channel: "email", provider: "smtp", at: created))
            let kind: StatsRecord.Kind = n <= 100 ? .failed : n <= 150 ? .expired : .suppressed
            if kind == .failed {
                records.append(StatsRecord(kind: .attempt, id: id, channel: "email", provider: "smtp", at: created + 5, attempt: 1,
                                           result: "permanent", latencyMilliseconds: 5))
            }
            records.append(StatsRecord(kind: kind, id: id, channel: "email", provider: "smtp", at: created + 10, attempt: 1))
        }
        for n in 1...10 {
            records.append(StatsRecord(kind: .cancelled, id: id(createdAt: now - 1000, n), channel: "push", at: now - 500))
        }
        return records
    }

    static func folded(_ records: [StatsRecord]) -> StatsAggregator {
        var aggregator = StatsAggregator()
        for record in records { aggregator.fold(record, now: now) }
        return aggregator
    }

    @Test func totalsAreExact() {
        let aggregator = Self.folded(Self.generated())
        let sms = aggregator.counters(channel: "sms")
        #expect(sms.queued == 1000 && sms.delivered == 1000 && sms.attempts == 1200 && sms.retried == 200)
        #expect(sms.attemptErrors == 200 && sms.failed == 0)
        #expect(sms.attemptsPerDelivered == 1.2)
        #expect(sms.successRate == 100)
        let email = aggregator.counters(channel: "email")
        #expect(email.queued == 200 && email.failed == 100 && email.expired == 50 && email.suppressed == 50 && email.attempts == 100)
        #expect(email.successRate == 0 && email.errorRate == 100)
        #expect(aggregator.counters(channel: "push").cancelled == 10)
        #expect(aggregator.counters(provider: "twilio") == sms)
        #expect(aggregator.counters(provider: "none").cancelled == 10)
        #expect(aggregator.records == Int64(Self.generated().count))
    }

    @Test func percentilesMatchTheKnownDistribution() {
        let aggregator = Self.folded(Self.generated())
        // Delivery latencies are exactly 1…1000 ms; two significant digits: within 1%.
        let delivery = aggregator.deliveryLatency(channel: "sms").summary
        #expect(delivery.count == 1000)
        #expect(abs(delivery.p50 - 500) <= 5, "p50 \(delivery.p50)")
        #expect(abs(delivery.p90 - 900) <= 9, "p90 \(delivery.p90)")
        #expect(abs(delivery.p99 - 990) <= 10, "p99 \(delivery.p99)")
        #expect(abs(delivery.max - 1000) <= 10, "max \(delivery.max)")
        // Provider latencies: compare with the exact percentiles of the generated values.
        let values = Self.generated().filter { $0.kind == .attempt && $0.channel == "sms" }.compactMap(\.latencyMilliseconds).sorted()
        func exact(_ p: Double) -> Int64 { values[Int((p / 100 * Double(values.count)).rounded(.up)) - 1] }
        let provider = aggregator.providerLatency(channel: "sms").summary
        #expect(provider.count == 1200)
        #expect(provider.p50 == exact(50) && provider.p90 == exact(90) && provider.p99 == exact(99) && provider.max == 100,
                "\(provider) vs \(exact(50)) \(exact(90)) \(exact(99))")
    }

    @Test func windowsCountByTheRecordsOwnTime() {
        var aggregator = StatsAggregator()
        let now = Self.now
        for (age, count) in [(30_000, 1), (180_000, 2), (1_800_000, 4), (7_200_000, 8)] as [(Int64, Int)] {
            for n in 0..<count {
                aggregator.fold(StatsRecord(kind: .delivered, id: Self.id(createdAt: now - age - 10, n), channel: "sms", at: now - age), now: now)
            }
        }
        #expect(aggregator.window(60_000, now: now).delivered == 1)
        #expect(aggregator.window(300_000, now: now).delivered == 3)
        #expect(aggregator.window(3_600_000, now: now).delivered == 7)
        #expect(aggregator.counters().delivered == 15)
        // An hour later the slots have moved out of every window; the totals stay.
        aggregator.prune(now: now + 3_700_000)
        #expect(aggregator.window(3_600_000, now: now + 3_700_000).delivered == 0)
        #expect(aggregator.counters().delivered == 15)
    }

    @Test func aSnapshotRestoresTheAggregateExactly() throws {
        let records = Self.generated()
        let half = records.count / 2
        var first = Self.folded(Array(records[..<half]))
        let saved = first.snapshot(now: Self.now, folded: [FoldedFile(name: "x.1", inode: 7)], breakers: [])
        let decoded = try #require(StatsSnapshot.decode(saved.encoded()))
        #expect(decoded.folded == [FoldedFile(name: "x.1", inode: 7)])
        var restored = StatsAggregator(restoring: decoded)
        for record in records[half...] {
            restored.fold(record, now: Self.now)
            first.fold(record, now: Self.now)
        }
        let all = Self.folded(records)
        #expect(restored.counters() == all.counters())
        #expect(restored.deliveryLatency().summary == all.deliveryLatency().summary)
        #expect(restored.providerLatency().summary == all.providerLatency().summary)
        #expect(restored.window(3_600_000, now: Self.now) == all.window(3_600_000, now: Self.now))
        #expect(restored.records == all.records)
    }

    @Test func snapshotGroupsAndSeries() {
        let snapshot = Self.folded(Self.generated()).snapshot(now: Self.now, folded: [], breakers: [])
        #expect(snapshot.totals.counters.delivered == 1000)
        #expect(snapshot.channels["sms"]?.windows["5m"]?.delivered == 1000)
        #expect(snapshot.channels["email"]?.windows["1m"]?.failed == 100)
        #expect(snapshot.providers["smtp"]?.counters.expired == 50)
        #expect(snapshot.minutes.reduce(0) { $0 + $1.delivered } == 1000)
        let buckets = snapshot.channels["sms"]!.deliveryLatencyBuckets
        #expect(buckets == buckets.sorted() && buckets.last == 1000)
        #expect(buckets[StatsSnapshot.latencyBounds.firstIndex(of: 100)!] >= 99)
    }
}

extension String {
    /// Left-pads with "0" (ID alphabet) to `width`.
    func padding(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
