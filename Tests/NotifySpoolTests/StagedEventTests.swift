import Glibc
import NotifyCore
import Testing
@testable import NotifySpool

/// Row E1: a batch's job events staged in tmp/ and published into status/ after the
/// batch's history lines. A staged file left by a kill is found and read back whole.
@Suite struct StagedEventTests {
    @Test func stagedEventsAreFoundReadAndPublished() throws {
        let fixture = try SpoolFixture()
        let first = fixture.job(), second = fixture.job(channel: .email, to: "a@example.com")
        let events = [
            JobEventRecord(.delivered, id: first.id, channel: .sms, at: 1_795_278_768_420, provider: "outbox", attempts: 1),
            JobEventRecord(.retried, id: second.id, channel: .email, at: 1_795_278_768_421, provider: "smtp://x",
                           attempts: 2, reason: "451 \"busy\"\nlater", batch: "b1"),
        ]
        let staged = try fixture.spool.stageJobEvents(events)
        #expect(fixture.names("status").isEmpty)
        let found = try fixture.spool.stagedJobEvents()
        #expect(found.count == 1 && found[0].staged == staged)
        #expect(found[0].events == events)
        try fixture.spool.publishJobEvents(staged)
        #expect(try fixture.spool.stagedJobEvents().isEmpty)
        #expect(fixture.names("status").count == 1 && fixture.names("status")[0].hasPrefix("event."))
    }

    @Test func aTornLineIsSkipped() {
        #expect(JobEventRecord(line: Array(#"{"format":"notifyd-event","version":"1.0","event":"deliv"#.utf8)) == nil)
        #expect(JobEventRecord(line: Array(#"{"format":"notifyd-status","event":"delivered"}"#.utf8)) == nil)
    }
}
