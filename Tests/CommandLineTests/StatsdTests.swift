import Foundation
import NotifyCore
import NotifySpool
import NotifyStats
import NotifyTestSupport
import Testing

/// notify-statsd as a real process on a real spool: exact totals across kill -9, the
/// snapshot, the live event socket, and notifyd's own job event records.
@Suite(.serialized) struct StatsdTests {
    /// Known records: `files` status files of 100 attempts (90 delivered, 10 temporary)
    /// and as many job event files of 100 events (50 queued, 50 delivered).
    static func generate(_ store: Spool, files: Int) throws {
        var generator = JobIDGenerator()
        let now = WallClock.nowMilliseconds()
        for _ in 0..<files {
            var attempts: [StatusRecord] = []
            var events: [JobEventRecord] = []
            for n in 0..<100 {
                let id = generator.next(milliseconds: now - 5000)
                attempts.append(StatusRecord(id: id, attempt: 1, channel: .sms, provider: "twilio", result: n < 90 ? "delivered" : "temporary",
                                             reason: "ok", code: "201", providerID: nil, started: (now - 10) * 1000, finished: now * 1000))
                events.append(JobEventRecord(n < 50 ? .queued : .delivered, id: id, channel: .email, at: now, provider: "smtp", attempts: 1))
            }
            try store.writeStatusBatch(attempts)
            try store.writeJobEvents(events, now: now)
        }
    }

    static func expectTotals(_ snapshot: StatsSnapshot?, files: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(snapshot?.records == Int64(files * 200), sourceLocation: sourceLocation)
        let sms = snapshot?.channels["sms"]?.counters
        #expect(sms?.attempts == Int64(files * 100) && sms?.attemptErrors == Int64(files * 10), sourceLocation: sourceLocation)
        let email = snapshot?.channels["email"]?.counters
        #expect(email?.queued == Int64(files * 50) && email?.delivered == Int64(files * 50), sourceLocation: sourceLocation)
    }

