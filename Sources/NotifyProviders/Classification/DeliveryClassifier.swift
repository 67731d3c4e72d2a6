import CCurl
import NotifyAgentKit
import NotifyCore

/// How a provider's response becomes one of the five agent results (providers.md,
/// "Classification"). Pure: the tests drive it with a table.
///
/// | what came back | result | notes |
/// |---|---|---|
/// | HTTP 2xx | delivered | provider message id from the response |
/// | HTTP 401, 403 | unauthorized | credentials wrong for every job: this job is dead-lettered and the provider's breaker opens |
/// | HTTP 408, 429, 5xx | temporary | Retry-After / X-RateLimit-Reset / x-sib-ratelimit-reset → retry-after |
/// | other HTTP 4xx, 1xx, 3xx | permanent | the request itself is wrong; never retried |
/// | SMTP 2yz | delivered | |
/// | SMTP 530, 534, 535; curl's login denied | unauthorized | authentication failed |
/// | SMTP 4yz | temporary | enhanced status code kept in the reason |
/// | SMTP 5yz | permanent | enhanced status code kept in the reason |
/// | connect refused, DNS, TLS handshake or certificate | down | the whole provider is unreachable |
/// | timeout or broken connection before the request went out | temporary | |
/// | timeout or broken connection after the request went out | temporary, unknown outcome | retried with the same idempotency key, no fallback |
/// | FCM UNREGISTERED, INVALID_ARGUMENT, SENDER_ID_MISMATCH | permanent | |
/// | FCM QUOTA_EXCEEDED | temporary | retry-after at least 60 s |
/// | FCM UNAVAILABLE, INTERNAL | temporary | |
/// | FCM THIRD_PARTY_AUTH_ERROR | unauthorized | the APNs/Web Push credentials of the project are wrong |
public enum DeliveryClassifier {
    /// An HTTP status with its retry-after (already parsed from the headers).
    public static func http(status: Int, retryAfterMilliseconds: Int64?) -> (AgentResult, Int64?) {
        switch status {
        case 200...299: return (.delivered, nil)
        case 401, 403: return (.unauthorized, retryAfterMilliseconds)
        case 408, 429, 500...599: return (.temporary, retryAfterMilliseconds)
        default: return (.permanent, nil)
        }
    }

    /// An SMTP reply code.
    public static func smtp(code: Int) -> AgentResult {
        switch code {
        case 200...299: return .delivered
        case 530, 534, 535: return .unauthorized
        case 400...499: return .temporary
        default: return .permanent
        }
    }

    /// A transfer that got no usable response (curl's result code).
    public static func transport(curlCode: Int, requestSent: Bool) -> (result: AgentResult, outcomeUnknown: Bool) {
        switch curlCode {
        case Int(CURLE_COULDNT_RESOLVE_HOST.rawValue), Int(CURLE_COULDNT_RESOLVE_PROXY.rawValue),
             Int(CURLE_COULDNT_CONNECT.rawValue), Int(CURLE_SSL_CONNECT_ERROR.rawValue),
             Int(CURLE_PEER_FAILED_VERIFICATION.rawValue), Int(CURLE_SSL_CACERT_BADFILE.rawValue),
             Int(CURLE_USE_SSL_FAILED.rawValue):
            return (.down, false)
        case Int(CURLE_LOGIN_DENIED.rawValue):
            return (.unauthorized, false)
        default:
            return (.temporary, requestSent)
        }
    }

    /// FCM's `errorCode` (google.firebase.fcm.v1.FcmError) when the response carries one.
    public static func fcm(errorCode: String, status: Int, retryAfterMilliseconds: Int64?) -> (AgentResult, Int64?) {
        switch errorCode {
        case "UNREGISTERED", "INVALID_ARGUMENT", "SENDER_ID_MISMATCH": return (.permanent, nil)
        case "QUOTA_EXCEEDED": return (.temporary, max(retryAfterMilliseconds ?? 0, 60_000))
        case "UNAVAILABLE", "INTERNAL": return (.temporary, retryAfterMilliseconds)
        case "THIRD_PARTY_AUTH_ERROR": return (.unauthorized, retryAfterMilliseconds)
        default: return http(status: status, retryAfterMilliseconds: retryAfterMilliseconds)
        }
    }
}

extension ProviderAnswer {
    /// The answer for an HTTP provider's response: transport failures by curl's code,
    /// responses by status; `providerID` is asked for only on success.
    static func http(_ response: CurlResponse, providerID: (CurlResponse) -> String?) -> ProviderAnswer {
        if response.curlCode != 0 || response.status == 0 {
            let (result, unknown) = DeliveryClassifier.transport(curlCode: response.curlCode, requestSent: response.requestSent)
            return ProviderAnswer(result, reason: (unknown ? "outcome unknown: " : "") + response.errorText,
                                  code: "curl \(response.curlCode)", outcomeUnknown: unknown)
        }
        let retryAfter = RetryAfter.milliseconds(header: response.header, nowMilliseconds: WallClock.nowMilliseconds())
        let (result, delay) = DeliveryClassifier.http(status: response.status, retryAfterMilliseconds: retryAfter)
        let id = result == .delivered ? providerID(response) : nil
        return ProviderAnswer(result, reason: reasonText(response), code: String(response.status), providerID: id,
                              retryAfterMilliseconds: delay)
    }

    /// "HTTP 429" plus the start of the body, one line, for the job's history.
    static func reasonText(_ response: CurlResponse) -> String {
        let body = response.bodyText.split(whereSeparator: \.isNewline).joined(separator: " ")
        let excerpt = body.count > 200 ? String(body.prefix(200)) + "…" : body
        return "HTTP \(response.status)" + (excerpt.isEmpty ? "" : ": " + excerpt)
    }
}
