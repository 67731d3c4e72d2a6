import Foundation
import NotifyCore
import NotifySpool
import Testing

/// notifyd's retention sweep and hourly tmp/ recovery, with a real notifyd in a temporary
/// spool. Old records are made by back-dating: a job's `created`, and file mtimes.
@Suite(.serialized) struct QueueManagerSweepTests {
    static let config = RunningDaemon.testConfig + """

        sweep_interval = 10ms
        idempotency_window = 1h
        history_retention = 2h
        stale_temporary_age = 1s
        """

    @Test func sweepRemovesOldKeysFinalJobsAndHistoriesOnly() throws {
        let daemon = try RunningDaemon(config: Self.config)
        let now = WallClock.nowMilliseconds()
        let old = try submit(daemon, key: "old-key", created: now - 3 * 3_600_000)
        let fresh = try submit(daemon, key: "fresh-key", created: now)
        // Created three hours ago: delivered, or expired if sms_maximal_lifetime is shorter.
        #expect(waitFor(10) { [.done, .dead].contains(daemon.state(old)) && daemon.history(old).outcome != nil })
        #expect(daemon.wait(fresh, reaches: .done))
        let oldState = try #require(daemon.state(old))
        // The old job's last event and file: three hours ago, beyond history_retention.
        let threeHoursAgo = Date().addingTimeInterval(-3 * 3600)
        try backdate(daemon.spool.spool + "/" + oldState.relativePath(of: old), to: threeHoursAgo)
        try backdate(daemon.spool.spool + "/history/\(old.bucket)/\(old.text)", to: threeHoursAgo)
        // A history whose job is gone (a crash between two unlinks), also old.
        var made = JobIDGenerator()
        let orphan = made.next(milliseconds: now - 3 * 3_600_000)
        let orphanPath = daemon.spool.spool + "/history/\(orphan.bucket)/\(orphan.text)"
        #expect(FileManager.default.createFile(atPath: orphanPath, contents: Data("{}\n".utf8)))
        try backdate(orphanPath, to: threeHoursAgo)

        // 32 buckets at 10 ms: a round takes well under a second.
        #expect(waitFor(10) { daemon.state(old) == nil && !exists(orphanPath) && keys(daemon).count == 1 })
        #expect(daemon.history(old).events.isEmpty)
        #expect(daemon.state(fresh) == .done)
        #expect(daemon.history(fresh).outcome == "delivered")
        #expect(daemon.log.contains("swept expired records"))
        // The fresh key still answers a replay with the first job.
        let replay = try daemon.store.submit(job(key: "fresh-key", created: WallClock.nowMilliseconds()), idempotencyWindow: .seconds(3600))
        #expect(replay.id == fresh)
    }

    @Test func temporaryFilesAreRecoveredWhileRunning() throws {
        let daemon = try RunningDaemon(config: Self.config)
        let leftover = daemon.spool.spool + "/tmp/status.leftover"
        #expect(FileManager.default.createFile(atPath: leftover, contents: Data("partial".utf8)))
        try backdate(leftover, to: Date().addingTimeInterval(-60))
        #expect(waitFor(5) { !exists(leftover) })
        #expect(daemon.log.contains("recovered temporary files"))
    }

    @Test func retentionShorterThanTheIdempotencyWindowIsRefused() throws {
        let spool = try TemporarySpool()
        let bad = spool.base + "/bad.conf"
        try "idempotency_window = 2d\nhistory_retention = 1d\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try spool.run("notifyd", ["--config", bad])
        #expect(result.status == 78)
        #expect(result.stderr.contains("bad.conf:2: history_retention: must not be shorter than idempotency_window"))
        // Without history_retention, a long window raises its default.
        let long = try TemporarySpool(config: "idempotency_window = 30d\n")
        #expect(try Settings.load(path: long.config).historyRetention == .seconds(30 * 86_400))
    }

    private func job(key: String, created: Int64) -> Job {
        var made = JobIDGenerator()
        return Job(id: made.next(milliseconds: created), created: created, channel: .sms, to: ["+14155550123"], body: "sweep",
                   idempotencyKey: key, submitter: Submitter(uid: getuid(), pid: getpid(), program: "sweep-test"))
    }

    private func submit(_ daemon: RunningDaemon, key: String, created: Int64) throws -> JobID {
        let submission = try daemon.store.submit(job(key: key, created: created), idempotencyWindow: .seconds(3600))
        daemon.store.wakeQueueManager()
        return submission.id
    }

    private func keys(_ daemon: RunningDaemon) -> [String] {
        SpoolLayout.buckets.flatMap { daemon.spool.files("idem/\($0)") }
    }
}

private func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

private func backdate(_ path: String, to date: Date) throws {
    try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path)
}
