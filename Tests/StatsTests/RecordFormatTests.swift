import Foundation
import NotifyCore
import NotifySpool
import NotifyStats
import Testing

/// The lines notify-statsd reads, as the writers write them, and the lines it sends.
@Suite struct RecordFormatTests {
    @Test func readsAnAgentsStatusRecord() throws {
        let id = try JobID(validating: "01M7ZEC7A41ZWQR9G8AG2P1694")
        let record = StatusRecord(id: id, attempt: 2, channel: .sms, provider: "twilio://+15551234567", result: "temporary",
                                  reason: "HTTP 429: \"slow down\"\n\u{1}é", code: "429", providerID: nil,
                                  started: 1_795_278_768_301_000, finished: 1_795_278_768_313_500)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let line = Array(try encoder.encode(record)) + [0x0A]
        var records: [StatsRecord] = []
        #expect(StatsRecord.parseFile(line + line, into: &records) == 0)
        #expect(records.count == 2)
        let parsed = records[0]
        #expect(parsed.kind == .attempt && parsed.id == id.text && parsed.channel == "sms" && parsed.attempt == 2)
        #expect(parsed.provider == "twilio://+15551234567" && parsed.result == "temporary" && parsed.code == "429")
        #expect(parsed.reason == "HTTP 429: \"slow down\"\n\u{1}é")
        #expect(parsed.at == 1_795_278_768_313 && parsed.latencyMilliseconds == 12)
        #expect(parsed.createdMilliseconds == id.milliseconds)
    }

    @Test func readsJobEventRecordsAndSkipsTornLines() throws {
        let id = try JobID(validating: "01M7ZEC7A41ZWQR9G8AG2P1694")
        var writer = JSONWriter()
        JobEventRecord(.delivered, id: id, channel: .email, at: 1_795_278_768_400, provider: "smtp://mail", attempts: 3).appendLine(to: &writer)
        JobEventRecord(.cancelled, id: id, channel: .push, at: 5, reason: "by \"op\"").appendLine(to: &writer)
        var bytes = writer.bytes
        bytes += Array("{\"format\":\"notifyd-event\",\"version\":\"1.0\",\"ev".utf8)  // torn last line
        bytes += Array("\n{\"format\":\"notifyd-event\",\"version\":\"2.0\",\"event\":\"queued\",\"id\":\"x\",\"channel\":\"sms\",\"at\":1}\n".utf8)
        var records: [StatsRecord] = []
        #expect(StatsRecord.parseFile(bytes, into: &records) == 2)
        #expect(records.count == 2)
        #expect(records[0] == StatsRecord(kind: .delivered, id: id.text, channel: "email", provider: "smtp://mail", at: 1_795_278_768_400, attempt: 3))
        #expect(records[1].kind == .cancelled && records[1].reason == "by \"op\"" && records[1].provider == "")
    }

    @Test func liveEventLinesFollowTheContract() throws {
        let record = StatsRecord(kind: .attempt, id: "01M7ZEC7A41ZWQR9G8AG2P1694", channel: "sms", provider: "twilio", at: 42,
                                 attempt: 1, result: "delivered", code: "201", reason: "ok", latencyMilliseconds: 3)
        let line = LiveEvent.line(record)
        #expect(line.last == 0x0A)
        let object = try JSONSerialization.jsonObject(with: Data(line)) as! [String: Any]
        #expect(object["v"] as? Int == 1 && object["event"] as? String == "attempt" && object["attempt"] as? Int == 1)
        #expect(object["result"] as? String == "delivered" && object["at"] as? Int == 42 && object["batch"] == nil)
        let queued = try JSONSerialization.jsonObject(with: Data(LiveEvent.line(StatsRecord(kind: .queued, id: "A", channel: "sms", at: 1, batch: "b1")))) as! [String: Any]
        #expect(queued["attempt"] == nil && queued["result"] == nil && queued["provider"] == nil && queued["batch"] as? String == "b1")
    }
}
