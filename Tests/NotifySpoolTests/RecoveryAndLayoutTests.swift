import Glibc
import NotifyCore
import Testing
@testable import NotifySpool

@Suite struct RecoveryAndLayoutTests {
    /// Rows T1 and T2 of the state table: an old unlinked temporary file was never
    /// acknowledged and is removed; one linked from idem/ may have been, and is committed.
    @Test func recoveryRemovesOrphansAndCompletesKeyedCommits() throws {
        let fixture = try SpoolFixture()
        let orphan = fixture.job()
        let keyed = fixture.job(key: "k")
        let young = fixture.job()
        for job in [orphan, keyed, young] {
            fixture.write("tmp/\(job.id)", String(decoding: JobFileFormat.encode(job), as: UTF8.self))
        }
        let path = IdempotencyKeyPath(uid: keyed.submitter.uid, key: "k")
        link(fixture.root + "/tmp/\(keyed.id)", fixture.root + "/" + path.relative)
        fixture.setModified("tmp/\(orphan.id)", secondsAgo: 7200)
        fixture.setModified("tmp/\(keyed.id)", secondsAgo: 7200)

        let report = try fixture.spool.recoverTemporaryFiles(olderThan: .seconds(3600))
        #expect(report == TemporaryRecoveryReport(removed: 1, completed: 1))
        #expect(fixture.names("tmp") == [young.id.text])
        #expect(fixture.names("incoming") == [keyed.id.text])
    }

    @Test func initCreatesDocumentedModesAndIsRepeatable() throws {
        let fixture = try SpoolFixture()
        for (path, directory) in SpoolLayout.expandedDirectories {
            var info = stat()
            #expect(stat(fixture.root + "/" + path, &info) == 0)
            #expect(info.st_mode & 0o7777 == directory.mode, "\(path)")
        }
        var fifo = stat()
        stat(fixture.root + "/public/trigger", &fifo)
        #expect(fifo.st_mode & S_IFMT == S_IFIFO)
        #expect(fifo.st_mode & 0o777 == SpoolLayout.triggerMode)

        chmod(fixture.root + "/incoming", 0o777)
        let report = try SpoolInitializer.initialize(root: fixture.root, owners: .invokingUser)
        #expect(report.created == 0)
        #expect(report.repaired == 1)
    }

    @Test func triggerWakesAReader() throws {
        let fixture = try SpoolFixture()
        let reader = open(fixture.root + "/public/trigger", O_RDONLY | O_NONBLOCK)
        defer { close(reader) }
        _ = try fixture.spool.submit(fixture.job(), idempotencyWindow: .seconds(60))
        var byte: UInt8 = 0
        #expect(read(reader, &byte, 1) == 1)
        // Nobody listening: the writer neither blocks nor fails.
        close(reader)
        _ = try fixture.spool.submit(fixture.job(), idempotencyWindow: .seconds(60))
    }

    /// spool-layout.md's directory table and SpoolLayout must agree.
    @Test func layoutDocumentMatchesCode() throws {
        let source = #filePath
        let repository = source.components(separatedBy: "/Tests/").first!
        let document = try #require(readText(repository + "/spool-layout.md"))
        for directory in SpoolLayout.directories {
            let mode = String(directory.mode, radix: 8)
            let group = directory.group == .daemon ? "notifyd" : "notify"
            let name = directory.path.isEmpty ? "(root)" : directory.path + "/"
            let row = "| `\(name)` | notifyd | \(group) | \(mode.count == 3 ? "0" + mode : mode) |"
            #expect(document.contains(row), "spool-layout.md lacks the row: \(row)")
        }
    }
}

func readText(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n == 0 { break }
        bytes += buffer[0..<n]
    }
    return String(decoding: bytes, as: UTF8.self)
}
