import Foundation
import Testing

/// The example scripts in contrib/examples queue what they say, with the built
/// notify-enqueue first on PATH and a private spool.
@Suite struct ExampleScriptTests {
    static let examples = #filePath.components(separatedBy: "/Tests/").first! + "/contrib/examples"

    static func run(_ script: String, _ arguments: [String], in spool: TemporarySpool, environment: [String: String] = [:]) throws -> Programs.Result {
        var env = spool.environment
        env["PATH"] = Programs.directory + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
        env.merge(environment) { _, new in new }
        return try Programs.runExternal("/bin/sh", [examples + "/" + script] + arguments, environment: env)
    }

    static func jobIDs(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { $0.count == 26 && $0.allSatisfy { $0.isASCII && ($0.isNumber || $0.isUppercase) } }
    }

    static func channel(of id: String, in spool: TemporarySpool) throws -> String? {
        let shown = try spool.run("notifyctl", ["show", "--json", id])
        return shown.stdout.components(separatedBy: "\"channel\":\"").dropFirst().first?.components(separatedBy: "\"").first
    }

    @Test func cronAlertQueuesAnSMSAndAnEmailWhenTheCommandFails() throws {
        let spool = try TemporarySpool()
        let failed = try Self.run("cron-alert.sh", ["disk-check", "/bin/sh", "-c", "echo disk full; exit 3"], in: spool)
        #expect(failed.status == 3, "\(failed.stderr)")
        let ids = Self.jobIDs(failed.stdout)
        #expect(ids.count == 2, "\(failed.stdout) \(failed.stderr)")
        #expect(try ids.map { try Self.channel(of: $0, in: spool) } == ["sms", "email"])

        let succeeded = try Self.run("cron-alert.sh", ["disk-check", "/bin/true"], in: spool)
        #expect(succeeded.status == 0 && Self.jobIDs(succeeded.stdout).isEmpty)
    }

    @Test func backupFailureQueuesAnEmailAndAWebhook() throws {
        let spool = try TemporarySpool(config: "webhook_endpoint_ops = https://hooks.example.com/ops\n")
        let result = try Self.run("backup-failure.sh", ["/nonexistent-source"], in: spool,
                                  environment: ["BACKUP_TARGET": spool.base + "/nonexistent/target"])
        #expect(result.status != 0)
        let ids = Self.jobIDs(result.stdout)
        #expect(ids.count == 2, "\(result.stdout) \(result.stderr)")
        #expect(try ids.map { try Self.channel(of: $0, in: spool) } == ["email", "webhook"])
    }

    @Test func csvWelcomeQueuesTwoJobsPerRowOnce() throws {
        let spool = try TemporarySpool()
        let repository = #filePath.components(separatedBy: "/Tests/").first!
        try FileManager.default.copyItem(atPath: repository + "/contrib/templates/student_credentials",
                                         toPath: spool.templates + "/student_credentials")
        let csv = spool.base + "/students.csv"
        try """
        name,username,password,email,mobile_number,roll_number
        Asha,asha21,s3cret,asha@example.com,+919876543210,21IT001
        Ravi,ravi21,pa55word,ravi@example.com,+919876543211,21IT002

        """.write(toFile: csv, atomically: true, encoding: .utf8)
        let first = try Self.run("csv-welcome.sh", [csv], in: spool)
        #expect(first.status == 0, "\(first.stderr)")
        let ids = Self.jobIDs(first.stdout)
        #expect(ids.count == 4, "\(first.stdout) \(first.stderr)")
        // The key template makes a second run queue nothing new.
        let again = try Self.run("csv-welcome.sh", [csv], in: spool)
        #expect(again.status == 0)
        #expect(Set(Self.jobIDs(again.stdout)) == Set(ids))
    }
}
