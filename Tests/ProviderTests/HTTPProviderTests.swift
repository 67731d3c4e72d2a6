import Foundation
import NotifyAgentKit
import NotifyCore
import NotifyProviders
import NotifyTestSupport
import Testing

/// Each HTTP provider against the emulator, which checks the provider's documented
/// method, path, auth and body encoding.
@Suite struct HTTPProviderTests {
    @Test func twilioPostsAFormWithBasicAuth() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let twilio = try fixture.provider("twilio://AC0123:secret-token@+15551234567?base_url=\(emulator.baseURL)", channel: .sms)
        let answer = await twilio.deliver(fixture.job(.sms, to: ["+14155550123"], key: "order-7"), attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        #expect(answer.code == "201")
        #expect(answer.providerID?.hasPrefix("SM") == true)
        let request = try #require(emulator.requests("twilio").first)
        #expect(request.violation == nil)
        #expect(request.path == "/2010-04-01/Accounts/AC0123/Messages.json")
        #expect(request.headers["authorization"] == "Basic " + Data("AC0123:secret-token".utf8).base64EncodedString())
        #expect(request.body == "To=%2B14155550123&From=%2B15551234567&Body=Your%20code%20is%20123456")
        #expect(request.headers["i-twilio-idempotency-token"] == "order-7")
        #expect(twilio.name == "twilio://+15551234567")
    }

