import Foundation
import NotifyCore
import NotifySpool
import NotifyTestSupport
import Testing

/// End to end for each channel: notify-enqueue → notifyd → the channel's agent → a real
/// server on loopback (the provider emulator, aiosmtpd, or the spool's maildirs).
@Suite(.serialized) struct DeliveryAgentTests {
    static func daemon(_ providers: String) throws -> RunningDaemon {
        try RunningDaemon(config: providers + "\nprovider_connect_timeout = 2s\nprovider_timeout = 5s\nqueue_scan_interval = 2s\n")
    }

    /// The job's single status record, once the job is done.
    static func delivered(_ daemon: RunningDaemon, _ id: JobID) throws -> StatusRecord {
        #expect(daemon.wait(id, reaches: .done), "\(daemon.log)")
        #expect(daemon.history(id).outcome == "delivered")
        return try #require(try daemon.store.statusRecords().first { $0.id == id.text })
    }

    @Test func emailThroughSMTP() throws {
        let server = try SMTPTestServer()
        let daemon = try Self.daemon("email_providers = smtp://127.0.0.1:\(server.port)?from=noreply@example.com&tls=none")
        let id = try daemon.enqueue(["--channel", "email", "--to", "ann@example.com", "--subject", "Grüße", "--body", "Hallo"])
        let record = try Self.delivered(daemon, id)
        #expect(record.provider == "smtp://127.0.0.1:\(server.port)")
        #expect(record.code == "250")
        #expect(record.providerID == "<\(id.text)@example.com>")
        #expect(server.messages().count == 1)
        #expect(server.messages().first?.raw.contains("Subject: =?UTF-8?B?") == true)
    }

    @Test func smsThroughTwilio() throws {
        let emulator = try ProviderEmulator()
        let daemon = try Self.daemon("sms_providers = twilio://AC0123:secret-token@+15551234567?base_url=\(emulator.baseURL)")
        let id = try daemon.sms()
        let record = try Self.delivered(daemon, id)
        #expect(record.provider == "twilio://+15551234567")
        #expect(record.providerID?.hasPrefix("SM") == true)
        #expect(emulator.requests("twilio").count == 1)
        // The credential reached neither notifyd's log nor the job's history.
        #expect(!daemon.log.contains("secret-token"))
        #expect(daemon.history(id).events.allSatisfy { !($0.provider ?? "").contains("secret-token") })
    }

    @Test func pushThroughNtfy() throws {
        let emulator = try ProviderEmulator()
        let host = emulator.baseURL.dropFirst("http://".count)
        let daemon = try Self.daemon("push_providers = ntfy://\(host)")
        let id = try daemon.enqueue(["--channel", "push", "--to", "topic:alerts", "--subject", "Disk", "--body", "95% full"])
        let record = try Self.delivered(daemon, id)
        #expect(record.providerID?.hasPrefix("nt") == true)
        #expect(emulator.requests("ntfy").first?.path == "/alerts")
    }

    @Test func webhookToANamedEndpoint() throws {
        let emulator = try ProviderEmulator()
        let daemon = try Self.daemon("""
            webhook_providers = webhook
            webhook_endpoint_billing = \(emulator.baseURL)/hook/billing
            """)
        let id = try daemon.enqueue(["--channel", "webhook", "--to", "billing", "--body", "{\"paid\":true}", "--idempotency-key", "inv-9"])
        let record = try Self.delivered(daemon, id)
        #expect(record.provider == "webhook")
        let request = try #require(emulator.requests("webhook").first)
        #expect(request.headers["idempotency-key"] == "inv-9")
    }

    @Test func inboxIntoTheUsersMaildir() throws {
        let daemon = try Self.daemon("inbox_providers = maildir")
        let id = try daemon.enqueue(["--channel", "inbox", "--to", "alice", "--subject", "Welcome", "--body", "Hello Alice"])
        let record = try Self.delivered(daemon, id)
        let files = try FileManager.default.contentsOfDirectory(atPath: daemon.spool.spool + "/inbox/alice/new")
        #expect(files == [record.providerID])
    }

    @Test func fallbackToTheSecondProviderWhenTheFirstAnswers503() throws {
        let emulator = try ProviderEmulator()
        try emulator.behave(["twilio": ["status": 503]])
        let host = emulator.baseURL.dropFirst("http://".count)
        let daemon = try Self.daemon("""
            sms_providers = twilio://AC1:tok@+15551234567?base_url=\(emulator.baseURL),
                sms+http://user:pw@\(host)/v1/messages?encoding=json&param_to={to}&param_body={body}&id_field=id
            """)
        let id = try daemon.sms()
        let record = try Self.delivered(daemon, id)
        #expect(record.provider == "sms+http://\(host)/v1/…")
        #expect(emulator.requests().map(\.provider) == ["twilio", "bulksms"])
    }
}
