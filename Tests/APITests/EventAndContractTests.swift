import Foundation
import Glibc
import NotifyAPI
import NotifySpool
import Testing

/// The SSE relay's parser and filter, fed by a real Unix socket server the test starts at
/// state/events.sock. This stands in for notify-statsd (which lands on another branch):
/// it is a unit test of the relay, not the end-to-end test through notifyd and an agent.
@Suite(.serialized) struct EventAndContractTests {
    @Test func eventStreamFiltersRelayedLines() throws {
        let api = try RunningAPI()
        let path = try Spool.open(api.spool).eventHubSocketPath
        let listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener); unlink(path) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path.utf8) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        listen(listener, 4)
        let lines = [
            #"{"v":1,"event":"queued","id":"01M7ZEC7A41ZWQR9G8AG2P1694","channel":"sms","at":1}"#,
            #"{"v":1,"event":"queued","id":"01M7ZEC7A41ZWQR9G8AG2P1695","channel":"email","at":2}"#,
            "not json",
            #"{"v":1,"event":"delivered","id":"01M7ZEC7A41ZWQR9G8AG2P1694","channel":"sms","at":3}"#,
        ]
        let feeder = Thread {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            usleep(300_000)
            let text = lines.joined(separator: "\n") + "\n"
            _ = Array(text.utf8).withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
            usleep(1_500_000)
            close(client)
        }
        feeder.start()
        let result = try RunningAPI.run("/usr/bin/curl", ["-s", "-N", "--unix-socket", api.socket, "--max-time", "2",
                                                          "http://localhost/v1/events?channel=sms"])
        #expect(result.stdout.contains("event: queued\ndata: " + lines[0] + "\n\n"), "\(result.stdout)")
        #expect(result.stdout.contains("event: delivered\ndata: " + lines[3]))
        #expect(!result.stdout.contains("email"))
        #expect(!result.stdout.contains("not json"))
    }

    @Test func filterAndSplitter() throws {
        var splitter = LineSplitter(limit: 10)
        #expect(splitter.feed(Array("ab\ncd".utf8)) == [Array("ab".utf8)])
        #expect(splitter.feed(Array("e\n0123456789012\nz\n".utf8)) == [Array("cde".utf8), Array("z".utf8)])
        let filter = try EventFilter(query: ["job": "01M7ZEC7A41ZWQR9G8AG2P1694"])
        #expect(filter.frame(for: Array(#"{"event":"failed","id":"01M7ZEC7A41ZWQR9G8AG2P1694","channel":"sms"}"#.utf8)) != nil)
        #expect(filter.frame(for: Array(#"{"event":"failed","id":"01M7ZEC7A41ZWQR9G8AG2P1695","channel":"sms"}"#.utf8)) == nil)
        #expect(throws: (any Error).self) { try EventFilter(query: ["channel": "fax"]) }
    }

    /// The routes notify-apid serves are exactly the paths and methods of openapi.yaml.
    @Test func openAPIListsEveryRoute() throws {
        let repository = #filePath.components(separatedBy: "/Tests/").first!
        let text = try String(contentsOfFile: repository + "/openapi.yaml", encoding: .utf8)
        var documented: Set<String> = []
        var current: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /"), line.hasSuffix(":") { current = String(line.dropFirst(2).dropLast()) ; continue }
            if !line.hasPrefix("  ") && !line.isEmpty { current = nil }
            if let current, line.hasPrefix("    "), !line.hasPrefix("     "),
               let method = ["get", "post", "put", "delete", "patch"].first(where: { line == "    \($0):" }) {
                documented.insert(method.uppercased() + " " + current)
            }
        }
        let served = Set(APIRouter.table.map { "\($0.method) \($0.pattern)" })
        #expect(documented == served, "only documented: \(documented.subtracting(served)); only served: \(served.subtracting(documented))")
    }

    @Test func routerMatches() {
        #expect(APIRouter.match(method: "GET", path: "/v1/inbox/alice/count") == .route(.countInbox, parameters: ["user": "alice"]))
        #expect(APIRouter.match(method: "POST", path: "/v1/inbox/alice/m1/read") == .route(.readInboxMessage, parameters: ["user": "alice", "id": "m1"]))
        #expect(APIRouter.match(method: "GET", path: "/v1/preferences/%2B1415") == .route(.showPreferences, parameters: ["recipient": "+1415"]))
        #expect(APIRouter.match(method: "PUT", path: "/v1/jobs") == .methodNotAllowed(allowed: ["GET"]))
    }
}
