import Foundation
import NotifySpool
import NotifyStats
import Testing

/// The views of a snapshot: the alert check, the seeds' /v1/stats shape, the exposition.
@Suite struct ViewTests {
    static let now = AggregationTests.now

    static func snapshot(delivered: Int, failed: Int, errors: Int = 0) -> StatsSnapshot {
        var aggregator = StatsAggregator()
        for n in 0..<delivered {
            aggregator.fold(StatsRecord(kind: .delivered, id: AggregationTests.id(createdAt: now - 2000, n), channel: "sms", provider: "p", at: now - 1000), now: now)
            aggregator.fold(StatsRecord(kind: .attempt, id: "x", channel: "sms", provider: "p", at: now - 1000, attempt: 1,
                                        result: n < errors ? "temporary" : "delivered", latencyMilliseconds: 4), now: now)
        }
        for n in 0..<failed {
            aggregator.fold(StatsRecord(kind: .failed, id: AggregationTests.id(createdAt: now - 2000, n), channel: "email", provider: "q", at: now - 1000), now: now)
        }
        return aggregator.snapshot(now: now, folded: [], breakers: [])
    }

    static func queue(jobs: Int, oldestAge: Int64 = 1000) -> QueueShape {
        var shape = QueueShape(read: now)
        for n in 0..<jobs { shape.add(state: .deferred, channel: "sms", created: now - (n == 0 ? oldestAge : 10)) }
        return shape
    }

    @Test func alertCheckStatuses() {
        let limits = AlertCheck.Thresholds()
        #expect(AlertCheck.evaluate(Self.snapshot(delivered: 10, failed: 0), queue: Self.queue(jobs: 3), thresholds: limits).status == .ok)
        #expect(AlertCheck.evaluate(Self.snapshot(delivered: 10, failed: 0), queue: Self.queue(jobs: 900), thresholds: limits).status == .warning)
        #expect(AlertCheck.evaluate(Self.snapshot(delivered: 10, failed: 0), queue: Self.queue(jobs: 1001), thresholds: limits).status == .critical)
        #expect(AlertCheck.evaluate(Self.snapshot(delivered: 7, failed: 3), queue: Self.queue(jobs: 0), thresholds: limits).status == .critical)
        #expect(AlertCheck.evaluate(Self.snapshot(delivered: 10, failed: 0, errors: 3), queue: Self.queue(jobs: 0), thresholds: limits).status == .critical)
        #expect(AlertCheck.evaluate(Self.snapshot(delivered: 1, failed: 0), queue: Self.queue(jobs: 1, oldestAge: 7_200_000), thresholds: limits).status == .critical)
        let missing = AlertCheck.evaluate(nil, queue: Self.queue(jobs: 0), thresholds: limits)
        #expect(missing.status == .warning && missing.summary.hasPrefix("NOTIFYD WARNING - no stats snapshot"))
        let critical = AlertCheck.evaluate(Self.snapshot(delivered: 7, failed: 3), queue: Self.queue(jobs: 0), thresholds: limits)
        #expect(critical.summary.hasPrefix("NOTIFYD CRITICAL - success rate 70.0% < 80.0%"), "\(critical.summary)")
        #expect(!critical.summary.contains("\n"))
    }

    @Test func seedsShape() throws {
        let body = SeedsStatsView.json(Self.snapshot(delivered: 95, failed: 2), queue: Self.queue(jobs: 3))
        let object = try JSONSerialization.jsonObject(with: Data(body)) as! [String: Any]
        #expect(object["success"] as? Bool == true)
        let data = object["data"] as! [String: Any]
        let stats = data["queue_stats"] as! [String: Any]
        #expect(stats["total_processed"] as? Int == 95 && stats["total_failed"] as? Int == 2)
        #expect(stats["sms_processed"] as? Int == 95 && stats["email_failed"] as? Int == 2)
        #expect(stats["success_rate"] as? String == "97.9%")
        #expect(data["status"] as? String == "active" && data["timestamp"] as? Double == Double(Self.now) / 1000)
        #expect((data["queue"] as! [String: Any])["depth"] as? Int == 3)
    }

    @Test func statusPageIsSelfContained() {
        let html = StatusPage.html
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
        #expect(!html.contains("<script src") && !html.contains("stylesheet"))
        #expect(html.contains("fetch(\"v1/stats\""))
    }
}
