/// The delivery agents' network and signing parameters (providers.md).
public struct ProviderSettings: Sendable, Equatable {
    /// Longest time to set up a connection (TCP and TLS) to a provider
    /// (CURLOPT_CONNECTTIMEOUT_MS).
    public var connectTimeout: Duration = .seconds(10)
    /// Longest time for a whole request, connection included (CURLOPT_TIMEOUT_MS). Keep it
    /// below `<channel>_delivery_timeout`, so the agent answers before notifyd gives up.
    public var timeout: Duration = .seconds(30)
    /// Connections an agent keeps open to one host (CURLMOPT_MAX_HOST_CONNECTIONS).
    public var hostConnectionLimit = 64
    /// `webhook_endpoint_<name> = URL`: a webhook job whose recipient is `<name>` goes there.
    public var webhookEndpoints: [String: String] = [:]
    /// The HMAC-SHA256 key of webhook signatures; relative paths are looked up in
    /// `$CREDENTIALS_DIRECTORY` (systemd's LoadCredential=). Empty: webhooks go unsigned.
    public var webhookSigningSecretFile = ""

    public init() {}

    init(reader: inout ConfigReader) throws(ConfigError) {
        connectTimeout = try reader.duration("provider_connect_timeout", default: connectTimeout)
        timeout = try reader.duration("provider_timeout", default: timeout)
        hostConnectionLimit = try reader.integer("provider_host_connection_limit", default: hostConnectionLimit, range: 1...10_000)
        webhookSigningSecretFile = reader.string("webhook_signing_secret_file", default: webhookSigningSecretFile)
        for (name, url) in reader.prefixed("webhook_endpoint_") {
            guard case .url(let normalized)? = try? WebhookTarget.validate(url, field: "webhook_endpoint_\(name)") else {
                throw reader.error("webhook_endpoint_\(name)", "not an http(s) URL without credentials")
            }
            webhookEndpoints[name] = normalized
        }
        guard connectTimeout >= .milliseconds(1) else { throw reader.error("provider_connect_timeout", "must be at least 1ms") }
        guard timeout >= connectTimeout else { throw reader.error("provider_timeout", "must not be shorter than provider_connect_timeout") }
    }
}

extension ConfigReader {
    /// Every parameter named `<prefix><name>`, by name (for families such as
    /// `webhook_endpoint_<name>`).
    mutating func prefixed(_ prefix: String) -> [String: String] {
        var values: [String: String] = [:]
        for (key, entry) in file.entries where key.hasPrefix(prefix) && key.count > prefix.count {
            _ = string(key, default: "")
            values[String(key.dropFirst(prefix.count))] = entry.value
        }
        return values
    }
}
