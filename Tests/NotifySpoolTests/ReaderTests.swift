import Foundation
import Glibc
import NotifyCore
import Testing
@testable import NotifySpool

@Suite struct ReaderTests {
    @Test func corruptJobIsQuarantinedNotFatal() throws {
        let fixture = try SpoolFixture()
        let good = fixture.job()
        _ = try fixture.spool.submit(good, idempotencyWindow: .seconds(60))
        var ids = JobIDGenerator()
        let broken = ids.next()
        fixture.write("incoming/\(broken)", "{\"format\":\"notifyd-job\",\"version\":\"1.0\",\"id\":")
        fixture.write("incoming/not-a-job-id", "junk")

        var seen: [SpoolEntry] = []
        try fixture.spool.scan([.incoming]) { seen.append($0) }
        #expect(seen.map(\.id).sorted() == [good.id, broken].sorted())
        #expect(fixture.names("corrupt") == ["incoming.not-a-job-id"])

        var jobs: [Job] = []
        var quarantined = 0
        for entry in seen {
            do {
                jobs.append(try fixture.spool.read(entry))
            } catch {
                if case .quarantined = error { quarantined += 1 } else { Issue.record("\(error)") }
            }
        }
        #expect(jobs == [good])
        #expect(quarantined == 1)
        #expect(fixture.names("corrupt") == ["incoming.\(broken)", "incoming.not-a-job-id"])
        #expect(fixture.names("incoming") == [good.id.text])
    }

    @Test func unknownMajorVersionIsRejectedClearly() throws {
        let fixture = try SpoolFixture()
        var ids = JobIDGenerator()
        let id = ids.next()
        fixture.write("incoming/\(id)", "{\"format\":\"notifyd-job\",\"version\":\"2.0\",\"id\":\"\(id)\"}")
        let entry = try #require(fixture.spool.locate(id))
        let error = #expect(throws: SpoolReadError.self) { try fixture.spool.read(entry) }
        #expect(error?.description.contains("unsupported job format version 2.0; this program reads 1.x") == true)
        #expect(fixture.names("corrupt") == ["incoming.\(id)"])
    }

    @Test func laterMinorVersionWithNewFieldsIsRead() throws {
        let fixture = try SpoolFixture()
        let job = fixture.job()
        var text = String(decoding: JobFileFormat.encode(job), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"version\":\"1.0\"", with: "\"version\":\"1.7\",\"future_field\":[1,2]")
        #expect(try JobFileFormat.decode(Array(text.utf8)) == job)
    }

    @Test func locateFindsEveryState() throws {
        let fixture = try SpoolFixture()
        var ids = JobIDGenerator()
        for state in JobState.allCases {
            let id = ids.next()
            fixture.write(state.relativePath(of: id), "x")
            #expect(fixture.spool.locate(id)?.state == state)
        }
        #expect(fixture.spool.locate(ids.next()) == nil)
    }
}
