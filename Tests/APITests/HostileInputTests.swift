import Foundation
import Glibc
import Testing

/// The bad-input matrix of issue 8 through notify-apid's real Unix socket, written as raw
/// bytes where curl cannot express the request: oversize and growing bodies, deep JSON,
/// invalid UTF-8, path traversal in every path parameter, control characters in the request
/// line and headers, an absurd URL, HTTP/1.0, pipelining and Content-Length mismatches.
/// Every case gets a JSON error with its status; afterwards the same process (same pid)
/// still answers /health, and nothing was written outside the spool or into incoming/, tmp/.
@Suite(.serialized) struct HostileInputTests {
    static let config = "api_idle_timeout = 1s\napi_body_size_limit = 256k\napi_header_size_limit = 8k"
    /// A name no request may create anywhere: the traversal cases aim at it.
    static let escape = "hostile-escape-" + UUID().uuidString.prefix(8)
    static let sms = #"{"channel":"sms","to":"+14155550123","body":"x"}"#

    struct Case {
        var name: String
        var bytes: [UInt8]
        var statuses: Set<Int>
        init(_ name: String, _ text: String, _ statuses: Set<Int>) { self.init(name, Array(text.utf8), statuses) }
        init(_ name: String, _ bytes: [UInt8], _ statuses: Set<Int>) {
            self.name = name
            self.bytes = bytes
            self.statuses = statuses
        }
    }

