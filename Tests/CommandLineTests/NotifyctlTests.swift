import Foundation
import Testing

@Suite struct NotifyctlTests {
    @Test func listAndShowReadTheSpoolWithoutADaemon() throws {
        let spool = try TemporarySpool()
        let sms = try spool.run("notify-enqueue", ["--channel", "sms", "--to", "+14155550123", "--body", "code 123456", "--priority", "high"]).stdout.trimmingCharacters(in: .newlines)
        let mail = try spool.run("notify-enqueue", ["--channel", "email", "--to", "a@example.com", "--to", "b@example.com", "--subject", "Hi", "--body", "Hello", "--in", "1h", "--meta", "event=signup"]).stdout.trimmingCharacters(in: .newlines)

        let table = try spool.run("notifyctl", ["list"])
        #expect(table.status == 0)
        #expect(table.lines.first?.hasPrefix("ID") == true)
        #expect(table.lines.count == 3)
        #expect(table.stdout.contains(sms) && table.stdout.contains("a@example.com +1"))

        let json = try spool.run("notifyctl", ["list", "--json", "--channel", "email"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(object["id"] as? String == mail)
        #expect(object["state"] as? String == "incoming")
        #expect(object["channel"] as? String == "email")
        #expect(object["attempts"] as? Int == 0)
        #expect(object["next_attempt"] is String)

        let show = try spool.run("notifyctl", ["show", sms])
        #expect(show.stdout.contains("priority:    high"))
        #expect(show.stdout.contains("code 123456"))
        let detail = try spool.run("notifyctl", ["show", "--json", mail])
        #expect(detail.stdout.contains(#""meta":{"event":"signup"}"#))
    }

    @Test func showRejectsBadAndUnknownIDs() throws {
        let spool = try TemporarySpool()
        let traversal = try spool.run("notifyctl", ["show", "../../../etc/passwd"])
        #expect(traversal.status == 65)
        #expect(traversal.stderr.contains("id: not a job ID"))
        let unknown = try spool.run("notifyctl", ["show", "01ARZ3NDEKTSV4RRFFQ69G5FAV"])
        #expect(unknown.status == 65)
        #expect(unknown.stderr.contains("no such job"))
    }

    @Test func listQuarantinesCorruptFilesAndGoesOn() throws {
        let spool = try TemporarySpool()
        let good = try spool.run("notify-enqueue", ["--channel", "inbox", "--to", "ann", "--body", "hi"]).stdout.trimmingCharacters(in: .newlines)
        try "{\"format\":\"notifyd-job\",\"version\":\"9.1\"}".write(toFile: spool.spool + "/incoming/01ARZ3NDEKTSV4RRFFQ69G5FAV", atomically: false, encoding: .utf8)
        let result = try spool.run("notifyctl", ["list", "--json"])
        #expect(result.status == 0)
        #expect(result.lines.count == 1 && result.stdout.contains(good))
        #expect(result.stderr.contains("unsupported job format version 9.1"))
        #expect(spool.files("corrupt") == ["incoming.01ARZ3NDEKTSV4RRFFQ69G5FAV"])
    }
}

/// notify-enqueue parses the one-job options itself; notify-render parses the same options
/// with ArgumentParser. Both must make the same job.
@Suite struct OptionParityTests {
    @Test func bothParsersMakeTheSameJob() throws {
        let spool = try TemporarySpool()
        let body = spool.base + "/body.txt"
        try "from a file\n".write(toFile: body, atomically: true, encoding: .utf8)
        let arguments = ["--channel", "email", "--to", "a@example.com", "--to=b@example.com", "--subject", "S",
                         "--body-file", body, "--priority", "bulk", "--in", "5m", "--ttl=2h", "--idempotency-key", "k1",
                         "--meta", "event=signup", "--meta", "user=42", "--json"]
        let fast = try spool.run("notify-enqueue", arguments)
        var second = arguments
        second[second.firstIndex(of: "k1")!] = "k2"
        let full = try spool.run("notify-render", second)
        #expect(fast.status == 0 && full.status == 0, "\(fast.stderr) \(full.stderr)")
        let jobs = try spool.incomingJobs()
        #expect(jobs.count == 2)
        let ignored: Set<String> = ["id", "created", "submitter", "not_before", "expires", "idempotency_key"]
        let normalized = jobs.map { job in job.filter { !ignored.contains($0.key) } as NSDictionary }
        #expect(normalized[0] == normalized[1])
        #expect(jobs.allSatisfy { $0["not_before"] != nil && $0["expires"] != nil })
    }

    @Test func unknownOptionGetsArgumentParsersUsageMessage() throws {
        let result = try Programs.run("notify-enqueue", ["--chanel", "sms"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("Unknown option '--chanel'"))
        #expect(result.stderr.contains("Usage: notify-enqueue"))
    }
}
