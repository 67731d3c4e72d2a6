import NotifyAgentKit
import NotifyCore

/// Twilio's Messages API (providers.md):
///
///     twilio://ACCOUNT_SID:AUTH_TOKEN@+15551234567[?base_url=https://api.twilio.com]
///
/// The host is the sending number. `POST /2010-04-01/Accounts/{Sid}/Messages.json`,
/// form-encoded `To`, `From`, `Body`, HTTP basic auth with the SID and token; 201 carries
/// `{"sid": "SM…"}`. The job's idempotency key goes in `I-Twilio-Idempotency-Token`.
public struct TwilioProvider: DeliveryProvider {
    public let name: String
    let environment: ProviderEnvironment
    let endpoint: String
    let accountSID: String
    let authToken: String
    let from: String

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        guard let sid = try config.user(), let token = try config.password() else {
            throw ProviderConfigError(config.label, "needs ACCOUNT_SID:AUTH_TOKEN@ (or user_file= and password_file=)")
        }
        guard sid.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) }) else {
            throw ProviderConfigError(config.label, "the account SID is letters and digits")
        }
        accountSID = sid
        authToken = token
        from = ProviderURL.percentDecoded(Substring(config.host))
        guard !from.isEmpty else { throw ProviderConfigError(config.label, "needs the sending number as host: twilio://SID:TOKEN@+1555…") }
        endpoint = config.baseURL(default: "https://api.twilio.com") + "/2010-04-01/Accounts/\(sid)/Messages.json"
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let form = FormEncoding.encode([("To", job.to[0]), ("From", from), ("Body", job.body)])
        let request = environment.http("POST", endpoint, headers: [
            "Content-Type: application/x-www-form-urlencoded", "Accept: application/json",
            "I-Twilio-Idempotency-Token: \(idempotencyKey(job))",
        ], body: Array(form.utf8), username: accountSID, password: authToken)
        let response = await environment.engine.perform(request)
        return .http(response) { JSONValue.response($0.body)?["sid"]?.string }
    }
}
