import Foundation
import Glibc
import NotifyAPI
import NotifyTestSupport
import Testing

/// Bad input, peer credentials, limits, group commit, socket activation and readiness.
@Suite(.serialized) struct ServerBehaviourTests {
    static let badInput: [(body: String, status: Int, field: String)] = [
        ("{not json", 400, "body"),
        (#"[1,2]"#, 400, "body"),
        (#"{"channel":"sms","to":"+14155550123","body":"x","colour":"red"}"#, 400, "colour"),
        (#"{"channel":"fax","to":"+14155550123","body":"x"}"#, 422, "channel"),
        (#"{"channel":"sms","to":"0123","body":"x"}"#, 422, "to"),
        (#"{"channel":"email","to":"not-an-address","subject":"s","body":"x"}"#, 422, "to"),
        (#"{"channel":"email","to":"a@example.com","body":"x"}"#, 422, "subject"),
        (#"{"channel":"sms","to":"+14155550123"}"#, 422, "body"),
        (#"{"channel":"sms","to":"+14155550123","body":"x","priority":"urgent"}"#, 422, "priority"),
        (#"{"channel":"sms","to":"+14155550123","body":"x","callback_url":"ftp://x"}"#, 422, "callback_url"),
        (#"{"channel":"sms","to":42,"body":"x"}"#, 400, "to"),
        (#"{"template":"missing","data":{}}"#, 422, "template"),
    ]

    @Test func badInputMatrix() throws {
        let api = try RunningAPI()
        for (body, status, field) in Self.badInput {
            let response = try api.request("POST", "/v1/notifications", body: body)
            #expect(response.status == status, "\(body) → \(response.body)")
            #expect(response.json["field"] as? String == field, "\(body) → \(response.body)")
            #expect(response.json["reason"] as? String != nil)
        }
        let oversize = #"{"channel":"sms","to":"+14155550123","body":""# + String(repeating: "x", count: 5000) + "\"}"
        #expect(try api.request("POST", "/v1/notifications", body: oversize).json["field"] as? String == "body")
        #expect(api.files("incoming").isEmpty)
        #expect(api.files("tmp").isEmpty)
    }

    @Test func peerCredentialPolicy() throws {
        let api = try RunningAPI(config: """
            api_socket_mode = 0666
            api_access = uid:0 admin; uid:45001 submit:sms read_own inbox:alice; uid:45002 read_own
            """)
        chmod(api.spool, 0o755)
        let sms = #"{"channel":"sms","to":"+14155550123","body":"x"}"#
        let email = #"{"channel":"email","to":"a@example.com","subject":"s","body":"x"}"#
        let mine = try api.request("POST", "/v1/notifications", body: sms, asUID: 45001)
        #expect(mine.status == 201, "\(mine.body)")
        let id = try #require((mine.json["ids"] as? [String])?.first)
        #expect(try api.request("GET", "/v1/jobs/\(id)").json["submitter"].flatMap { ($0 as? [String: Any])?["uid"] as? Int } == 45001)
        let refused = try api.request("POST", "/v1/notifications", body: email, asUID: 45001)
        #expect(refused.status == 403)
        #expect((refused.json["reason"] as? String)?.contains("channel email") == true)
        #expect(try api.request("POST", "/v1/notifications", body: sms, asUID: 45002).status == 403)
        #expect(try api.request("GET", "/v1/jobs/\(id)", asUID: 45001).status == 200)
        #expect(try api.request("GET", "/v1/jobs/\(id)", asUID: 45002).status == 403)  // not its job
        #expect(try api.request("DELETE", "/v1/jobs/\(id)", asUID: 45002).status == 403)
        #expect(try api.request("GET", "/v1/jobs/\(id)", asUID: 45003).status == 403)  // no rights at all
        #expect(try api.request("GET", "/v1/inbox/alice/count", asUID: 45001).status == 200)
        #expect(try api.request("GET", "/v1/inbox/bob/count", asUID: 45001).status == 403)
        #expect(try api.request("GET", "/v1/preferences/x", asUID: 45001).status == 403)
        #expect(api.log.contains("request refused"))
        #expect(api.log.contains("PEER_UID=45002"))
    }

    @Test func limitsCutOffBadClientsWithoutHurtingOthers() throws {
        let api = try RunningAPI(config: "api_idle_timeout = 1s\napi_body_size_limit = 64k\napi_header_size_limit = 4k")
        // A slow-loris client: half a request line, then nothing.
        let slow = try RawConnection(path: api.socket)
        slow.send("POST /v1/notifications HTTP/1.1\r\nHost: x\r\n")
        // Meanwhile others are served.
        #expect(try api.request("POST", "/v1/notifications", body: #"{"channel":"sms","to":"+14155550123","body":"x"}"#).status == 201)
        let start = Date()
        let answer = String(decoding: slow.readAll(), as: UTF8.self)
        #expect(Date().timeIntervalSince(start) < 5)
        #expect(answer.isEmpty || answer.contains("408"), "\(answer)")
        // Oversize body and headers.
        let big = #"{"channel":"sms","to":"+14155550123","body":""# + String(repeating: "x", count: 70_000) + "\"}"
        let tooLarge = try api.request("POST", "/v1/notifications", body: big)
        #expect(tooLarge.status == 413)
        #expect(tooLarge.json["error"] as? String == "body_too_large")
        let headers = try api.request("GET", "/health", headers: ["X-Filler: " + String(repeating: "y", count: 5000)])
        #expect(headers.status == 431)
        #expect(try api.request("GET", "/health").status == 503)  // still serving
    }

    @Test func connectionLimit() throws {
        let api = try RunningAPI(config: "api_connection_limit = 2")
        let held = try (0..<2).map { _ in try RawConnection(path: api.socket) }
        usleep(100_000)
        let refused = try api.request("GET", "/health")
        #expect(refused.status == 503)
        #expect(refused.json["error"] as? String == "overloaded")
        _ = held
    }

    @Test func groupCommitManyConcurrentClients() throws {
        let api = try RunningAPI()
        let count = 400
        var arguments = ["-s", "--unix-socket", api.socket, "--parallel", "--parallel-max", "64", "-X", "POST",
                         "-H", "Content-Type: application/json", "--data-binary", #"{"channel":"sms","to":"+14155550123","body":"x"}"#,
                         "-w", "\n%{http_code}\n"]
        arguments += Array(repeating: "http://localhost/v1/notifications", count: count)
        let result = try RunningAPI.run("/usr/bin/curl", arguments)
        let statuses = result.stdout.split(separator: "\n").filter { $0 == "201" }
        #expect(statuses.count == count)
        var ids: [String] = []
        for line in result.stdout.split(separator: "\n") where line.hasPrefix("{") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            ids += object?["ids"] as? [String] ?? []
        }
        #expect(ids.count == count)
        #expect(Set(ids).count == count)
        #expect(Set(api.files("incoming")) == Set(ids))
    }

    @Test func socketActivationAndReadiness() throws {
        let api = try RunningAPI(start: false)
        let notify = try DatagramListener()
        try api.start(executable: "/usr/bin/systemd-socket-activate",
                      arguments: ["-l", api.socket, "-E", "NOTIFY_SOCKET=\(notify.path)", "-E", "NOTIFYD_SPOOL=\(api.spool)",
                                  "-E", "NOTIFYD_CONFIG=\(api.config)", RunningAPI.binaries + "/notify-apid"])
        let submitted = try api.request("POST", "/v1/notifications", body: #"{"channel":"sms","to":"+14155550123","body":"x"}"#)
        #expect(submitted.status == 201)
        var messages: [String] = []
        while let message = notify.receive() {
            messages.append(message)
            if message.contains("READY=1") { break }
        }
        #expect(messages.contains { $0.contains("READY=1") }, "\(messages)")
    }

    /// SIGHUP re-reads the configuration: a new access policy applies to the next request,
    /// systemd hears RELOADING=1 then READY=1, a key that needs a restart is named, and a
    /// broken file is not taken.
    @Test func sighupReloadsTheConfiguration() throws {
        let api = try RunningAPI(config: "api_socket_mode = 0666\napi_access = uid:0 admin", start: false)
        let notify = try DatagramListener()
        try api.start(extra: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.receive()?.contains("READY=1") == true)
        chmod(api.spool, 0o755)
        let sms = #"{"channel":"sms","to":"+14155550123","body":"x"}"#
        #expect(try api.request("POST", "/v1/notifications", body: sms, asUID: 45001).status == 403)

        func reload(_ text: String, until line: String) throws {
            try (text + "\ntemplate_directory = \(api.templates)\n").write(toFile: api.config, atomically: true, encoding: .utf8)
            let before = api.log.components(separatedBy: line).count
            kill(api.pid, SIGHUP)
            for _ in 0..<250 where api.log.components(separatedBy: line).count == before { usleep(20_000) }
            #expect(api.log.components(separatedBy: line).count > before, "\(api.log)")
        }
        try reload("api_socket_mode = 0666\napi_access = uid:0 admin; uid:45001 submit:sms\napi_commit_threads = 2",
                   until: "configuration reloaded")
        var messages: [String] = []
        while let message = notify.receive() {
            messages.append(message)
            if message.contains("READY=1") { break }
        }
        #expect(messages.first?.contains("RELOADING=1") == true, "\(messages)")
        #expect(messages.last?.contains("READY=1") == true, "\(messages)")
        #expect(try api.request("POST", "/v1/notifications", body: sms, asUID: 45001).status == 201)
        #expect(api.log.contains("some changes need a restart"))
        #expect(api.log.contains("api_commit_threads"))

        try reload("api_access = uid:0 admin; uid:45001 fly", until: "configuration not reloaded")
        #expect(api.log.contains("api_access"))
        #expect(try api.request("POST", "/v1/notifications", body: sms, asUID: 45001).status == 201)  // the old policy stays
        var status: Int32 = 0
        #expect(waitpid(api.pid, &status, WNOHANG) == 0)
    }

    @Test func readinessWhenListeningByItself() throws {
        let api = try RunningAPI(start: false)
        let notify = try DatagramListener()
        try api.start(extra: ["NOTIFY_SOCKET": notify.path])
        #expect(notify.receive()?.contains("READY=1") == true)
    }
}

/// A real full disk: the spool on a small tmpfs the test mounts (root). Submissions get 503
/// with Retry-After, nothing half-written stays, and every acknowledged job is complete.
@Suite(.enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
struct APIDiskFullTests {
    @Test func fullDiskIs503WithRetryAfterAndNothingHalfWritten() throws {
        let api = try RunningAPI(tmpfsKilobytes: 1024)
        let body = String(repeating: "x", count: 3000)
        var accepted: [String] = []
        var last: RunningAPI.Response?
        for _ in 0..<2000 {
            let response = try api.request("POST", "/v1/notifications", body: #"{"channel":"inbox","to":"u","body":"\#(body)"}"#,
                                           extra: ["-D", "/dev/shm/notifyd-api-headers-\(getpid())"])
            last = response
            guard response.status == 201 else { break }
            accepted += response.json["ids"] as? [String] ?? []
        }
        let failure = try #require(last)
        #expect(failure.status == 503, "\(failure.body)")
        #expect((failure.json["reason"] as? String)?.contains("No space left on device") == true)
        let headers = try String(contentsOfFile: "/dev/shm/notifyd-api-headers-\(getpid())", encoding: .utf8)
        #expect(headers.lowercased().contains("retry-after: 5"))
        unlink("/dev/shm/notifyd-api-headers-\(getpid())")
        #expect(api.files("tmp").isEmpty)
        #expect(api.files("incoming") == accepted.sorted())
        #expect(!accepted.isEmpty)
    }
}
