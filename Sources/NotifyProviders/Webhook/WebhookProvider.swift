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
        let body = Self.payload(job)
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

    /// The JSON body, keys sorted, written with `JSONWriter` (the hot path of the channel).
    static func payload(_ job: Job) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + job.body.utf8.count)
        writer.beginObject()
        writer.string("body", job.body)
        writer.string("created", Timestamp.format(millisecondsSinceEpoch: job.created))
        writer.string("id", job.id.text)
        writer.string("idempotency_key", job.idempotencyKey)
        writer.object("meta")
        for (key, value) in job.meta.sorted(by: { $0.key < $1.key }) { writer.string(key, value) }
        writer.endObject()
        writer.string("subject", job.subject)
        writer.endObject()
        return writer.bytes
    }
}