    static func post(_ path: String, _ body: [UInt8], method: String = "POST", extra: String = "") -> [UInt8] {
        Array("\(method) \(path) HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n\(extra)Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    static func get(_ target: String, method: String = "GET") -> String {
        "\(method) \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    }

    /// Path parameters that try to leave their directory; each must be refused (400/404/422).
    static var traversalCases: [Case] {
        let payloads = ["..%2F..%2F..%2F\(escape)", "%2e%2e%2f%2e%2e%2f\(escape)", "..%2f\(escape)", "%2e%2e", "..",
                        "%2F\(escape)", "x%00y", "%00", "..%5c..%5c\(escape)", "%2e%2e%2F%2e%2e%2Ftmp%2F\(escape)"]
        var cases: [Case] = []
        for payload in payloads {
            cases.append(Case("job \(payload)", get("/v1/jobs/\(payload)"), [400, 404, 422]))
            cases.append(Case("cancel \(payload)", get("/v1/jobs/\(payload)", method: "DELETE"), [400, 404, 422]))
            cases.append(Case("retry \(payload)", Array(post("/v1/jobs/\(payload)/retry", [])), [400, 404, 422]))
            cases.append(Case("batch \(payload)", get("/v1/batches/\(payload)"), [400, 404, 422]))
            cases.append(Case("inbox user \(payload)", Array(post("/v1/inbox/\(payload)/X1/read", [])), [400, 404, 422]))
            cases.append(Case("inbox id \(payload)", Array(post("/v1/inbox/alice/\(payload)/read", [])), [400, 404, 422]))
            cases.append(Case("inbox delete \(payload)", get("/v1/inbox/alice/\(payload)", method: "DELETE"), [400, 404, 422]))
            cases.append(Case("inbox list \(payload)", get("/v1/inbox/\(payload)"), [400, 404, 422]))
            // A recipient is an address, not a path (webhook URLs hold slashes): its file name
            // is its hex encoding, so "../x" is a harmless recipient; a control character is not.
            let recipient: Set<Int> = payload.contains("%00") ? [422] : [200, 422]
            cases.append(Case("preferences \(payload)", get("/v1/preferences/\(payload)"), recipient))
            cases.append(Case("put preferences \(payload)",
                              post("/v1/preferences/\(payload)", Array(#"{"opt_out":["sms"]}"#.utf8), method: "PUT"), recipient))
        }
        return cases
    }

    static var malformedCases: [Case] {
        let deepArrays = String(repeating: "[", count: 100_000)
        let deepObjects = String(repeating: #"{"a":"#, count: 40_000)
        return [
            Case("deep arrays", post("/v1/notifications", Array(deepArrays.utf8)), [400]),
            Case("deep objects", post("/v1/notifications", Array(deepObjects.utf8)), [400]),
            Case("deep template data", post("/v1/notifications", Array(#"{"template":"t","data":\#(deepArrays)"#.utf8)), [400]),
            Case("deep batch", post("/v1/batches", Array(deepArrays.utf8)), [400]),
            Case("deep batch rows", post("/v1/batches", Array(#"{"template":"t","recipients":\#(deepArrays)"#.utf8)), [400]),
            Case("deep preferences", post("/v1/preferences/alice", Array(deepArrays.utf8), method: "PUT"), [400]),
            Case("invalid UTF-8 body", post("/v1/notifications", [0x7B, 0xFF, 0xFE, 0x7D]), [400]),
            Case("invalid UTF-8 in a string", post("/v1/notifications", Array(#"{"channel":"sms","to":"+14155550123","body":""#.utf8) + [0xC3, 0x28, 0xED, 0xA0, 0x80] + Array(#""}"#.utf8)), [400]),
            Case("invalid UTF-8 in to", post("/v1/notifications", Array(#"{"channel":"sms","to":""#.utf8) + [0xFF] + Array(#"","body":"x"}"#.utf8)), [400]),
            Case("invalid UTF-8 in a batch", post("/v1/batches", Array(#"{"jobs":[{"channel":"sms","to":"+14155550123","body":""#.utf8) + [0xF8, 0x88] + Array(#""}]}"#.utf8)), [400]),
            Case("NUL in a string", post("/v1/notifications", Array(#"{"channel":"inbox","to":"al\u0000ice","body":"x"}"#.utf8)), [422]),
            Case("raw control bytes in JSON", post("/v1/notifications", Array(#"{"channel":"sms","to":"+14155550123","body":"a"#.utf8) + [0x00, 0x0A] + Array(#""}"#.utf8)), [400]),
            Case("invalid UTF-8 in the path", get("/v1/jobs/%FF%FE"), [404]),
            Case("raw byte 0xFF in the path", Array("GET /v1/jobs/".utf8) + [0xFF] + Array(" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8), [400, 404]),
            Case("invalid UTF-8 in the query", get("/v1/jobs?state=%FF&limit=%C3"), [400, 422]),
            Case("invalid UTF-8 in Idempotency-Key", Array("POST /v1/notifications HTTP/1.1\r\nHost: x\r\nConnection: close\r\nIdempotency-Key: a".utf8) + [0xFF, 0xC3]
                 + Array("b\r\nContent-Length: \(sms.utf8.count)\r\n\r\n\(sms)".utf8), [201, 400, 422]),
            Case("NUL in the request line", "GET /health\u{0}x HTTP/1.1\r\nHost: x\r\n\r\n", [400]),
            Case("CR in the request line", "GET /he\rlth HTTP/1.1\r\nHost: x\r\n\r\n", [400]),
            Case("LF in the request line", "GET /he\nlth HTTP/1.1\r\nHost: x\r\n\r\n", [400]),
            Case("NUL in a header value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\u{0}b\r\n\r\n", [400]),
            Case("CR in a header value", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", [400]),
            Case("NUL in a header name", "GET /health HTTP/1.1\r\nHost: x\r\nX\u{0}A: b\r\n\r\n", [400]),
            Case("control byte in Idempotency-Key", Array(post("/v1/notifications", Array(sms.utf8), extra: "Idempotency-Key: a\u{1}\u{7f}b\r\n")), [400, 422]),
            Case("header injection", "GET /health HTTP/1.1\r\nHost: x\r\nX-A: a\r\n\rSet-Cookie: b\r\n\r\n", [400]),
            Case("not HTTP", "\u{16}\u{3}\u{1}\u{0}\u{a5}\u{1}\u{0}\u{0}\u{a1}\u{3}\u{3}", [400]),
            Case("unknown version", "GET /health HTTP/9.9\r\nHost: x\r\n\r\n", [400, 505]),
            Case("long URL", "GET /v1/jobs/" + String(repeating: "a", count: 100_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", [414, 431]),
            Case("long query", "GET /v1/jobs?" + String(repeating: "a=b&", count: 2_500) + " HTTP/1.1\r\nHost: x\r\n\r\n", [414, 431]),
            Case("many headers", "GET /health HTTP/1.1\r\n" + String(repeating: "X-A: b\r\n", count: 5_000) + "\r\n", [431]),
            Case("two Content-Lengths", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\n{}", [400]),
            Case("negative Content-Length", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}", [400]),
            Case("Content-Length not a number", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n{}", [400]),
            Case("Content-Length and chunked", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", [400]),
            Case("bad chunk size", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", [400]),
            Case("huge Content-Length", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n{}", [400, 413]),
            Case("Content-Length over the limit", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n{\"channel\"", [413]),
            Case("Content-Length shorter than the body", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n" + sms, [400]),
            Case("Content-Length longer than the body", "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n" + sms, [408]),
        ]
    }

    @Test func badInputMatrixThroughTheRealSocket() throws {
        let api = try RunningAPI(config: Self.config)
        let pid = api.pid
        let parent = (api.base as NSString).deletingLastPathComponent
        let baseBefore = try listing(api.base, excluding: api.spool)
        var accepted = 0
        for testCase in Self.malformedCases + Self.traversalCases {
            let responses = try RawConnection(path: api.socket).exchange(testCase.bytes)
            let first = try #require(responses.first, "\(testCase.name): no answer")
            #expect(testCase.statuses.contains(first.status), "\(testCase.name): \(first.status) \(first.body)")
            if first.status == 200 || first.status == 201 {
                if first.status == 201 { accepted += 1 }
                try expectStillServing(api, pid: pid, testCase.name)
                continue
            }
            #expect(first.json["error"] is String && first.json["reason"] is String, "\(testCase.name): \(first.body)")
            #expect(first.json["status"] as? Int == first.status, "\(testCase.name): \(first.body)")
            try expectStillServing(api, pid: pid, testCase.name)
        }
        #expect(api.files("incoming").count == accepted)
        #expect(api.files("tmp").isEmpty)
        #expect(try listing(api.base, excluding: api.spool) == baseBefore)
        let escaped = try RunningAPI.run("/usr/bin/find", [parent, "/", "-xdev", "-maxdepth", "4", "-name", Self.escape + "*"])
        #expect(escaped.stdout.isEmpty, "\(escaped.stdout)")
        #expect(!api.log.contains("Fatal error"))
    }

    @Test func bodiesOverTheLimitAre413() throws {
        let api = try RunningAPI(config: Self.config)
        let pid = api.pid
        // A body that really is over api_body_size_limit, sent whole.
        let big = Array(#"{"channel":"email","to":"a@example.com","subject":"s","body":""#.utf8) + [UInt8](repeating: 0x78, count: 300 << 10) + Array("\"}".utf8)
        let whole = try RawConnection(path: api.socket).exchange(Self.post("/v1/notifications", big))
        #expect(whole.first?.status == 413)
        #expect(whole.first?.json["error"] as? String == "body_too_large")
        // A chunked body with no length that grows past the limit.
        let chunked = try RawConnection(path: api.socket)
        chunked.send(Array("POST /v1/notifications HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".utf8))
        let chunk = Array("4000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x4000) + Array("\r\n".utf8)
        for _ in 0..<40 where chunked.send(chunk) {}
        let grown = chunked.responses()
        #expect(grown.first?.status == 413, "\(grown)")
        #expect(grown.first?.json["error"] as? String == "body_too_large")
        try expectStillServing(api, pid: pid, "oversize")
        #expect(api.files("incoming").isEmpty)
        #expect(api.files("tmp").isEmpty)
    }

    @Test func http10AndPipelinedRequests() throws {
        let api = try RunningAPI(config: Self.config)
        let pid = api.pid
        // HTTP/1.0: answered in HTTP/1.0 and closed.
        let old = try RawConnection(path: api.socket).exchange(Array("GET /v1/jobs/%2e%2e HTTP/1.0\r\n\r\n".utf8))
        #expect(old.count == 1)
        #expect(old.first?.version == "HTTP/1.0")
        #expect(old.first?.status == 422)
        let oldPost = try RawConnection(path: api.socket).exchange(Array("POST /v1/notifications HTTP/1.0\r\nContent-Length: \(Self.sms.utf8.count)\r\n\r\n\(Self.sms)".utf8))
        #expect(oldPost.first?.status == 201, "\(oldPost)")
        // Pipelined: every answer, in order, on one connection, bad ones included.
        let pipelined = "GET /v1/jobs/..%2F..%2Fetc HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n{bad}"
            + "GET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
            + "POST /v1/notifications HTTP/1.1\r\nHost: x\r\nContent-Length: \(Self.sms.utf8.count)\r\n\r\n\(Self.sms)"
            + "GET /v1/preferences/%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        let answers = try RawConnection(path: api.socket).exchange(Array(pipelined.utf8))
        #expect(answers.map(\.status) == [422, 400, 404, 201, 422], "\(answers.map(\.body))")
        // Pipelined good requests followed by garbage: the good ones are answered first.
        let garbage = "GET /v1/jobs/%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n" + "GET /v1/jobs/%2e%2e HTTP/1.1\r\nHost: x\r\n\r\n" + "\u{0}\u{1}GARBAGE\r\n\r\n"
        let mixed = try RawConnection(path: api.socket).exchange(Array(garbage.utf8))
        #expect(mixed.map(\.status) == [422, 422, 400], "\(mixed.map(\.body))")
        try expectStillServing(api, pid: pid, "pipelined")
        #expect(api.files("incoming").count == 2)
        #expect(api.files("tmp").isEmpty)
    }

    private func expectStillServing(_ api: RunningAPI, pid: pid_t, _ name: String) throws {
        var status: Int32 = 0
        #expect(waitpid(pid, &status, WNOHANG) == 0, "\(name): notify-apid exited: \(api.log.suffix(2000))")
        #expect(api.pid == pid)
        let health = try RawConnection(path: api.socket).exchange(Array(Self.get("/health").utf8))
        #expect(health.first.map { [200, 503].contains($0.status) } == true, "\(name): /health after it: \(health)")
    }

    /// Every path under `directory` (but not under `excluded`) with its type, apid.log aside.
    private func listing(_ directory: String, excluding excluded: String) throws -> [String] {
        let found = try RunningAPI.run("/usr/bin/find", [directory, "-path", excluded, "-prune", "-o", "-printf", "%p %y\n"])
        return found.stdout.split(separator: "\n").map(String.init).filter { !$0.hasPrefix(directory + "/apid.log") }.sorted()
    }
}
