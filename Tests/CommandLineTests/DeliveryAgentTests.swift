import Foundation
import NotifyCore
import NotifySpool
import NotifyTestSupport
import Testing

/// End to end for each channel: notify-enqueue → notifyd → the channel's agent → a real
/// server on loopback (the provider emulator, aiosmtpd, or the spool's maildirs). Each
/// test checks the exact request the server got and the job's done record.
@Suite(.serialized) struct DeliveryAgentTests {
    static func daemon(_ providers: String) throws -> RunningDaemon {
        try RunningDaemon(config: providers + "\nprovider_connect_timeout = 2s\nprovider_timeout = 5s\nqueue_scan_interval = 2s\n")
    }

    /// The job's single status record, once the job is done: delivered by `provider`,
    /// which the history's attempt names too.
    static func delivered(_ daemon: RunningDaemon, _ id: JobID, by provider: String) throws -> StatusRecord {
        #expect(daemon.wait(id, reaches: .done), "\(daemon.log)")
        let history = daemon.history(id)
        #expect(history.outcome == "delivered")
        #expect(history.events.filter { $0.event == .attempt }.map(\.provider) == [provider])
        let records = try daemon.store.statusRecords().filter { $0.id == id.text }
        #expect(records.count == 1)
        let record = try #require(records.first)
        #expect(record.result == "delivered")
        #expect(record.provider == provider)
        return record
    }

