import Foundation
import Testing

/// The bad-input matrix: every rejection names the field, exits with the documented code,
/// and leaves nothing in the spool.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var arguments: [String]
        var stdin: String? = nil
        var status: Int32
        var message: String
        var testDescription: String {
            arguments.map { $0.count > 40 ? String($0.prefix(20)) + "…(\($0.count) characters)" : $0 }
                .joined(separator: " ").replacingOccurrences(of: "\r\n", with: "\\r\\n")
        }
    }

    static let cases: [Case] = [
        Case(arguments: ["--channel", "fax", "--to", "x", "--body", "b"], status: 65, message: "channel: unknown channel \"fax\""),
        Case(arguments: ["--to", "+14155550123", "--body", "b"], status: 65, message: "channel: required"),
        Case(arguments: ["--channel", "sms", "--body", "b"], status: 65, message: "to: required"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123"], status: 65, message: "body: required"),
        Case(arguments: ["--channel", "sms", "--to", "98765 43210", "--body", "b"], status: 65, message: "to: not an E.164 number"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--to", "12", "--body", "b"], status: 65, message: "to[1]:"),
        Case(arguments: ["--channel", "email", "--to", "a@@example.com", "--subject", "s", "--body", "b"], status: 65, message: "to:"),
        Case(arguments: ["--channel", "email", "--to", "Ann <a@example.com>", "--subject", "s", "--body", "b"], status: 65, message: "to:"),
        Case(arguments: ["--channel", "email", "--to", "a@example.com", "--body", "b"], status: 65, message: "subject: required for email"),
        Case(arguments: ["--channel", "email", "--to", "a@example.com", "--subject", "a\r\nBcc: x@y.z", "--body", "b"], status: 65, message: "subject: must be one line"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", String(repeating: "ç", count: 700)], status: 65, message: "body:"),
        Case(arguments: ["--channel", "push", "--to", "tok", "--body", String(repeating: "x", count: 5000)], status: 65, message: "body:"),
        Case(arguments: ["--channel", "push", "--to", "../../etc", "--body", "b"], status: 65, message: "to: not a push token"),
        Case(arguments: ["--channel", "inbox", "--to", "../root", "--body", "b"], status: 65, message: "to:"),
        Case(arguments: ["--channel", "webhook", "--to", "ftp://example.com/x", "--body", "{}"], status: 65, message: "to:"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--priority", "urgent"], status: 65, message: "priority: unknown priority \"urgent\""),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--at", "2026-12-01 09:00"], status: 65, message: "send_at:"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--at", "2026-12-01T09:00:00"], status: 65, message: "send_at:"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--in", "10 parsecs"], status: 65, message: "delay:"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--in", "1m", "--ttl", "30s"], status: 65, message: "ttl: must be later than the send time"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--in", "30d"], status: 65, message: "delay: later than the channel's maximal lifetime"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--idempotency-key", String(repeating: "k", count: 101)], status: 65, message: "idempotency_key:"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--meta", "novalue"], status: 65, message: "meta: expected key=value"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--meta", "bad key=1"], status: 65, message: "meta.bad key:"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body-file", "/nonexistent/file"], status: 66, message: "body-file: /nonexistent/file: No such file or directory"),
        Case(arguments: ["--channel", "sms", "--to", "+14155550123", "--body", "b", "--body-file", "/etc/hostname"], status: 65, message: "body: give --body or --body-file, not both"),
        Case(arguments: ["--channle", "sms"], status: 64, message: "Unknown option '--channle'"),
        Case(arguments: ["--jobs", "-"], stdin: "{\"channel\": \"sms\", ", status: 65, message: "jobs: malformed JSON"),
        Case(arguments: ["--jobs", "-"], stdin: "{\"channel\":\"sms\",\"to\":\"+14155550123\",\"body\":\"b\",\"colour\":\"red\"}", status: 65, message: "colour: unknown field"),
        Case(arguments: ["--jobs", "-"], stdin: "{\"channel\":\"sms\",\"to\":5,\"body\":\"b\"}", status: 65, message: "to: expected a string or an array of strings, got a number"),
        Case(arguments: ["--jobs", "-"], stdin: "[1]", status: 65, message: "input: expected a JSON object, got a number"),
        Case(arguments: ["--template", "nosuch", "--data", "{}"], status: 65, message: "template: no template \"nosuch\""),
        Case(arguments: ["--template", "../etc", "--data", "{}"], status: 65, message: "template: not a template name"),
        Case(arguments: ["--batch", "rows.csv"], status: 64, message: "--batch, --data and --data-file need --template"),
    ]

    @Test(arguments: cases)
    func rejected(_ input: Case) throws {
        let spool = try TemporarySpool()
        let result = try spool.run("notify-enqueue", input.arguments, stdin: input.stdin)
        #expect(result.status == input.status, "stderr: \(result.stderr)")
        #expect(result.stderr.contains(input.message), "stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty || input.arguments.contains("--jobs"))
        #expect(spool.files("incoming").isEmpty)
        #expect(spool.files("tmp").isEmpty)
    }

    @Test func badConfigNamesFileLineAndKey() throws {
        let spool = try TemporarySpool()
        try "idempotency_window = 1h\nsms_max_segmnts = 3\n".write(toFile: spool.config, atomically: true, encoding: .utf8)
        let result = try spool.run("notify-enqueue", ["--channel", "sms", "--to", "+14155550123", "--body", "b"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("\(spool.config):2: sms_max_segmnts: unknown parameter"))
    }

    @Test func missingSpoolSaysHowToCreateIt() throws {
        let result = try Programs.run("notify-enqueue", ["--spool", "/nonexistent/spool", "--channel", "sms", "--to", "+14155550123", "--body", "b"])
        #expect(result.status == 73)
        #expect(result.stderr.contains("notifyctl init"))
    }
}
