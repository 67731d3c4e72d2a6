import Foundation
import NotifyAgentKit
import NotifyCore
import NotifyProviders
import NotifySpool
import Testing

@Suite struct SpoolDeliveryTests {
    @Test func inboxDeliveryIsAMaildirFileInNew() async throws {
        let fixture = try ProviderFixture()
        let maildir = try fixture.provider("maildir", channel: .inbox)
        let job = fixture.job(.inbox, to: ["alice@example.com"], subject: "Willkommen", body: "Hello Alice", meta: ["event": "signup"])
        let answer = await maildir.deliver(job, attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        let messages = try fixture.spool.maildirNewMessages(user: "alice@example.com")
        let (name, bytes) = try #require(messages.first)
        #expect(name == answer.providerID)
        #expect(name.hasSuffix(".\(job.id.text)_1.notifyd"))
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.contains("Subject: Willkommen\r\n"))
        #expect(text.contains("X-Notifyd-Job: \(job.id.text)\r\n"))
        #expect(text.contains("X-Notifyd-Meta-event: signup\r\n"))
        for directory in ["tmp", "cur"] {
            let entries = try FileManager.default.contentsOfDirectory(atPath: "\(fixture.spool.root)/inbox/alice@example.com/\(directory)")
            #expect(entries.isEmpty, "\(directory)/ is empty")
        }
    }

    @Test func statusRecordsOfManyAttemptsShareOneFile() throws {
        let fixture = try ProviderFixture()
        let jobs = (0..<3).map { _ in fixture.job(.sms, to: ["+14155550123"]) }
        let records = jobs.enumerated().map { index, job in
            StatusRecord(id: job.id, attempt: 1, channel: .sms, provider: "twilio://+15551234567", result: "delivered",
                         reason: "HTTP 201", code: "201", providerID: "SM\(index)", started: 1_000_000, finished: 1_250_000)
        }
        try fixture.spool.writeStatusBatch(records)
        let files = try FileManager.default.contentsOfDirectory(atPath: fixture.spool.root + "/status")
        #expect(files == ["\(jobs[0].id.text).1"])
        let read = try fixture.spool.statusRecords()
        #expect(read == records)
        #expect(read.allSatisfy { $0.latencyMilliseconds == 250 })
    }
}
