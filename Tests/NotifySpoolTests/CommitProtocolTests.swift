import Glibc
import NotifyCore
import Testing
@testable import NotifySpool

/// The commit protocol under an injected failure at each step: the submitter gets an
/// error, and no partial or visible job is left anywhere in the spool.
@Suite struct CommitProtocolTests {
    static let window: Duration = .seconds(86400)

    static let failures: [(FaultPlan.Step, Int32)] = [
        (.create, ENOSPC), (.write, EIO), (.write, ENOSPC), (.fsyncFile, EIO), (.link, ENOSPC),
        (.rename, EIO), (.fsyncDirectory, EIO),
    ]

    @Test(arguments: 0..<failures.count)
    func singleJobFailureLeavesNothingVisible(_ index: Int) throws {
        let (step, error) = Self.failures[index]
        let fixture = try SpoolFixture()
        let spool = try fixture.reopen(faults: FaultPlan([step: error]))
        // A key makes the link step part of the protocol.
        let job = fixture.job(key: "order-1")
        let thrown = #expect(throws: SpoolError.self) { try spool.submit(job, idempotencyWindow: Self.window) }
        #expect(thrown?.errno == error)
        #expect(thrown?.exitCode == (error == ENOSPC ? .temporaryFailure : .ioError))
        #expect(fixture.names("tmp") == [])
        #expect(fixture.keyFiles() == [])
        // With a key, the key's bucket is fsynced before the rename, so a directory fsync
        // failure stops the job before it becomes visible too.
        #expect(fixture.names("incoming") == [])
        // The spool is not damaged: the same job commits once the fault is gone.
        #expect(try fixture.spool.submit(job, idempotencyWindow: Self.window) == .accepted(job.id))
        #expect(fixture.names("incoming") == [job.id.text])
    }

    @Test(arguments: 0..<failures.count)
    func groupFailureLeavesNothingVisible(_ index: Int) throws {
        let (step, error) = Self.failures[index]
        let fixture = try SpoolFixture()
        let spool = try fixture.reopen(faults: FaultPlan([step: error]))
        let rows = (0..<20).map { row in [fixture.job(key: "k\(row)"), fixture.job(channel: .inbox, to: "u\(row)")] }
        let results = spool.submit(rows: rows, idempotencyWindow: Self.window)
        #expect(results.count == 20)
        for result in results {
            guard case .failure(let failure) = result else {
                Issue.record("row committed despite \(step)")
                continue
            }
            #expect(failure.errno == error)
        }
        #expect(fixture.names("tmp") == [])
        #expect(fixture.keyFiles() == [])
        if step != .fsyncDirectory { #expect(fixture.names("incoming") == []) }
    }

    @Test func groupCommitQueuesEveryRowAndOnlyOnce() throws {
        let fixture = try SpoolFixture()
        let rows = (0..<500).map { row in [fixture.job(key: "r\(row)"), fixture.job(channel: .inbox, to: "user\(row)")] }
        let results = fixture.spool.submit(rows: rows, idempotencyWindow: Self.window)
        let ids = try results.flatMap { try $0.get().map(\.id.text) }
        #expect(Set(ids).count == 1000)
        #expect(fixture.names("incoming") == ids.sorted())
        #expect(fixture.names("tmp") == [])
        // Replaying the keyed jobs returns the first IDs and queues nothing.
        let replay = rows.map { row in [fixture.job(key: row[0].idempotencyKey)] }
        let again = fixture.spool.submit(rows: replay, idempotencyWindow: Self.window)
        for (result, row) in zip(again, rows) {
            #expect(try result.get() == [.duplicate(row[0].id)])
        }
        #expect(fixture.names("incoming").count == 1000)
    }

    @Test func committedFileIsTheJob() throws {
        let fixture = try SpoolFixture()
        let job = fixture.job()
        _ = try fixture.spool.submit(job, idempotencyWindow: Self.window)
        let entry = try #require(fixture.spool.locate(job.id))
        #expect(entry.state == .incoming)
        #expect(try fixture.spool.read(entry) == job)
        var info = stat()
        stat(fixture.root + "/incoming/" + job.id.text, &info)
        #expect(info.st_mode & 0o777 == 0o640)
    }
}
