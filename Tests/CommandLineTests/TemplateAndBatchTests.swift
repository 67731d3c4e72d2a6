import Foundation
import Testing

/// Templates render at enqueue time into self-contained jobs, one per channel; batches
/// make one job per channel per row, all-or-nothing per row.
@Suite struct TemplateAndBatchTests {
    /// The seeds' "student credentials" template: one data object, an SMS and an email.
    static func studentCredentials(_ spool: TemporarySpool) throws {
        try spool.writeTemplate("student_credentials", files: [
            "template.conf": """
                channels = sms, email
                sms_to = {{mobile_number}}
                email_to = {{email}}
                email_subject = Your VERSANT login, {{name}}
                """,
            "sms.mustache": "Hi {{name}}, username {{username}}, password {{password}}",
            "email.mustache": "Dear {{name}},\n\nUsername: {{username}}\nPassword: {{password}}\nRoll: {{roll_number}}\n",
            "email.html.mustache": "<p>Dear {{name}}</p>",
        ])
    }

    @Test func templateFansOutToEveryChannel() throws {
        let spool = try TemporarySpool()
        try Self.studentCredentials(spool)
        let data = #"{"name":"Asha <A&B>","username":"asha1","password":"pw","email":"asha@example.com","mobile_number":"+919876543210","roll_number":"21IT001"}"#
        let result = try spool.run("notify-enqueue", ["--template", "student_credentials", "--data", data, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 2)
        let jobs = try spool.incomingJobs().sorted { ($0["channel"] as! String) < ($1["channel"] as! String) }
        #expect(jobs.map { $0["channel"] as! String } == ["email", "sms"])
        #expect(jobs[1]["body"] as? String == "Hi Asha <A&B>, username asha1, password pw")
        #expect(jobs[1]["to"] as? [String] == ["+919876543210"])
        #expect(jobs[0]["subject"] as? String == "Your VERSANT login, Asha <A&B>")
        #expect(jobs[0]["html"] as? String == "<p>Dear Asha &lt;A&amp;B&gt;</p>")
        #expect(jobs[0]["template"] as? String == "student_credentials")
        // One channel of the template only.
        let sms = try spool.run("notify-enqueue", ["--template", "student_credentials", "--data", data, "--channel", "sms"])
        #expect(sms.status == 0)
        #expect(sms.lines.count == 1)
    }

    @Test func csvBatchRoundTripWithRejectedRows() throws {
        let spool = try TemporarySpool()
        try Self.studentCredentials(spool)
        var csv = "name,username,password,email,mobile_number,roll_number\n"
        for row in 1...300 {
            let phone = row == 7 ? "12345" : "+9198765\(String(format: "%05d", row))"
            let email = row == 9 ? "not-an-address" : "s\(row)@example.com"
            csv += "\"Student, \(row)\",u\(row),p\(row),\(email),\(phone),R\(row)\n"
        }
        csv += "short,row\n"
        let file = spool.base + "/students.csv"
        try csv.write(toFile: file, atomically: true, encoding: .utf8)

        let result = try spool.run("notify-enqueue", ["--batch", file, "--template", "student_credentials", "--idempotency-key", "creds-{{roll_number}}"])
        #expect(result.status == 65)
        #expect(result.lines.count == 2 * 298)
        #expect(result.stderr.contains("accepted 298 rows as 596 jobs; rejected 3 rows"))
        #expect(result.stderr.contains("row 7: to: not an E.164 number"))
        #expect(result.stderr.contains("row 9: to:"))
        #expect(result.stderr.contains("row 301: csv: has 2 fields; the header has 6"))
        let jobs = try spool.incomingJobs()
        #expect(jobs.count == 596)
        // All-or-nothing per row: rows 7 and 9 have neither their SMS nor their email.
        let rolls = Set(jobs.compactMap { ($0["idempotency_key"] as? String)?.split(separator: "#").first.map(String.init) })
        #expect(!rolls.contains("creds-R7") && !rolls.contains("creds-R9") && rolls.contains("creds-R8"))
        #expect(Set(jobs.compactMap { $0["batch"] as? String }).count == 1)
        let body = jobs.first { ($0["to"] as? [String]) == ["s5@example.com"] }?["body"] as? String
        #expect(body?.contains("Dear Student, 5,") == true)

        // Re-running the batch with the same key pattern queues nothing new.
        let again = try spool.run("notify-enqueue", ["--batch", file, "--template", "student_credentials", "--idempotency-key", "creds-{{roll_number}}"])
        #expect(again.stderr.contains("accepted 298 rows as 0 jobs (596 more were duplicates of earlier jobs)"))
        #expect(spool.files("incoming").count == 596)
        #expect(Set(again.lines) == Set(result.lines))
    }

    @Test func jsonLinesBatchAndJobsInput() throws {
        let spool = try TemporarySpool()
        try Self.studentCredentials(spool)
        let rows = (1...50).map { #"{"name":"N\#($0)","username":"u","password":"p","email":"n\#($0)@example.com","mobile_number":"+4915112345\#(String(format: "%03d", $0))","roll_number":"\#($0)"}"# }
        let file = spool.base + "/rows.jsonl"
        try (rows.joined(separator: "\n") + "\n\n{broken\n").write(toFile: file, atomically: true, encoding: .utf8)
        let batch = try spool.run("notify-enqueue", ["--batch", file, "--template", "student_credentials", "--priority", "bulk", "--meta", "campaign=fall"])
        #expect(batch.status == 65)
        #expect(batch.stderr.contains("accepted 50 rows as 100 jobs; rejected 1 rows"))
        #expect(batch.stderr.contains("row 51: json: malformed JSON"))
        let jobs = try spool.incomingJobs()
        #expect(jobs.allSatisfy { $0["priority"] as? String == "bulk" })
        #expect(jobs.allSatisfy { ($0["meta"] as? [String: String])?["campaign"] == "fall" })

        let input = """
            [{"channel":"webhook","to":"https://hooks.example.com/x","body":"{\\"a\\":1}","meta":{"event":"signup","user_id":42}},
             {"template":"student_credentials","channel":"sms","data":{"name":"Z","username":"z","password":"p","mobile_number":"+14155550199"}}]
            """
        let jobsResult = try spool.run("notify-enqueue", ["--jobs", "-", "--json"], stdin: input)
        #expect(jobsResult.status == 0, "\(jobsResult.stderr)")
        #expect(jobsResult.lines.count == 2)
        #expect(jobsResult.lines[0].contains(#""channel":"webhook""#))
        #expect(jobsResult.lines[1].contains(#""channel":"sms""#))
    }
}

/// The progress bar appears on a terminal and nowhere else.
@Suite struct ProgressBarTests {
    @Test func barOnATerminalNothingWhenPiped() throws {
        let spool = try TemporarySpool(config: "batch_group_size = 50")
        let rows = (1...400).map { #"{"channel":"inbox","to":"u\#($0)","body":"hi"}"# }.joined(separator: "\n")
        let file = spool.base + "/rows.jsonl"
        try rows.write(toFile: file, atomically: true, encoding: .utf8)
        let command = "\(Programs.path("notify-enqueue")) --jobs \(file) >/dev/null"
        // script(1) gives the program a pseudo-terminal and copies what it draws.
        let terminal = try Programs.runExternal("/usr/bin/script", ["-q", "-e", "-c", command, "/dev/null"], environment: spool.environment)
        #expect(terminal.status == 0, "\(terminal.stderr)")
        #expect(terminal.stdout.contains("%  "), "\(terminal.stdout)")
        #expect(terminal.stdout.contains("/400 rows"))
        #expect(terminal.stdout.contains("accepted 400 rows as 400 jobs"))

        let piped = try spool.run("notify-enqueue", ["--jobs", file])
        #expect(piped.status == 0)
        #expect(!piped.stderr.contains("\r"))
        #expect(!piped.stderr.contains("%"))
    }
}
