import NotifyAgentKit
import NotifyCore

/// ntfy (providers.md):
///
///     ntfy://[user:password@]host[:port][/topic][?token=…|token_file=…]   (HTTP)
///     ntfys://…                                                           (HTTPS)
///
/// `POST /<topic>` with the body as the message and `Title` (RFC 2047-encoded when not
/// ASCII), `Tags`, `Priority` from meta, and `X-Idempotency-Key`. The topic is the URL's
/// path, else the job's recipient (`topic:NAME` or a plain name). A token is sent as a
/// bearer, user and password as basic auth. 200 carries `{"id": …}`.
public struct NtfyProvider: DeliveryProvider {
    public let name: String
    let environment: ProviderEnvironment
    let base: String
    let fixedTopic: String?
    let user: String?
    let password: String?
    let token: String?

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        let scheme = config.scheme == "ntfys" ? "https" : "http"
        base = "\(scheme)://\(config.host)\(config.port.map { ":\($0)" } ?? "")"
        let topic = config.path.split(separator: "/").first.map(String.init)
        fixedTopic = topic
        user = try config.user()
        password = try config.password()
        token = try config.secret(inline: config.query["token"], file: "token_file")
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let recipient = job.to[0].hasPrefix("topic:") ? String(job.to[0].dropFirst(6)) : job.to[0]
        let topic = fixedTopic ?? recipient
        var headers = ["Content-Type: text/plain; charset=utf-8", "X-Idempotency-Key: \(idempotencyKey(job))"]
        if let subject = job.subject, !subject.isEmpty { headers.append("Title: \(MIMEMessage.encodedWords(subject).replacing("\r\n ", with: " "))") }
        if let priority = job.meta["priority"], MetadataHeader.isSafe(priority) { headers.append("Priority: \(priority)") }
        if let tags = job.meta["tags"], MetadataHeader.isSafe(tags) { headers.append("Tags: \(tags)") }
        if let token { headers.append("Authorization: Bearer \(token)") }
        let request = environment.http("POST", "\(base)/\(topic)", headers: headers, body: Array(job.body.utf8),
                                       username: token == nil ? user : nil, password: token == nil ? password : nil)
        let response = await environment.engine.perform(request)
        return .http(response) { JSONValue.response($0.body)?["id"]?.string }
    }
}
