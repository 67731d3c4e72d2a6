import Foundation
import NotifyCore
import NotifySpool
import NotifyTestSupport

/// The torture tests' setting (TortureTests, bench/torture): notifyd running the real email
/// and webhook agents, which deliver to real sinks on loopback started here: aiosmtpd
/// (smtp-server.py, through notify-email's smtp:// provider) and the provider emulator
/// (provider-emulator.py, through notify-webhook). Jobs enter with notify-enqueue --jobs,
/// each with its own idempotency key, half email and half webhook.
final class TortureRig {
    /// Each channel's concurrency limit: at most this many of a channel's jobs are in flight,
    /// so one kill can leave at most `2 * window` deliveries undecided (both channels, when
    /// notifyd itself dies), each of which may be delivered again: the duplicate bound.
    static let window = 8

    /// Daemons the rig starts beside notifyd (with the spool and config in the environment,
    /// as notifyd gets them) and restarts after a kill. Each joins the victims as soon as
    /// its binary is built; nothing else changes when notify-statsd lands.
    static let companionPrograms = ["notify-statsd"]

    let smtp: SMTPTestServer
    let web: ProviderEmulator
    let daemon: RunningDaemon
    private(set) var accepted: [JobID] = []
    private(set) var kills: [String: Int] = [:]
    private var companions: [String: Process] = [:]
    private var serial = 0
    private let tag = String(UUID().uuidString.prefix(8))

    init(spoolDirectory: String? = nil) throws {
        smtp = try SMTPTestServer()
        web = try ProviderEmulator()
        daemon = try RunningDaemon(config: """
            email_providers = smtp://127.0.0.1:\(smtp.port)?from=torture@example.com&tls=none
            webhook_providers = webhook
            email_concurrency_limit = \(Self.window)
            webhook_concurrency_limit = \(Self.window)
            email_backoff_base = 100ms
            email_backoff_max = 500ms
            webhook_backoff_base = 100ms
            webhook_backoff_max = 500ms
            email_max_attempts = 50
            webhook_max_attempts = 50
            breaker_failure_threshold = 100000
            provider_connect_timeout = 2s
            provider_timeout = 10s
            queue_scan_interval = 1s
            stale_temporary_age = 1s
            """, spoolDirectory: spoolDirectory)
        for program in Self.companionPrograms where FileManager.default.isExecutableFile(atPath: Programs.path(program)) {
            try startCompanion(program)
        }
    }

    deinit {
        for process in companions.values where process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    private func startCompanion(_ program: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Programs.path(program))
        var environment = ProcessInfo.processInfo.environment
        for (key, value) in daemon.spool.environment { environment[key] = value }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        FileManager.default.createFile(atPath: daemon.spool.base + "/\(program).log", contents: nil)
        process.standardError = FileHandle(forWritingAtPath: daemon.spool.base + "/\(program).log") ?? FileHandle.nullDevice
        try process.run()
        companions[program] = process
    }

