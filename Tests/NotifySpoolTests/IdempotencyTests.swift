import Glibc
import NotifyCore
import Testing
@testable import NotifySpool

@Suite struct IdempotencyTests {
    static let window: Duration = .seconds(3600)

    @Test func secondSubmissionReturnsFirstJob() throws {
        let fixture = try SpoolFixture()
        let first = fixture.job(key: "signup-42")
        let second = fixture.job(key: "signup-42")
        #expect(try fixture.spool.submit(first, idempotencyWindow: Self.window) == .accepted(first.id))
        #expect(try fixture.spool.submit(second, idempotencyWindow: Self.window) == .duplicate(first.id))
        #expect(fixture.names("incoming") == [first.id.text])
        #expect(fixture.names("tmp") == [])
    }

    @Test func keysAreScopedPerSubmitter() throws {
        let fixture = try SpoolFixture()
        let first = fixture.job(key: "k")
        var other = fixture.job(key: "k")
        other.submitter.uid = first.submitter.uid + 1
        _ = try fixture.spool.submit(first, idempotencyWindow: Self.window)
        #expect(try fixture.spool.submit(other, idempotencyWindow: Self.window) == .accepted(other.id))
    }

    @Test func keyOlderThanWindowIsReplaced() throws {
        let fixture = try SpoolFixture()
        let now = WallClock.nowMilliseconds()
        let old = fixture.job(key: "k", created: now - 7_200_000)
        let fresh = fixture.job(key: "k", created: now)
        _ = try fixture.spool.submit(old, idempotencyWindow: Self.window)
        #expect(try fixture.spool.submit(fresh, idempotencyWindow: Self.window) == .accepted(fresh.id))
        #expect(fixture.names("incoming") == [old.id.text, fresh.id.text].sorted())
        #expect(fixture.keyFiles().count == 1)
    }

    /// State I2 of the table: the first submitter linked its key and crashed before the
    /// rename. A duplicate submitter finishes the commit and returns the first ID.
    @Test func duplicateCompletesCommitLeftInTmp() throws {
        let fixture = try SpoolFixture()
        let first = fixture.job(key: "k")
        let bytes = JobFileFormat.encode(first)
        fixture.write("tmp/\(first.id)", String(decoding: bytes, as: UTF8.self))
        let path = IdempotencyKeyPath(uid: first.submitter.uid, key: "k")
        #expect(link(fixture.root + "/tmp/\(first.id)", fixture.root + "/" + path.relative) == 0)

        let second = fixture.job(key: "k")
        #expect(try fixture.spool.submit(second, idempotencyWindow: Self.window) == .duplicate(first.id))
        #expect(fixture.names("incoming") == [first.id.text])
        #expect(fixture.names("tmp") == [])
    }

    /// State I3: only the key survived the crash (tmp/ entry lost). The key is the job.
    @Test func duplicateCommitsFromKeyAlone() throws {
        let fixture = try SpoolFixture()
        let first = fixture.job(key: "k")
        let path = IdempotencyKeyPath(uid: first.submitter.uid, key: "k")
        fixture.write(path.relative, String(decoding: JobFileFormat.encode(first), as: UTF8.self))

        #expect(try fixture.spool.submit(fixture.job(key: "k"), idempotencyWindow: Self.window) == .duplicate(first.id))
        #expect(fixture.names("incoming") == [first.id.text])
    }

    @Test func damagedKeyIsQuarantinedAndReplaced() throws {
        let fixture = try SpoolFixture()
        let job = fixture.job(key: "k")
        let path = IdempotencyKeyPath(uid: job.submitter.uid, key: "k")
        fixture.write(path.relative, "{\"format\":\"notifyd-job\",")
        #expect(try fixture.spool.submit(job, idempotencyWindow: Self.window) == .accepted(job.id))
        #expect(fixture.names("corrupt").count == 1)
    }

    @Test func keyNamesNeverCollideAndStayInTheSpool() {
        let a = IdempotencyKeyPath(uid: 1, key: "../../etc/passwd")
        #expect(!a.name.contains("/"))
        #expect(a.name == "1.2e2e2f2e2e2f6574632f706173737764")
        #expect(IdempotencyKeyPath(uid: 1, key: "ab").name != IdempotencyKeyPath(uid: 12, key: "b").name)
    }
}
