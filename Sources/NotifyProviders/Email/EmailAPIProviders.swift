import NotifyAgentKit
import NotifyCore

/// Brevo's transactional email API (providers.md):
///
///     brevo://APIKEY@/?from=ADDRESS[&base_url=https://api.brevo.com]
///
/// `POST /v3/smtp/email` with the `api-key` header and a JSON body; 201 carries
/// `{"messageId": …}`. Rate limits answer 429 with `x-sib-ratelimit-reset`.
public struct BrevoProvider: DeliveryProvider {
    public let name: String
    let environment: ProviderEnvironment
    let account: EmailAPIAccount

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        account = try EmailAPIAccount(config, scheme: "brevo", defaultBaseURL: "https://api.brevo.com", path: "/v3/smtp/email")
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        var body: [String: JSONValue] = [
            "sender": .object(["email": .string(account.from)]),
            "to": .array(job.to.map { .object(["email": .string($0)]) }),
            "subject": .string(job.subject ?? ""),
            "textContent": .string(job.body),
            "headers": .object(["Idempotency-Key": .string(idempotencyKey(job))]),
        ]
        if let html = job.html { body["htmlContent"] = .string(html) }
        let request = environment.http("POST", account.endpoint, headers: [
            "api-key: \(account.apiKey)", "Content-Type: application/json", "Accept: application/json",
        ], body: JSONValue.object(body).bytes)
        let response = await environment.engine.perform(request)
        return .http(response) { JSONValue.response($0.body)?["messageId"]?.string }
    }
}

/// SendGrid's v3 mail API (providers.md):
///
///     sendgrid://APIKEY@/?from=ADDRESS[&base_url=https://api.sendgrid.com]
///
/// `POST /v3/mail/send` with `Authorization: Bearer`; 202 with the `X-Message-Id` header.
/// Rate limits answer 429 with `X-RateLimit-Reset` (a Unix time).
public struct SendGridProvider: DeliveryProvider {
    public let name: String
    let environment: ProviderEnvironment
    let account: EmailAPIAccount

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        account = try EmailAPIAccount(config, scheme: "sendgrid", defaultBaseURL: "https://api.sendgrid.com", path: "/v3/mail/send")
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        var content: [JSONValue] = [.object(["type": .string("text/plain"), "value": .string(job.body)])]
        if let html = job.html { content.append(.object(["type": .string("text/html"), "value": .string(html)])) }
        let body: JSONValue = .object([
            "personalizations": .array([.object(["to": .array(job.to.map { .object(["email": .string($0)]) })])]),
            "from": .object(["email": .string(account.from)]),
            "subject": .string(job.subject ?? ""),
            "content": .array(content),
            "headers": .object(["Idempotency-Key": .string(idempotencyKey(job))]),
        ])
        let request = environment.http("POST", account.endpoint, headers: [
            "Authorization: Bearer \(account.apiKey)", "Content-Type: application/json",
        ], body: body.bytes)
        let response = await environment.engine.perform(request)
        return .http(response) { $0.header("x-message-id") }
    }
}

/// What an HTTP email API provider needs from its URL: the endpoint (base_url= or the
/// provider's own), the API key (the URL's user or password, or password_file=), and the
/// sender (from=).
struct EmailAPIAccount: Sendable {
    let endpoint: String
    let apiKey: String
    let from: String

    init(_ config: ProviderURL, scheme: String, defaultBaseURL: String, path: String) throws(ProviderConfigError) {
        endpoint = config.baseURL(default: defaultBaseURL) + path
        let password = try config.password(), user = try config.user()
        guard let key = password ?? user else {
            throw ProviderConfigError(config.label, "needs the API key (\(scheme)://KEY@/ or password_file=)")
        }
        apiKey = key
        from = try config.required("from")
    }
}