    /// Queues `count` jobs with one notify-enqueue --jobs; the IDs it printed are accepted.
    @discardableResult
    func enqueue(_ count: Int, bodyBytes: Int = 200) throws -> Programs.Result {
        let filler = String(repeating: "x", count: bodyBytes)
        var lines: [String] = []
        for _ in 0..<count {
            serial += 1
            let key = "torture-\(tag)-\(serial)"
            if serial % 2 == 0 {
                lines.append(#"{"channel":"email","to":"user\#(serial)@example.com","subject":"torture \#(serial)","body":"\#(filler)","idempotency_key":"\#(key)"}"#)
            } else {
                lines.append(#"{"channel":"webhook","to":"\#(web.baseURL)/hook/torture","body":"{\"n\":\#(serial),\"pad\":\"\#(filler)\"}","idempotency_key":"\#(key)"}"#)
            }
        }
        let result = try daemon.spool.run("notify-enqueue", ["--jobs", "-"], stdin: lines.joined(separator: "\n"))
        accepted += result.lines.compactMap { try? JobID(validating: $0) }
        return result
    }

    /// The processes a kill may hit: notifyd, its email and webhook agents, the companions.
    func victims() -> [(name: String, pid: pid_t)] {
        var list: [(String, pid_t)] = [("notifyd", daemon.process.processIdentifier)]
        for pid in daemon.agentPIDs {
            let name = ((try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if name == "notify-email" || name == "notify-webhook" { list.append((name, pid)) }
        }
        for (name, process) in companions where process.isRunning { list.append((name, process.processIdentifier)) }
        return list
    }

    /// kill -9 of one random victim; notifyd and companions are started again at once
    /// (agents are notifyd's to restart).
    func killRandomVictim<R: RandomNumberGenerator>(using random: inout R) throws {
        guard let victim = victims().randomElement(using: &random) else { return }
        kills[victim.name, default: 0] += 1
        if victim.name == "notifyd" {
            daemon.kill9()
            usleep(UInt32.random(in: 0...50_000, using: &random))
            try daemon.start()
        } else if let process = companions[victim.name] {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try startCompanion(victim.name)
        } else {
            kill(victim.pid, SIGKILL)
        }
    }

    var totalKills: Int { kills.values.reduce(0, +) }

    /// Whether no job is left in incoming/, active/ or deferred/.
    func drained(within seconds: Double) -> Bool {
        waitFor(seconds) { (try? self.daemon.store.count([.incoming, .active, .deferred])) == 0 }
    }

    /// What the sinks received: one entry per delivery, its idempotency key and job ID.
    struct Delivery: Hashable { var key: String; var id: String }

    func sinkDeliveries() -> [Delivery] {
        var deliveries: [Delivery] = []
        for message in smtp.messages() {
            // Message-ID is <job-id@from-domain>; Idempotency-Key is the job's key.
            let headers = message.raw.components(separatedBy: "\r\n\r\n").first ?? message.raw
            var key = "", id = ""
            for line in headers.components(separatedBy: "\r\n") {
                if line.lowercased().hasPrefix("idempotency-key:") { key = line.dropFirst(16).trimmingCharacters(in: .whitespaces) }
                if line.lowercased().hasPrefix("message-id:") {
                    id = line.dropFirst(11).trimmingCharacters(in: CharacterSet(charactersIn: " <>")).components(separatedBy: "@").first ?? ""
                }
            }
            deliveries.append(Delivery(key: key, id: id))
        }
        for request in web.requests("webhook") where request.status == 200 {
            deliveries.append(Delivery(key: request.headers["idempotency-key"] ?? "", id: request.headers["x-notifyd-job"] ?? ""))
        }
        return deliveries
    }

    /// The checks after draining; each failed one is a line of the result.
    struct Verdict {
        var jobs = 0, delivered = 0, dead = 0, lost = 0, duplicates = 0, kills = 0
        var failures: [String] = []
    }

    func verdict() -> Verdict {
        var verdict = Verdict(jobs: accepted.count, kills: totalKills)
        var keyOf: [String: String] = [:]   // job ID -> its idempotency key
        for id in accepted {
            let states = JobState.allCases.filter { access(daemon.spool.spool + "/" + $0.relativePath(of: id), F_OK) == 0 }
            guard states.count == 1, let state = states.first else {
                verdict.lost += states.isEmpty ? 1 : 0
                verdict.failures.append("\(id) is in \(states.count) states: \(states)")
                continue
            }
            let outcome = daemon.history(id).outcome ?? "none"
            switch (state, outcome) {
            case (.done, "delivered"): verdict.delivered += 1
            case (.dead, "failed"), (.dead, "expired"): verdict.dead += 1
            default: verdict.failures.append("\(id) ended in \(state) with outcome \(outcome)")
            }
            if let entry = daemon.store.locate(id), let job = try? daemon.store.read(entry) {
                keyOf[id.text] = job.idempotencyKey
            }
        }
        let deliveries = sinkDeliveries()
        var received: [String: Int] = [:]
        for delivery in deliveries {
            received[delivery.id, default: 0] += 1
            // Detectable by key: every delivery carries the key of the job it delivers.
            if keyOf[delivery.id] != delivery.key {
                verdict.failures.append("sink got job \(delivery.id) with key \"\(delivery.key)\", expected \"\(keyOf[delivery.id] ?? "?")\"")
            }
        }
        for id in accepted where daemon.state(id) == .done && received[id.text] == nil {
            verdict.failures.append("\(id) is done but the sink never received it")
        }
        verdict.duplicates = received.values.reduce(0) { $0 + max(0, $1 - 1) }
        let distinctKeys = Set(deliveries.map(\.key)).count
        if distinctKeys != received.count { verdict.failures.append("\(received.count) jobs received under \(distinctKeys) keys") }
        let bound = max(1, verdict.kills) * 2 * Self.window
        if verdict.duplicates > bound {
            // Show how a few duplicated jobs went: their attempts, with times, results and reasons.
            let examples = received.filter { $0.value > 1 }.keys.sorted().prefix(3).map { id in
                let events = (try? JobID(validating: id)).map { daemon.history($0).events } ?? []
                return "\(id) ×\(received[id]!): " + events.map { "\($0.event)@\($0.at % 100_000) \($0.attempt ?? 0) \($0.result ?? "") \($0.reason ?? "")" }
                    .joined(separator: "; ")
            }
            verdict.failures.append("\(verdict.duplicates) duplicates > \(bound) (kills × concurrency window); e.g.\n" + examples.joined(separator: "\n"))
        }
        verdict.failures += statsTotalsMatchFinalStates(delivered: verdict.delivered, dead: verdict.dead)
        return verdict
    }

    /// notify-statsd is among the victims: once it has caught up (its snapshot is
    /// rewritten after every fold, so this waits until status/ is empty and the counts
    /// settle), the snapshot's totals (`totals.counters` in `state/stats.json`,
    /// spool-layout.md "Stats snapshot") must equal the final states in the spool.
    func statsTotalsMatchFinalStates(delivered: Int, dead: Int) -> [String] {
        guard FileManager.default.isExecutableFile(atPath: Programs.path("notify-statsd")) else { return [] }
        let path = daemon.spool.spool + "/state/stats.json"
        func counts() -> (delivered: Int, dead: Int)? {
            guard let data = FileManager.default.contents(atPath: path),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let totals = (object["totals"] as? [String: Any])?["counters"] as? [String: Any] else { return nil }
            func count(_ name: String) -> Int { (totals[name] as? NSNumber)?.intValue ?? 0 }
            return (count("delivered"), count("failed") + count("expired"))
        }
        _ = waitFor(30) { counts().map { $0.delivered == delivered && $0.dead == dead } ?? false }
        guard let seen = counts() else { return ["notify-statsd is built but \(path) has no totals.counters object"] }
        var failures: [String] = []
        if seen.delivered != delivered { failures.append("stats delivered \(seen.delivered) != \(delivered) in done/") }
        if seen.dead != dead { failures.append("stats failed+expired \(seen.dead) != \(dead) in dead/") }
        if !failures.isEmpty, let log = try? String(contentsOfFile: daemon.spool.base + "/notify-statsd.log", encoding: .utf8) {
            failures.append("notify-statsd's log: " + String(log.suffix(3000)))
        }
        return failures
    }
}
