import NotifyAgentKit
import NotifyProviders
import Testing

@Suite struct ClassificationTests {
    struct HTTPCase: Sendable, CustomTestStringConvertible {
        var status: Int
        var retryAfter: Int64?
        var result: AgentResult
        var delay: Int64?
        var testDescription: String { "HTTP \(status)" }
    }

    @Test(arguments: [
        HTTPCase(status: 200, retryAfter: nil, result: .delivered, delay: nil),
        HTTPCase(status: 201, retryAfter: nil, result: .delivered, delay: nil),
        HTTPCase(status: 202, retryAfter: nil, result: .delivered, delay: nil),
        HTTPCase(status: 400, retryAfter: nil, result: .permanent, delay: nil),
        HTTPCase(status: 404, retryAfter: nil, result: .permanent, delay: nil),
        HTTPCase(status: 422, retryAfter: 5000, result: .permanent, delay: nil),
        HTTPCase(status: 401, retryAfter: nil, result: .unauthorized, delay: nil),
        HTTPCase(status: 403, retryAfter: nil, result: .unauthorized, delay: nil),
        HTTPCase(status: 408, retryAfter: nil, result: .temporary, delay: nil),
        HTTPCase(status: 429, retryAfter: 7000, result: .temporary, delay: 7000),
        HTTPCase(status: 500, retryAfter: nil, result: .temporary, delay: nil),
        HTTPCase(status: 503, retryAfter: 2000, result: .temporary, delay: 2000),
        HTTPCase(status: 301, retryAfter: nil, result: .permanent, delay: nil),
    ])
    func http(_ row: HTTPCase) {
        let (result, delay) = DeliveryClassifier.http(status: row.status, retryAfterMilliseconds: row.retryAfter)
        #expect(result == row.result)
        #expect(delay == row.delay)
    }

    @Test(arguments: [
        (250, AgentResult.delivered), (221, .delivered), (421, .temporary), (450, .temporary), (451, .temporary),
        (452, .temporary), (550, .permanent), (552, .permanent), (554, .permanent), (535, .unauthorized), (530, .unauthorized), (534, .unauthorized),
    ])
    func smtp(_ code: Int, _ expected: AgentResult) {
        #expect(DeliveryClassifier.smtp(code: code) == expected)
    }

    @Test func transport() {
        // 7 couldn't connect, 6 couldn't resolve, 60 bad certificate: the provider is down.
        #expect(DeliveryClassifier.transport(curlCode: 7, requestSent: false) == (.down, false))
        #expect(DeliveryClassifier.transport(curlCode: 6, requestSent: false) == (.down, false))
        #expect(DeliveryClassifier.transport(curlCode: 60, requestSent: false) == (.down, false))
        #expect(DeliveryClassifier.transport(curlCode: 67, requestSent: true) == (.unauthorized, false))  // login denied
        // 28 timeout: before the request went out it is plainly temporary; after, unknown.
        #expect(DeliveryClassifier.transport(curlCode: 28, requestSent: false) == (.temporary, false))
        #expect(DeliveryClassifier.transport(curlCode: 28, requestSent: true) == (.temporary, true))
        // 52 empty reply, 56 receive error after sending: unknown outcome.
        #expect(DeliveryClassifier.transport(curlCode: 52, requestSent: true) == (.temporary, true))
        #expect(DeliveryClassifier.transport(curlCode: 56, requestSent: true) == (.temporary, true))
    }

    @Test func fcm() {
        #expect(DeliveryClassifier.fcm(errorCode: "UNREGISTERED", status: 404, retryAfterMilliseconds: nil) == (.permanent, nil))
        #expect(DeliveryClassifier.fcm(errorCode: "INVALID_ARGUMENT", status: 400, retryAfterMilliseconds: nil) == (.permanent, nil))
        #expect(DeliveryClassifier.fcm(errorCode: "QUOTA_EXCEEDED", status: 429, retryAfterMilliseconds: nil) == (.temporary, 60_000))
        #expect(DeliveryClassifier.fcm(errorCode: "QUOTA_EXCEEDED", status: 429, retryAfterMilliseconds: 120_000) == (.temporary, 120_000))
        #expect(DeliveryClassifier.fcm(errorCode: "UNAVAILABLE", status: 503, retryAfterMilliseconds: 3000) == (.temporary, 3000))
        #expect(DeliveryClassifier.fcm(errorCode: "THIRD_PARTY_AUTH_ERROR", status: 401, retryAfterMilliseconds: nil) == (.unauthorized, nil))
        #expect(DeliveryClassifier.fcm(errorCode: "SOMETHING_NEW", status: 500, retryAfterMilliseconds: nil) == (.temporary, nil))
    }

    @Test func retryAfterHeaders() {
        let now: Int64 = 1_795_278_768_000
        func parse(_ headers: [String: String]) -> Int64? {
            RetryAfter.milliseconds(header: { headers[$0] }, nowMilliseconds: now)
        }
        #expect(parse(["retry-after": "7"]) == 7000)
        #expect(parse(["retry-after": " 0 "]) == 0)
        // HTTP-date: 1795278768 is Sat, 21 Nov 2026 16:32:48 GMT; 12 s later.
        #expect(parse(["retry-after": "Sat, 21 Nov 2026 16:33:00 GMT"]) == 12_000)
        #expect(parse(["retry-after": "Sat, 21 Nov 2026 16:00:00 GMT"]) == 0)
        // SendGrid: a Unix time.
        #expect(parse(["x-ratelimit-reset": "1795278798"]) == 30_000)
        // Brevo: seconds until the reset.
        #expect(parse(["x-sib-ratelimit-reset": "42"]) == 42_000)
        #expect(parse(["retry-after": "soon"]) == nil)
        #expect(parse([:]) == nil)
    }
}
