import Foundation
import NotifyCore
import NotifySpool
import Testing

/// Finding a pruned job's history in the daily archives.
@Suite struct ArchivedHistoryTests {
    @Test func findsTheJobsLinesOnceAndOnlyItsOwn() throws {
        let fixture = try SpoolFixture()
        var ids = JobIDGenerator()
        let created = try Timestamp.validate("2026-03-01T23:59:00Z", field: "t")
        let id = ids.next(milliseconds: created), other = ids.next(milliseconds: created)
        func line(_ job: JobID, _ event: String, at: String, reason: String) -> String {
            #"{"id":"\#(job)","at":\#(try! Timestamp.validate(at, field: "t")),"event":"\#(event)","v":1,"reason":"\#(reason)"}"#
        }
        // A day before the job was created cannot hold it; its last event fell on the next day.
        fixture.write("history/2026-02-28.jsonl", line(id, "final", at: "2026-02-28T10:00:00Z", reason: "impossible") + "\n")
        let attempt = line(id, "attempt", at: "2026-03-02T00:00:01Z", reason: "later")
        let final = line(id, "final", at: "2026-03-02T00:00:02Z", reason: "done")
        // Another job's line that names this one, and the sweep's crash-repeated append.
        let mention = line(other, "final", at: "2026-03-02T00:00:03Z", reason: "see {\\\"id\\\":\\\"\(id)\\\",")
        fixture.write("history/2026-03-02.jsonl", [attempt, final, mention, attempt, final].joined(separator: "\n") + "\n")
        let found = try #require(fixture.spool.archivedHistory(of: id))
        #expect(found.day == "2026-03-02")
        #expect(found.history.events.map(\.reason) == ["later", "done"])
        #expect(fixture.spool.archivedHistory(of: ids.next(milliseconds: created)) == nil)
    }
}
