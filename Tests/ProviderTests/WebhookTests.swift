import Crypto
import Foundation
import NotifyCore
import NotifyProviders
import NotifyTestSupport
import Testing

@Suite struct WebhookTests {
    static let key = "whsec-0123456789abcdef-test-key"

    @Test func theReceiverCanVerifyTheSignature() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let keyFile = try fixture.credential("webhook.key", Self.key + "\n")
        fixture.settings = try Settings(file: ConfigFile.parse("""
            webhook_signing_secret_file = \(keyFile)
            webhook_endpoint_billing = \(emulator.baseURL)/hook/billing
            """, path: "t.conf"))
        let webhook = try fixture.provider("webhook", channel: .webhook)
        let job = fixture.job(.webhook, to: ["billing"], subject: "invoice.paid", body: "{\"amount\":42}", key: "inv-42", meta: ["event": "paid"])
        let answer = await webhook.deliver(job, attempt: 1)
        #expect(answer.result == .delivered, "\(answer.reason)")
        #expect(answer.providerID?.hasPrefix("wh") == true)

        let request = try #require(emulator.requests("webhook").first)
        #expect(request.path == "/hook/billing")
        #expect(request.headers["idempotency-key"] == "inv-42")
        // The receiver's side, written from the documented scheme, not with our helper:
        // HMAC-SHA256(key, timestamp + "." + raw body), hex, after "v1=".
        let timestamp = try #require(request.headers["x-notifyd-timestamp"])
        let signature = try #require(request.headers["x-notifyd-signature"])
        let mac = HMAC<SHA256>.authenticationCode(for: Data((timestamp + "." + request.body).utf8), using: SymmetricKey(data: Data(Self.key.utf8)))
        #expect(signature == "v1=" + mac.map { String(format: "%02x", $0) }.joined())
        #expect(abs(Int64(timestamp)! - WallClock.nowMilliseconds() / 1000) < 120)
        #expect(WebhookSignature.verify(body: Array(request.body.utf8), timestampHeader: timestamp, signatureHeader: signature,
                                        key: Array(Self.key.utf8), now: WallClock.nowMilliseconds() / 1000))
        // A changed body, another key, or an old timestamp fail.
        #expect(!WebhookSignature.verify(body: Array((request.body + " ").utf8), timestampHeader: timestamp, signatureHeader: signature,
                                         key: Array(Self.key.utf8), now: WallClock.nowMilliseconds() / 1000))
        #expect(!WebhookSignature.verify(body: Array(request.body.utf8), timestampHeader: timestamp, signatureHeader: signature,
                                         key: Array("another-key-0123456789".utf8), now: WallClock.nowMilliseconds() / 1000))
        #expect(!WebhookSignature.verify(body: Array(request.body.utf8), timestampHeader: timestamp, signatureHeader: signature,
                                         key: Array(Self.key.utf8), now: WallClock.nowMilliseconds() / 1000 + 600))

        let payload = try #require(request.json as? [String: Any])
        #expect(payload["id"] as? String == job.id.text)
        #expect(payload["body"] as? String == "{\"amount\":42}")
        #expect((payload["meta"] as? [String: String]) == ["event": "paid"])
    }

    @Test func anUnknownEndpointIsPermanent() async throws {
        let fixture = try ProviderFixture()
        let webhook = try fixture.provider("webhook", channel: .webhook)
        let answer = await webhook.deliver(fixture.job(.webhook, to: ["nowhere"]), attempt: 1)
        #expect(answer.result == .permanent)
    }
}
