import Foundation
import NotifyCore
import NotifySpool

/// notifyd running as a real process on a `TemporarySpool`, its stderr in `<base>/notifyd.log`.
final class RunningDaemon {
    let spool: TemporarySpool
    private(set) var process: Process
    let store: Spool
    let control: String

    /// The configuration the queue-manager tests use: the test agent on sms, short delays.
    static let testConfig = """
        sms_agent = notify-test-agent
        sms_backoff_base = 100ms
        sms_backoff_max = 400ms
        sms_jitter = none
        breaker_cool_off = 700ms
        breaker_max_cool_off = 5s
        queue_scan_interval = 2s
        """

    /// Extra environment for notifyd (e.g. NOTIFY_SOCKET for a readiness test).
    var extraEnvironment: [String: String] = [:]

    init(config: String = RunningDaemon.testConfig, notifySocket: String? = nil, spoolDirectory: String? = nil) throws {
        spool = try TemporarySpool(config: config, spool: spoolDirectory)
        control = spool.base + "/control"
        try FileManager.default.createDirectory(atPath: control, withIntermediateDirectories: true)
        store = try Spool.open(spool.spool)
        process = Process()
        if let notifySocket { extraEnvironment["NOTIFY_SOCKET"] = notifySocket }
        try start()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Starts notifyd and waits until it has written its first state snapshot (after READY).
    func start() throws {
        unlink(spool.spool + "/state/qmgr.json")
        process = Process()
        process.executableURL = URL(fileURLWithPath: Programs.path("notifyd"))
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in spool.environment { environment[key] = value }
        environment["NOTIFY_TEST_AGENT_CONTROL"] = control
        // Other suites point NOTIFY_SOCKET at their own listeners while this one runs.
        for name in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID"] { environment[name] = nil }
        for (key, value) in extraEnvironment { environment[key] = value }
        process.environment = environment
        let log = spool.base + "/notifyd.log"
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        handle.seekToEndOfFile()
        process.standardError = handle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        guard waitFor(10, { access(self.spool.spool + "/state/qmgr.json", F_OK) == 0 }) else { throw NotReady(log: self.log) }
    }

    struct NotReady: Error { var log: String }

    var log: String { (try? String(contentsOfFile: spool.base + "/notifyd.log", encoding: .utf8)) ?? "" }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// SIGKILL, as a crash.
    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// The delivery agents notifyd started (its child processes).
    var agentPIDs: [pid_t] {
        let pid = process.processIdentifier
        var children: [pid_t] = []
        for task in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? [] {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
            children += text.split(separator: " ").compactMap { pid_t($0) }
        }
        return children
    }

    func setControl(_ name: String, _ present: Bool) {
        if present { FileManager.default.createFile(atPath: control + "/" + name, contents: nil) } else { unlink(control + "/" + name) }
    }

    /// Enqueues one job with notify-enqueue; returns its ID.
    func enqueue(_ arguments: [String]) throws -> JobID {
        let result = try spool.run("notify-enqueue", arguments)
        guard result.status == 0 else { throw EnqueueFailed(stderr: result.stderr) }
        return try JobID(validating: result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    struct EnqueueFailed: Error { var stderr: String }

    func sms(_ outcome: String? = nil, _ extra: [String] = []) throws -> JobID {
        try enqueue(["--channel", "sms", "--to", "+14155550123", "--body", "code 123456"]
                    + (outcome.map { ["--meta", "test_outcome=\($0)"] } ?? []) + extra)
    }

    func state(_ id: JobID) -> JobState? { store.locate(id)?.state }
    func history(_ id: JobID) -> JobHistory { store.history(of: id) }

    /// Waits until the job reaches `state`; returns whether it did.
    func wait(_ id: JobID, reaches state: JobState, within seconds: Double = 10) -> Bool {
        waitFor(seconds) { self.state(id) == state && self.history(id).outcome != nil || state != .done && state != .dead && self.state(id) == state }
    }
}

/// Polls `condition` every 20 ms for up to `seconds`.
func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}