    /// The one request `provider` got from the emulator, which found nothing wrong with it.
    static func onlyRequest(_ emulator: ProviderEmulator, _ provider: String) throws -> ProviderEmulator.Request {
        let requests = emulator.requests(provider)
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.violation == nil)
        #expect(request.method == "POST")
        return request
    }

    /// A form-encoded body as a dictionary.
    static func form(_ body: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map {
                $0.replacing("+", with: " ").removingPercentEncoding ?? ""
            }
            fields[parts[0]] = parts.count > 1 ? parts[1] : ""
        }
        return fields
    }

    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }

    @Test func emailThroughSMTP() throws {
        let server = try SMTPTestServer()
        let daemon = try Self.daemon("email_providers = smtp://127.0.0.1:\(server.port)?from=noreply@example.com&tls=none")
        let id = try daemon.enqueue(["--channel", "email", "--to", "ann@example.com", "--subject", "Grüße", "--body", "Hallo",
                                     "--idempotency-key", "mail-7"])
        let record = try Self.delivered(daemon, id, by: "smtp://127.0.0.1:\(server.port)")
        #expect(record.code == "250")
        #expect(record.providerID == "<\(id.text)@example.com>")
        let messages = server.messages()
        #expect(messages.count == 1)
        let message = try #require(messages.first)
        #expect(message.envelope["from"] as? String == "noreply@example.com")
        #expect(message.envelope["to"] as? [String] == ["ann@example.com"])
        let headers = message.raw.components(separatedBy: "\r\n")
        #expect(headers.contains("To: ann@example.com"))
        #expect(headers.contains("Message-ID: <\(id.text)@example.com>"))
        #expect(headers.contains("Idempotency-Key: mail-7"))
        #expect(headers.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
        #expect(headers.contains(Data("Hallo".utf8).base64EncodedString()), "the text part, base64")
    }

    /// An email job through an HTTP email API provider on the emulator: the request it got.
    static func emailThroughAPI(_ scheme: String, key: String, provider: String) throws -> (ProviderEmulator.Request, StatusRecord) {
        let emulator = try ProviderEmulator()
        let daemon = try Self.daemon("email_providers = \(scheme)://\(key)@/?from=noreply@example.com&base_url=\(emulator.baseURL)")
        let id = try daemon.enqueue(["--channel", "email", "--to", "ann@example.com", "--subject", "Invoice", "--body", "Paid",
                                     "--idempotency-key", "inv-3"])
        let record = try Self.delivered(daemon, id, by: "\(scheme)://")
        let request = try Self.onlyRequest(emulator, provider)
        #expect(!daemon.log.contains(key))
        return (request, record)
    }

    @Test func emailThroughBrevo() throws {
        let (request, record) = try Self.emailThroughAPI("brevo", key: "xkeysib-test", provider: "brevo")
        #expect(record.code == "201")
        #expect(record.providerID?.hasSuffix("@smtp-relay.mailin.fr>") == true)
        #expect(request.path == "/v3/smtp/email")
        #expect(request.headers["api-key"] == "xkeysib-test")
        let body = try #require(request.json as? [String: Any])
        #expect(body["sender"] as? [String: String] == ["email": "noreply@example.com"])
        #expect(body["to"] as? [[String: String]] == [["email": "ann@example.com"]])
        #expect(body["subject"] as? String == "Invoice")
        #expect(body["textContent"] as? String == "Paid")
        #expect(body["headers"] as? [String: String] == ["Idempotency-Key": "inv-3"])
    }

    @Test func emailThroughSendGrid() throws {
        let (request, record) = try Self.emailThroughAPI("sendgrid", key: "SG.key", provider: "sendgrid")
        #expect(record.code == "202")
        #expect(record.providerID?.hasPrefix("sg") == true, "the X-Message-Id answered")
        #expect(request.path == "/v3/mail/send")
        #expect(request.headers["authorization"] == "Bearer SG.key")
        let body = try #require(request.json as? [String: Any])
        #expect(body["from"] as? [String: String] == ["email": "noreply@example.com"])
        #expect(body["personalizations"] as? [[String: [[String: String]]]] == [["to": [["email": "ann@example.com"]]]])
        #expect(body["subject"] as? String == "Invoice")
        #expect(body["content"] as? [[String: String]] == [["type": "text/plain", "value": "Paid"]])
        #expect(body["headers"] as? [String: String] == ["Idempotency-Key": "inv-3"])
    }

    @Test func smsThroughTwilio() throws {
        let emulator = try ProviderEmulator()
        let daemon = try Self.daemon("sms_providers = twilio://AC0123:secret-token@+15551234567?base_url=\(emulator.baseURL)")
        let id = try daemon.sms(nil, ["--idempotency-key", "otp-42"])
        let record = try Self.delivered(daemon, id, by: "twilio://+15551234567")
        #expect(record.code == "201")
        let request = try Self.onlyRequest(emulator, "twilio")
        #expect(record.providerID?.hasPrefix("SM") == true)
        #expect(request.path == "/2010-04-01/Accounts/AC0123/Messages.json")
        #expect(request.headers["authorization"] == Self.basic("AC0123", "secret-token"))
        #expect(request.headers["i-twilio-idempotency-token"] == "otp-42")
        #expect(Self.form(request.body) == ["To": "+14155550123", "From": "+15551234567", "Body": "code 123456"])
        // The credential reached neither notifyd's log nor the job's history.
        #expect(!daemon.log.contains("secret-token"))
        #expect(daemon.history(id).events.allSatisfy { !($0.provider ?? "").contains("secret-token") })
    }

    @Test func pushThroughNtfy() throws {
        let emulator = try ProviderEmulator()
        let host = emulator.baseURL.dropFirst("http://".count)
        let daemon = try Self.daemon("push_providers = ntfy://\(host)?token=tk_secret")
        let id = try daemon.enqueue(["--channel", "push", "--to", "topic:alerts", "--subject", "Disk", "--body", "95% full",
                                     "--meta", "priority=high"])
        let record = try Self.delivered(daemon, id, by: "ntfy://\(host)")
        let request = try Self.onlyRequest(emulator, "ntfy")
        #expect(record.providerID?.hasPrefix("nt") == true)
        #expect(request.path == "/alerts")
        #expect(request.headers["authorization"] == "Bearer tk_secret")
        #expect(request.headers["x-idempotency-key"] == id.text, "without a key of its own, the job's ID")
        #expect(request.headers["title"] == "Disk")
        #expect(request.headers["priority"] == "high")
        #expect(request.body == "95% full")
    }

    @Test func pushThroughFCM() throws {
        let emulator = try ProviderEmulator()
        let keyFile = NSTemporaryDirectory() + "notifyd-fcm-" + UUID().uuidString + ".json"
        try emulator.fcmServiceAccount(project: "demo-project").write(toFile: keyFile, atomically: true, encoding: .utf8)
        defer { unlink(keyFile) }
        let daemon = try Self.daemon("push_providers = fcm://demo-project?key_file=\(keyFile)&base_url=\(emulator.baseURL)")
        let id = try daemon.enqueue(["--channel", "push", "--to", "device-token-1", "--subject", "Hi", "--body", "there",
                                     "--meta", "order=17"])
        let record = try Self.delivered(daemon, id, by: "fcm://demo-project")
        #expect(record.code == "200")
        #expect(record.providerID?.hasPrefix("projects/demo-project/messages/") == true)
        let exchange = try Self.onlyRequest(emulator, "oauth")
        #expect(exchange.path == "/token")
        let send = try Self.onlyRequest(emulator, "fcm")
        #expect(send.path == "/v1/projects/demo-project/messages:send")
        #expect(Self.form(exchange.body)["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
        #expect(send.headers["authorization"]?.hasPrefix("Bearer ya29.") == true, "the token minted by the exchange")
        let message = try #require((send.json as? [String: Any])?["message"] as? [String: Any])
        #expect(message["token"] as? String == "device-token-1")
        #expect(message["notification"] as? [String: String] == ["title": "Hi", "body": "there"])
        #expect(message["data"] as? [String: String] == ["order": "17"])
        #expect(!daemon.log.contains("PRIVATE KEY"))
    }

    @Test func webhookToANamedEndpoint() throws {
        let emulator = try ProviderEmulator()
        let daemon = try Self.daemon("""
            webhook_providers = webhook
            webhook_endpoint_billing = \(emulator.baseURL)/hook/billing
            """)
        let id = try daemon.enqueue(["--channel", "webhook", "--to", "billing", "--body", "{\"paid\":true}", "--idempotency-key", "inv-9"])
        let record = try Self.delivered(daemon, id, by: "webhook")
        #expect(record.code == "200")
        #expect(record.providerID?.hasPrefix("wh") == true, "the X-Request-Id answered")
        let request = try Self.onlyRequest(emulator, "webhook")
        #expect(request.path == "/hook/billing")
        #expect(request.headers["idempotency-key"] == "inv-9")
        #expect(request.headers["x-notifyd-job"] == id.text)
        let body = try #require(request.json as? [String: Any])
        #expect(body["id"] as? String == id.text)
        #expect(body["body"] as? String == "{\"paid\":true}")
        #expect(body["idempotency_key"] as? String == "inv-9")
    }

    @Test func inboxIntoTheUsersMaildir() throws {
        let daemon = try Self.daemon("inbox_providers = maildir")
        let id = try daemon.enqueue(["--channel", "inbox", "--to", "alice", "--subject", "Welcome", "--body", "Hello Alice"])
        let record = try Self.delivered(daemon, id, by: "maildir")
        let directory = daemon.spool.spool + "/inbox/alice/new"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files == [record.providerID])
        let message = try String(contentsOfFile: directory + "/" + files[0], encoding: .utf8).components(separatedBy: "\r\n")
        #expect(message.contains("Subject: Welcome"))
        #expect(message.contains("Idempotency-Key: \(id.text)"))
        #expect(message.contains(Data("Hello Alice".utf8).base64EncodedString()))
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
        #expect(daemon.wait(id, reaches: .done), "\(daemon.log)")
        #expect(daemon.history(id).outcome == "delivered")
        let record = try #require(try daemon.store.statusRecords().last { $0.id == id.text })
        #expect(record.provider == "sms+http://\(host)/v1/…")
        #expect(emulator.requests().map(\.provider) == ["twilio", "bulksms"])
        let request = try #require(emulator.requests("bulksms").first)
        #expect(request.violation == nil)
        #expect(request.headers["authorization"] == Self.basic("user", "pw"))
        #expect(request.headers["idempotency-key"] == id.text)
        #expect(request.json as? [String: String] == ["to": "+14155550123", "body": "code 123456"])
    }
}
