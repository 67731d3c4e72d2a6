import _CryptoExtras
import Foundation
import NotifyCore
import NotifyProviders
import NotifyTestSupport
import Testing

/// FCM HTTP v1 against the emulator, with the OAuth2 exchange of a JWT signed by a key
/// pair made for the test (ProviderEmulator.fcmServiceAccount); the emulator verifies the
/// signature with the public half.
@Suite struct FCMTests {
    static func serviceAccount(_ fixture: ProviderFixture, emulator: ProviderEmulator) throws -> String {
        try fixture.credential("service-account.json", emulator.fcmServiceAccount())
    }

    @Test func sendsWithATokenMintedFromTheServiceAccountAndCachesIt() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let keyFile = try Self.serviceAccount(fixture, emulator: emulator)
        let fcm = try fixture.provider("fcm://demo-project?key_file=\(keyFile)&base_url=\(emulator.baseURL)", channel: .push)
        for index in 0..<3 {
            let answer = await fcm.deliver(fixture.job(.push, to: ["device-token-\(index)"], subject: "Hi", body: "there", meta: ["k": "v"]), attempt: 1)
            #expect(answer.result == .delivered, "\(answer.reason)")
            #expect(answer.providerID?.hasPrefix("projects/demo-project/messages/") == true)
        }
        let exchanges = emulator.requests("oauth")
        #expect(exchanges.count == 1, "the token is cached")
        #expect(exchanges.first?.violation == nil)
        let sends = emulator.requests("fcm")
        #expect(sends.count == 3)
        #expect(sends.allSatisfy { $0.violation == nil && $0.path == "/v1/projects/demo-project/messages:send" })
        let message = try #require((sends[0].json as? [String: Any])?["message"] as? [String: Any])
        #expect(message["token"] as? String == "device-token-0")
        #expect((message["notification"] as? [String: String]) == ["title": "Hi", "body": "there"])
    }

    /// A 401 to a cached token (revoked or expired early) is not the credentials' fault:
    /// the agent mints a new token and sends again, once, within the same attempt.
    @Test func aRevokedTokenIsReplacedWithinTheAttempt() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let keyFile = try Self.serviceAccount(fixture, emulator: emulator)
        let fcm = try fixture.provider("fcm://demo-project?key_file=\(keyFile)&base_url=\(emulator.baseURL)", channel: .push)
        let first = await fcm.deliver(fixture.job(.push, to: ["t"], body: "x"), attempt: 1)
        #expect(first.result == .delivered, "\(first.reason)")
        emulator.revokeTokens()
        let second = await fcm.deliver(fixture.job(.push, to: ["t"], body: "x"), attempt: 1)
        #expect(second.result == .delivered, "\(second.reason)")
        #expect(emulator.requests().map(\.provider) == ["oauth", "fcm", "fcm", "oauth", "fcm"])
        #expect(emulator.requests("fcm").map(\.status) == [200, 401, 200])
    }

    @Test func fcmErrorCodesAreClassified() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let keyFile = try Self.serviceAccount(fixture, emulator: emulator)
        let fcm = try fixture.provider("fcm://demo-project?key_file=\(keyFile)&base_url=\(emulator.baseURL)", channel: .push)
        func fcmError(_ status: Int, _ code: String) -> [String: Any] {
            ["status": status, "body": ["error": ["code": status, "status": "X", "details": [
                ["@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code]]]]]
        }
        try emulator.behave(["fcm": fcmError(404, "UNREGISTERED")])
        let gone = await fcm.deliver(fixture.job(.push, to: ["old-token"], body: "x"), attempt: 1)
        #expect(gone.result == .permanent)
        #expect(gone.reason.hasPrefix("FCM UNREGISTERED"))
        try emulator.behave(["fcm": fcmError(429, "QUOTA_EXCEEDED")])
        let quota = await fcm.deliver(fixture.job(.push, to: ["t"], body: "x"), attempt: 1)
        #expect(quota.result == .temporary)
        #expect(quota.retryAfterMilliseconds == 60_000)
    }

    @Test func aRefusedKeyIsUnauthorized() async throws {
        let emulator = try ProviderEmulator()
        let fixture = try ProviderFixture()
        let keyFile = try Self.serviceAccount(fixture, emulator: emulator)
        // The emulator now trusts another key: the signature does not verify.
        try emulator.trustJWTKey(pem: try _RSA.Signing.PrivateKey(keySize: .bits2048).publicKey.pemRepresentation)
        let fcm = try fixture.provider("fcm://demo-project?key_file=\(keyFile)&base_url=\(emulator.baseURL)", channel: .push)
        let answer = await fcm.deliver(fixture.job(.push, to: ["t"], body: "x"), attempt: 1)
        #expect(answer.result == .unauthorized)
        #expect(answer.reason.hasPrefix("OAuth2 token exchange"))
        #expect(emulator.requests("fcm").isEmpty)
    }
}