    @Test func genericSMSProviderExpressesBulkSMSPostAndGet() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let host = emulator.baseURL.dropFirst("http://".count)
        let post = try fixture.provider("sms+http://user:pw@\(host)/v1/messages?encoding=json&param_to={to}&param_body={body}&id_field=id", channel: .sms)
        let postAnswer = await post.deliver(fixture.job(.sms, to: ["+14155550123"]), attempt: 1)
        #expect(postAnswer.result == .delivered, "\(postAnswer.reason)")
        #expect(postAnswer.providerID != nil)
        let get = try fixture.provider("sms+http://user:pw@\(host)/v1/messages?encoding=query&param_to={to}&param_body={body}", channel: .sms)
        let getAnswer = await get.deliver(fixture.job(.sms, to: ["+14155550123"], body: "a&b=c {to}"), attempt: 1)
        #expect(getAnswer.result == .delivered, "\(getAnswer.reason)")
        let requests = emulator.requests("bulksms")
        #expect(requests.map(\.method) == ["POST", "GET"])
        #expect(requests.allSatisfy { $0.violation == nil })
        #expect((requests[0].json as? [String: String]) == ["to": "+14155550123", "body": "Your code is 123456"])
        #expect(requests[1].query == ["to": "+14155550123", "body": "a&b=c {to}"])
    }

    @Test func brevoPostsJSONWithTheAPIKeyHeader() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let brevo = try fixture.provider("brevo://xkeysib-test@/?from=noreply@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let answer = await brevo.deliver(fixture.job(.email, to: ["ann@example.com"], subject: "Hi", html: "<p>Hi</p>"), attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        #expect(answer.providerID?.hasSuffix("@smtp-relay.mailin.fr>") == true)
        let request = try #require(emulator.requests("brevo").first)
        #expect(request.violation == nil)
        #expect(request.headers["api-key"] == "xkeysib-test")
        let body = try #require(request.json as? [String: Any])
        #expect((body["sender"] as? [String: String]) == ["email": "noreply@example.com"])
        #expect(body["htmlContent"] as? String == "<p>Hi</p>")
    }

    @Test func sendGridPostsJSONWithABearerAndReadsXMessageID() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let sendgrid = try fixture.provider("sendgrid://SG.key@/?from=noreply@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let answer = await sendgrid.deliver(fixture.job(.email, to: ["ann@example.com"], subject: "Hi"), attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        #expect(answer.code == "202")
        #expect(answer.providerID?.hasPrefix("sg") == true)
        let request = try #require(emulator.requests("sendgrid").first)
        #expect(request.headers["authorization"] == "Bearer SG.key")
    }

    @Test func ntfyPostsTheMessageToTheTopic() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let host = emulator.baseURL.dropFirst("http://".count)
        let ntfy = try fixture.provider("ntfy://\(host)?token=tk_abc", channel: .push)
        let answer = await ntfy.deliver(fixture.job(.push, to: ["topic:alerts"], subject: "Disk füll", body: "95%", meta: ["priority": "high"]), attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        let request = try #require(emulator.requests("ntfy").first)
        #expect(request.path == "/alerts")
        #expect(request.body == "95%")
        #expect(request.headers["title"]?.hasPrefix("=?UTF-8?B?") == true)
        #expect(request.headers["priority"] == "high")
        #expect(request.headers["authorization"] == "Bearer tk_abc")
    }

    @Test func rateLimitsCarryTheirRetryAfter() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        try emulator.behave([
            "twilio": ["status": 429, "headers": ["Retry-After": "7"]],
            "brevo": ["status": 429, "headers": ["x-sib-ratelimit-reset": "42"]],
            "sendgrid": ["status": 429, "headers": ["X-RateLimit-Reset": String(WallClock.nowMilliseconds() / 1000 + 3600)]],
        ])
        let twilio = try fixture.provider("twilio://AC1:t@+15551234567?base_url=\(emulator.baseURL)", channel: .sms)
        let twilioAnswer = await twilio.deliver(fixture.job(.sms, to: ["+14155550123"]), attempt: 1)
        #expect(twilioAnswer.result == .temporary)
        #expect(twilioAnswer.retryAfterMilliseconds == 7000)
        let brevo = try fixture.provider("brevo://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let brevoAnswer = await brevo.deliver(fixture.job(.email, to: ["b@example.com"], subject: "s"), attempt: 1)
        #expect(brevoAnswer.retryAfterMilliseconds == 42_000)
        let sendgrid = try fixture.provider("sendgrid://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let sendgridAnswer = await sendgrid.deliver(fixture.job(.email, to: ["b@example.com"], subject: "s"), attempt: 1)
        #expect((3_000_000...3_601_000).contains(sendgridAnswer.retryAfterMilliseconds ?? 0), "a Unix time an hour after the test began")
    }

    @Test func errorsAreClassified() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let twilio = try fixture.provider("twilio://AC1:t@+15551234567?base_url=\(emulator.baseURL)", channel: .sms)
        let job = fixture.job(.sms, to: ["+14155550123"])
        for (status, expected) in [(400, AgentResult.permanent), (401, .unauthorized), (403, .unauthorized), (503, .temporary)] {
            try emulator.behave(["twilio": ["status": status, "body": ["message": "emulated"]]])
            let answer = await twilio.deliver(job, attempt: 1)
            #expect(answer.result == expected, "HTTP \(status)")
            #expect(answer.code == String(status))
        }
    }

    @Test func aHangAfterSendingIsAnUnknownOutcome() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture(timeouts: "provider_timeout = 2s\nprovider_connect_timeout = 1s\n")
        try emulator.behave(["webhook": ["hang": 4]])
        let webhook = try fixture.provider("webhook", channel: .webhook)
        let answer = await webhook.deliver(fixture.job(.webhook, to: ["\(emulator.baseURL)/hook/a"]), attempt: 1)
        // curl's own account of the total timeout (the test's clock would also count the
        // time a busy test run takes to resume this task).
        #expect(answer.reason.contains("timed out after 2"), "\(answer.reason)")
        #expect(answer.result == .temporary)
        #expect(answer.outcomeUnknown)
        #expect(answer.code == "curl 28")
    }

    @Test func aRefusedConnectionMeansTheProviderIsDown() async throws {
        let fixture = try ProviderFixture()
        let webhook = try fixture.provider("webhook", channel: .webhook)
        let answer = await webhook.deliver(fixture.job(.webhook, to: ["http://127.0.0.1:9/hook"]), attempt: 1)
        #expect(answer.result == .down)
        #expect(!answer.outcomeUnknown)
    }

    @Test func fallbackGoesToTheNextProviderAndNamesIt() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        try emulator.behave(["brevo": ["status": 503]])
        let first = try fixture.provider("brevo://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let second = try fixture.provider("sendgrid://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let answer = await FallbackProvider([first, second]).deliver(fixture.job(.email, to: ["b@example.com"], subject: "s"), attempt: 1)
        #expect(answer.result == .delivered)
        #expect(answer.provider == "sendgrid://")
        #expect(emulator.requests().map(\.provider) == ["brevo", "sendgrid"])
    }

    /// One provider's refused credentials are no fault of the message: the next one is tried.
    @Test func fallbackPassesRefusedCredentials() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        try emulator.behave(["brevo": ["status": 401, "body": ["code": "unauthorized", "message": "Key not found"]]])
        let first = try fixture.provider("brevo://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let second = try fixture.provider("sendgrid://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let job = fixture.job(.email, to: ["b@example.com"], subject: "s")
        let answer = await FallbackProvider([first, second]).deliver(job, attempt: 1)
        #expect(answer.result == .delivered)
        #expect(answer.provider == "sendgrid://")
        // Alone, the refusing provider's answer is the job's: permanent, and the provider down.
        let alone = await FallbackProvider([first]).deliver(job, attempt: 1)
        #expect(alone.result == .unauthorized)
        #expect(alone.code == "401")
    }

    /// When every provider fails, the mildest failure decides: one provider's refused key
    /// must not dead-letter a job another provider could deliver later.
    @Test func theMildestFailureOfAllProvidersDecides() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let brevo = try fixture.provider("brevo://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let sendgrid = try fixture.provider("sendgrid://K@/?from=a@example.com&base_url=\(emulator.baseURL)", channel: .email)
        let unreachable = try fixture.provider("brevo://K@/?from=a@example.com&base_url=http://127.0.0.1:9", channel: .email)
        let job = fixture.job(.email, to: ["b@example.com"], subject: "s")
        try emulator.behave(["brevo": ["status": 503], "sendgrid": ["status": 401]])
        let temporary = await FallbackProvider([brevo, sendgrid]).deliver(job, attempt: 1)
        #expect(temporary.result == .temporary && temporary.code == "503" && temporary.provider == "brevo://")
        let down = await FallbackProvider([unreachable, sendgrid]).deliver(job, attempt: 1)
        #expect(down.result == .down)
        try emulator.behave(["brevo": ["status": 403], "sendgrid": ["status": 401]])
        let refused = await FallbackProvider([brevo, sendgrid]).deliver(job, attempt: 1)
        #expect(refused.result == .unauthorized && refused.provider == "sendgrid://")
    }
}
