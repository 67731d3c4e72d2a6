import Foundation
import NotifyCore
import NotifySpool
import NotifyStats
import Testing

/// The views operators use, each checked with a real consumer: Python's prometheus_client
/// parser, `notifyctl check`'s exit codes, `notifyctl top` in tmux, the dashboard in
/// headless Chromium.
@Suite(.serialized) struct ObservabilityTests {
    /// A spool with 3 queued sms jobs and the records of StatsdTests.generate, folded.
    static func preparedSpool(config: String = "") throws -> (TemporarySpool, Spool) {
        let spool = try TemporarySpool(config: config)
        let store = try Spool.open(spool.spool)
        try StatsdTests.generate(store, files: 2)
        for n in 0..<3 {
            let result = try spool.run("notify-enqueue", ["--channel", "sms", "--to", "+1415555012\(n)", "--body", "hello"])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let folded = try spool.run("notify-statsd", ["--once"])
        #expect(folded.status == 0, "\(folded.stderr)")
        return (spool, store)
    }

    @Test func metricsParseWithPrometheusClient() throws {
        let (spool, store) = try Self.preparedSpool()
        let qmgr = QueueManagerState(pid: 1, written: "2026-01-01T00:00:00Z", breakers: [
            .init(channel: "sms", provider: "twilio", state: "open", consecutiveFailures: 5, openUntil: nil, coolOffMilliseconds: 1000),
            .init(channel: "email", provider: "smtp", state: "closed", consecutiveFailures: 0, openUntil: nil, coolOffMilliseconds: 1000),
        ], active: [:], inFlight: [:], rateLimited: ["sms": 7, "email": 0])
        let text = PrometheusExposition.text(store.statsSnapshot(), queue: try QueueShape.read(store), qmgr: qmgr)
        let file = spool.base + "/metrics.txt"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    key = s.name + "|" + ",".join(f"{k}={v}" for k, v in sorted(s.labels.items()))
                    out[key] = s.value
                out["type|" + family.name] = family.type
            print(json.dumps(out))
            """
        let result = try Programs.runExternal("/usr/bin/python3", ["-c", script, file])
        #expect(result.status == 0, "\(result.stderr)\n\(text)")
        let samples = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        func value(_ key: String) -> Double? { samples[key] as? Double }
        #expect(value("notifyd_deliveries_total|channel=email,outcome=delivered,provider=smtp") == 100)
        #expect(value("notifyd_deliveries_total|channel=email,outcome=failed,provider=smtp") == 0)
        #expect(value("notifyd_delivery_attempts_total|channel=sms,provider=twilio") == 200)
        #expect(value("notifyd_queue_depth|channel=sms,state=incoming") == 3)
        #expect(value("notifyd_breaker_open|provider=twilio") == 1 && value("notifyd_breaker_open|provider=smtp") == 0)
        #expect((value("notifyd_oldest_job_age_seconds|") ?? -1) >= 0)
        #expect(value("notifyd_rate_limited_jobs|channel=sms") == 7 && value("notifyd_rate_limited_jobs|channel=email") == 0)
        #expect(value("notifyd_delivery_latency_seconds_count|channel=email") == 100)
        #expect(value("notifyd_delivery_latency_seconds_bucket|channel=email,le=+Inf") == 100)
        #expect(samples["type|notifyd_delivery_latency_seconds"] as? String == "histogram")
        #expect(samples["type|notifyd_deliveries"] as? String == "counter")
    }

    @Test func checkExitCodes() throws {
        // No snapshot yet: WARNING.
        let fresh = try TemporarySpool()
        let none = try fresh.run("notifyctl", ["check"])
        #expect(none.status == 1 && none.stdout.hasPrefix("NOTIFYD WARNING - no stats snapshot"), "\(none.stdout)")
        // 90% of attempts delivered, nothing failed, 3 jobs queued: OK.
        let (spool, _) = try Self.preparedSpool()
        let ok = try spool.run("notifyctl", ["check"])
        #expect(ok.status == 0 && ok.stdout.hasPrefix("NOTIFYD OK - queue=3 "), "\(ok.stdout)")
        #expect(ok.lines.count == 1)
        // The queue over its limit: CRITICAL; at 80% of it: WARNING.
        let (long, _) = try Self.preparedSpool(config: "alert_queue_length = 2\n")
        let critical = try long.run("notifyctl", ["check"])
        #expect(critical.status == 2 && critical.stdout.hasPrefix("NOTIFYD CRITICAL - queue 3 jobs (limit 2)"), "\(critical.stdout)")
        let (near, _) = try Self.preparedSpool(config: "alert_queue_length = 3\n")
        #expect(try near.run("notifyctl", ["check"]).status == 1)
        // 10% attempt errors over a 5% limit: CRITICAL.
        let (errors, _) = try Self.preparedSpool(config: "alert_error_rate = 5\n")
        let failing = try errors.run("notifyctl", ["check"])
        #expect(failing.status == 2 && failing.stdout.contains("error rate 10.0% > 5.0%"), "\(failing.stdout)")
        // A bad threshold: UNKNOWN with the parameter named.
        try "alert_success_rate = 120\n".write(toFile: fresh.config, atomically: true, encoding: .utf8)
        let unknown = try fresh.run("notifyctl", ["check"])
        #expect(unknown.status == 3 && unknown.stdout.contains("alert_success_rate"), "\(unknown.stdout)")
    }

    @Test func statsTableAndJSON() throws {
        let (spool, _) = try Self.preparedSpool()
        let table = try spool.run("notifyctl", ["stats"])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("CHANNEL") && table.stdout.contains("email") && table.stdout.contains("queue: 3 jobs"))
        let json = try spool.run("notifyctl", ["stats", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        let stats = (object["data"] as! [String: Any])["queue_stats"] as! [String: Any]
        #expect(stats["total_queued"] as? Int == 100 && stats["total_processed"] as? Int == 100)
    }

    @Test func topInAPseudoTerminal() throws {
        let (spool, _) = try Self.preparedSpool()
        let session = "notifyd-top-\(getpid())"
        let script = spool.base + "/top.sh"
        try """
            #!/bin/bash
            NOTIFYD_SPOOL=\(spool.spool) NOTIFYD_CONFIG=\(spool.config) \(Programs.path("notifyctl")) top
            echo TOP-EXIT=$?
            stty -a | grep -o -- '-\\?icanon'
            sleep 30
            """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        // tmux's server keeps the descriptors it started with: give it no pipe to hold.
        // tmux forks its server, which Foundation's Process does not always reap in time:
        // drive it with system(3) and read the captured screen from a file.
        _ = system("tmux new-session -d -s \(session) -x 120 -y 30 \(script) </dev/null >/dev/null 2>&1")
        defer { _ = system("tmux kill-session -t \(session) </dev/null >/dev/null 2>&1") }
        let capture = spool.base + "/screen.txt"
        func screenText() -> String {
            _ = system("tmux capture-pane -p -t \(session) >\(capture) 2>/dev/null </dev/null")
            return (try? String(contentsOfFile: capture, encoding: .utf8)) ?? ""
        }
        var screen = ""
        _ = waitFor(10) {
            screen = screenText()
            return screen.contains("q: quit")
        }
        #expect(screen.contains("notifyctl top"), "\(screen)")
        #expect(screen.contains("queue 3 jobs"), "\(screen)")
        #expect(screen.contains("CHANNEL") && screen.contains("DLV/S") && screen.contains("P99MS"), "\(screen)")
        let smsRow = screen.split(separator: "\n").first { $0.hasPrefix("sms ") }.map(String.init) ?? ""
        #expect(smsRow.split(separator: " ").count >= 10 && smsRow.split(separator: " ")[2] == "3", "\(smsRow)")
        #expect(screen.contains("breakers:"))
        _ = system("tmux send-keys -t \(session) q </dev/null >/dev/null 2>&1")
        var after = ""
        let exited = waitFor(10) {
            after = screenText()
            return after.contains("TOP-EXIT=") && after.contains("icanon")
        }
        #expect(exited, "\(after)")
        #expect(after.contains("TOP-EXIT=0"), "\(after)")
        // The terminal is back in canonical mode, and the alternate screen is gone.
        #expect(after.contains("icanon") && !after.contains("-icanon"), "\(after)")
        #expect(!after.contains("q: quit"), "\(after)")
    }

    @Test func dashboardInHeadlessChromium() throws {
        let (spool, store) = try Self.preparedSpool()
        let site = spool.base + "/site"
        try FileManager.default.createDirectory(atPath: site + "/v1", withIntermediateDirectories: true)
        try StatusPage.html.write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        let body = SeedsStatsView.json(store.statsSnapshot(), queue: try QueueShape.read(store))
        try Data(body).write(to: URL(fileURLWithPath: site + "/v1/stats"))
        // A small local server on loopback, as notify-apid will serve it. Programs that
        // leave children holding a pipe (chromium's helpers, tmux's server) write to files.
        _ = system("/usr/bin/python3 -u -m http.server 0 --bind 127.0.0.1 --directory \(site) >\(spool.base)/http.log 2>&1 </dev/null & echo $! >\(spool.base)/http.pid")
        let serverPID = pid_t(((try? String(contentsOfFile: spool.base + "/http.pid", encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        defer { if serverPID > 0 { kill(serverPID, SIGTERM) } }
        var port = ""
        _ = waitFor(10) {
            // "Serving HTTP on 127.0.0.1 port 41234 (http://127.0.0.1:41234/) ..."
            let log = (try? String(contentsOfFile: spool.base + "/http.log", encoding: .utf8)) ?? ""
            port = log.split(separator: " ").drop { $0 != "port" }.dropFirst().first.map(String.init) ?? ""
            return !port.isEmpty
        }
        #expect(!port.isEmpty)
        let profile = spool.base + "/chromium"
        let status = system("timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
            + "--user-data-dir=\(profile) --enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom http://127.0.0.1:\(port)/ "
            + ">\(spool.base)/dom.html 2>\(spool.base)/chromium.log </dev/null")
        #expect(status == 0 || status == -1)
        let chromium = (stdout: (try? String(contentsOfFile: spool.base + "/dom.html", encoding: .utf8)) ?? "",
                        stderr: (try? String(contentsOfFile: spool.base + "/chromium.log", encoding: .utf8)) ?? "")
        let dom = chromium.stdout
        #expect(dom.contains("id=\"total-queued\">100<"), "\(dom.prefix(3000))\n\(chromium.stderr.suffix(3000))")
        #expect(dom.contains("id=\"total-processed\">100<"))
        #expect(dom.contains("id=\"success-rate\">100.0%<"))
        #expect(dom.contains("id=\"queue-depth\">3<"))
        #expect(dom.contains("id=\"state\" class=\"active\">active<"))
        #expect(dom.contains("id=\"channel-email\""))
        #expect(dom.contains("<rect"), "the throughput chart has bars")
        let consoleErrors = chromium.stderr.split(separator: "\n").filter { $0.contains("CONSOLE") || $0.contains("Uncaught") }
        #expect(consoleErrors.isEmpty, "\(consoleErrors)")
    }
}
