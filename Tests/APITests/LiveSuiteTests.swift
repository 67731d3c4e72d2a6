import Foundation
import Glibc
import Testing

/// notify-apid beside the rest of the suite: notifyd with its agents (the outbox, every
/// channel's default) and notify-statsd, all real processes on one private spool. A job
/// submitted through the API flows to the outbox; its events arrive on the SSE stream;
/// /v1/stats, /metrics, /health and the status page show what notify-statsd folded.
@Suite(.serialized) struct LiveSuiteTests {
    /// notifyd and notify-statsd, started with the API's spool and config.
    final class Daemons {
        var pids: [pid_t] = []
        init(_ api: RunningAPI) throws {
            for program in ["notifyd", "notify-statsd"] {
                let log = open(api.base + "/\(program).log", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
                defer { close(log) }
                pids.append(try Spawn.start(RunningAPI.binaries + "/" + program, [], environment: api.environment, stdout: -1, stderr: log))
            }
        }
        deinit {
            for pid in pids { kill(pid, SIGTERM) }
            for pid in pids { var status: Int32 = 0; waitpid(pid, &status, 0) }
        }
    }

    static func waitFor(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(50_000)
        }
        return condition()
    }

    @Test func jobFlowsWithLiveEventsAndStatistics() throws {
        let api = try RunningAPI()
        let daemons = try Daemons(api)
        defer { _ = daemons }
        #expect(Self.waitFor(10) { FileManager.default.fileExists(atPath: api.spool + "/state/events.sock") })
        // The stream, open before the job exists: every sms event for 8 seconds.
        let streamFile = api.base + "/events.txt"
        let output = open(streamFile, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let watcher = try Spawn.start("/usr/bin/curl", ["-s", "-N", "--unix-socket", api.socket, "--max-time", "8",
                                                        "http://localhost/v1/events?channel=sms"],
                                      environment: api.environment, stdout: output, stderr: -1)
        close(output)
        usleep(700_000)
        let submitted = try api.request("POST", "/v1/notifications",
                                         body: #"{"channel":"sms","to":"+14155550123","body":"live","meta":{"type":"alert"}}"#)
        #expect(submitted.status == 201, "\(submitted.body)")
        let id = try #require((submitted.json["ids"] as? [String])?.first)
        #expect(Self.waitFor(15) { api.files("outbox/sms").contains(id) }, "\(api.files("outbox/sms"))")
        var status: Int32 = 0
        waitpid(watcher, &status, 0)
        let stream = (try? String(contentsOfFile: streamFile, encoding: .utf8)) ?? ""
        for event in ["queued", "attempt", "delivered"] {
            #expect(stream.contains("event: \(event)\ndata: "), "no \(event) in \(stream)")
        }
        #expect(stream.contains(#""id":"\#(id)""#))

        // notify-statsd has folded the delivery; the views agree.
        #expect(Self.waitFor(10) {
            let data = (try? api.request("GET", "/v1/stats"))?.json["data"] as? [String: Any]
            return ((data?["queue_stats"] as? [String: Any])?["total_processed"] as? Int) == 1
        })
        let stats = try api.request("GET", "/v1/stats")
        #expect(stats.status == 200)
        #expect(stats.json["success"] as? Bool == true)
        let queueStats = try #require((stats.json["data"] as? [String: Any])?["queue_stats"] as? [String: Any])
        #expect(queueStats["success_rate"] as? String == "100.0%", "\(queueStats)")
        let metrics = try api.request("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("notifyd_deliveries_total{"), "\(metrics.body.prefix(2000))")
        #expect(metrics.body.contains("notifyd_queue_depth"))
        let page = try api.request("GET", "/")
        #expect(page.status == 200 && page.body.contains("<html") && page.body.contains("v1/stats"))
        let health = try api.request("GET", "/health")
        let components = try #require(health.json["components"] as? [String: Any])
        for name in ["queue_length", "oldest_job", "success_rate", "error_rate", "notifyd", "agents"] {
            #expect((components[name] as? [String: Any])?["ok"] as? Bool == true, "\(name): \(health.body)")
        }
        #expect(health.status == 200, "\(health.body)")
    }

    @Test func statisticsNeedTheReadStatsRight() throws {
        let api = try RunningAPI(config: "api_socket_mode = 0666\napi_access = uid:0 admin; uid:45011 submit")
        for path in ["/v1/stats", "/metrics", "/"] {
            let refused = try api.request("GET", path, asUID: 45011)
            #expect(refused.status == 403, "\(path): \(refused.body)")
            #expect(refused.body.contains("read_stats"))
        }
        #expect(try api.request("GET", "/v1/stats").status == 200)
    }

    @Test func healthFailsPastTheQueueThreshold() throws {
        let api = try RunningAPI(config: "alert_queue_length = 2")
        for n in 0..<3 {
            let made = try api.request("POST", "/v1/notifications", body: #"{"channel":"sms","to":"+14155550123","body":"\#(n)"}"#)
            #expect(made.status == 201)
        }
        // No notifyd runs: the jobs stay queued, and the queue is past its limit (seen
        // once the queue reading shared by /health and the stats, at most 1 s old, renews).
        usleep(1_100_000)
        let health = try api.request("GET", "/health")
        #expect(health.status == 503)
        let queue = try #require((health.json["components"] as? [String: Any])?["queue_length"] as? [String: Any])
        #expect(queue["ok"] as? Bool == false && queue["value"] as? Int == 3, "\(health.body)")
    }
}
