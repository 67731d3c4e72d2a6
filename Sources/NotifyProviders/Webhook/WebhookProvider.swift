import NotifyAgentKit
import NotifyCore

/// Webhooks: a JSON POST to the job's URL, or to the URL of the endpoint the job names
/// (`webhook_endpoint_<name>`), signed with HMAC-SHA256 when `webhook_signing_secret_file`
/// is set (WebhookSignature). Provider entry: `webhook`.
///
/// The body is `{"id", "created", "subject", "body", "meta", "idempotency_key"}` (absent
/// members omitted); headers `Idempotency-Key`, `X-Notifyd-Job`, and the signature pair.
/// The provider's message id is the response's `X-Request-Id` or JSON `id` if any, else
/// the job ID.
public struct WebhookProvider: DeliveryProvider {
    public let name = "webhook"
    let environment: ProviderEnvironment
    let endpoints: [String: String]
    let signingKey: [UInt8]?

    public init(environment: ProviderEnvironment) throws(ProviderConfigError) {
        self.environment = environment
        endpoints = environment.settings.providers.webhookEndpoints
        let file = environment.settings.providers.webhookSigningSecretFile
        signingKey = file.isEmpty ? nil : try Self.key(file)
    }

    static func key(_ file: String) throws(ProviderConfigError) -> [UInt8] {
        var bytes = try ProviderURL.readCredentialBytes(file, label: "webhook_signing_secret_file")
        while bytes.last == UInt8(ascii: "\n") || bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        guard bytes.count >= 16 else { throw ProviderConfigError("webhook_signing_secret_file", "the key must be at least 16 bytes") }
        return bytes
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let target = job.to[0]
        guard let url = target.contains(":") ? target : endpoints[target] else {
            return ProviderAnswer(.permanent, reason: "no webhook_endpoint_\(target) in the configuration")
        }
        let body = Self.payload(job).bytes
        var headers = ["Content-Type: application/json", "Idempotency-Key: \(idempotencyKey(job))", "X-Notifyd-Job: \(job.id.text)"]
        if let signingKey {
            let timestamp = WallClock.nowMilliseconds() / 1000
            headers.append("\(WebhookSignature.timestampHeader): \(timestamp)")
            headers.append("\(WebhookSignature.signatureHeader): \(WebhookSignature.sign(body: body, timestamp: timestamp, key: signingKey))")
        }
        let response = await environment.engine.perform(environment.http("POST", url, headers: headers, body: body))
        return .http(response) { response in
            response.header("x-request-id") ?? JSONValue.response(response.body)?["id"]?.string ?? job.id.text
        }
    }

    static func payload(_ job: Job) -> JSONValue {
        var members: [String: JSONValue] = [
            "id": .string(job.id.text),
            "created": .string(Timestamp.format(millisecondsSinceEpoch: job.created)),
            "body": .string(job.body),
            "meta": .strings(job.meta),
        ]
        if let subject = job.subject { members["subject"] = .string(subject) }
        if let key = job.idempotencyKey { members["idempotency_key"] = .string(key) }
        return .object(members)
    }
}