    static func startStatsd(_ spool: TemporarySpool, environment extra: [String: String] = [:], stderr: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Programs.path("notify-statsd"))
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in spool.environment { environment[key] = value }
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID"] { environment[name] = nil }
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        if let stderr {
            FileManager.default.createFile(atPath: stderr, contents: nil)
            process.standardError = FileHandle(forWritingAtPath: stderr)
        } else {
            process.standardError = FileHandle.nullDevice
        }
        try process.run()
        return process
    }

    /// kill -9 at three moments while 100,000 records are being folded, a fourth time
    /// exactly between a snapshot and its removals; then the totals are exact.
    @Test func killNineNeverCountsTwiceNorLoses() throws {
        let spool = try TemporarySpool(config: "stats_files_per_snapshot = 20\n")
        let store = try Spool.open(spool.spool)
        let files = 500  // 1,000 files of 100 records
        try Self.generate(store, files: files)
        #expect(spool.files("status").count == 2 * files)
        for remaining in [1600, 1000, 400] {
            let process = try Self.startStatsd(spool)
            _ = waitFor(30) { spool.files("status").count <= remaining }
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        #expect(spool.files("status").count > 0, "killed too late to test anything")
        let crashing = try Self.startStatsd(spool, environment: ["NOTIFY_STATSD_TEST_CRASH": "after-snapshot"])
        crashing.waitUntilExit()
        #expect(crashing.terminationReason == .uncaughtSignal)
        let folded = store.statsSnapshot()?.folded ?? []
        #expect(!folded.isEmpty && folded.allSatisfy { spool.files("status").contains($0.name) })
        let result = try spool.run("notify-statsd", ["--once"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(spool.files("status").isEmpty)
        Self.expectTotals(store.statsSnapshot(), files: files)
    }

    /// notifyd writes queued, retried and final job events; the agents' attempts arrive as
    /// status records; notifyctl cancel writes a cancelled event.
    @Test func notifydAndNotifyctlDecisionsAreCounted() throws {
        let daemon = try RunningDaemon()
        var ids: [JobID] = []
        for _ in 0..<6 { ids.append(try daemon.sms()) }
        for _ in 0..<2 { ids.append(try daemon.sms("permanent")) }
        ids.append(try daemon.sms("temporary:1"))
        #expect(waitFor(20) { ids.allSatisfy { daemon.history($0).outcome != nil && [.done, .dead].contains(daemon.state($0)) } })
        let later = try daemon.sms(nil, ["--in", "1h"])
        #expect(waitFor(10) { daemon.state(later) == .deferred })
        let cancel = try daemon.spool.run("notifyctl", ["cancel", later.text])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        daemon.stop()
        let result = try daemon.spool.run("notify-statsd", ["--once"])
        #expect(result.status == 0, "\(result.stderr)")
        let sms = try #require(daemon.store.statsSnapshot()?.channels["sms"]?.counters)
        #expect(sms.queued == 10 && sms.delivered == 7 && sms.failed == 2 && sms.cancelled == 1 && sms.retried == 1)
        #expect(sms.attempts == 10 && sms.attemptErrors == 3 && sms.attemptsOfDelivered == 8)
        let latency = try #require(daemon.store.statsSnapshot()?.channels["sms"]?.deliveryLatency)
        #expect(latency.count == 7 && latency.max < 20_000)
    }

    /// Under systemd: READY=1 once the socket listens; STOPPING=1 and a clean exit on SIGTERM,
    /// removing the socket.
    @Test func readinessAndCleanStop() throws {
        let spool = try TemporarySpool()
        let listener = try DatagramListener()
        let process = try Self.startStatsd(spool, environment: ["NOTIFY_SOCKET": listener.path])
        let ready = listener.receive()
        #expect(ready?.contains("READY=1") == true, "\(ready ?? "nothing")")
        #expect(access(spool.spool + "/state/events.sock", F_OK) == 0)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(access(spool.spool + "/state/events.sock", F_OK) != 0)
        #expect(listener.receive()?.contains("STOPPING=1") == true)
    }

    /// A stray SIGHUP (its unit has no ExecReload) leaves it running, with a notice.
    @Test func sighupIsIgnoredWithANotice() throws {
        let spool = try TemporarySpool()
        let listener = try DatagramListener()
        let log = spool.base + "/statsd.log"
        let process = try Self.startStatsd(spool, environment: ["NOTIFY_SOCKET": listener.path], stderr: log)
        #expect(listener.receive()?.contains("READY=1") == true)
        kill(process.processIdentifier, SIGHUP)
        #expect(waitFor(5) { ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").contains("reload is not supported; restart to apply changes") })
        usleep(100_000)
        #expect(process.isRunning)
        #expect(access(spool.spool + "/state/events.sock", F_OK) == 0)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }

    /// A subscriber of state/events.sock gets every record folded after it connected.
    @Test func liveEventsReachSubscribers() throws {
        let spool = try TemporarySpool()
        let store = try Spool.open(spool.spool)
        let process = try Self.startStatsd(spool)
        defer { process.terminate(); process.waitUntilExit() }
        #expect(waitFor(10) { access(spool.spool + "/state/events.sock", F_OK) == 0 })
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = spool.spool + "/state/events.sock"
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in path.utf8.enumerated() { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(connected == 0)
        usleep(200_000)  // the hub accepts on its next turn
        try Self.generate(store, files: 1)
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        while received.filter({ $0 == 0x0A }).count < 200 {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            received += buffer[0..<n]
        }
        let lines = received.split(separator: 0x0A)
        #expect(lines.count == 200)
        let events = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any] }
        #expect(events.filter { $0["event"] as? String == "attempt" }.count == 100)
        #expect(events.filter { $0["event"] as? String == "queued" }.count == 50)
        #expect(events.allSatisfy { $0["v"] as? Int == 1 && ($0["id"] as? String)?.count == 26 })
    }
}
