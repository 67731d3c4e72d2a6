import NotifyAgentKit
import NotifyCLI
import NotifyCore
import NotifySpool
import Synchronization

/// Which provider entries each channel's agent understands (providers.md), as the
/// `AgentRunner.ProviderFactory` of its program. All providers of an agent share one
/// `CurlEngine`, made on first use.
public enum ProviderCatalog {
    /// The schemes (or names) each channel accepts, besides `outbox`.
    public static let schemes: [Channel: [String]] = [
        .email: ["smtp", "smtps", "brevo", "sendgrid"],
        .sms: ["twilio", "sms+http", "sms+https"],
        .push: ["fcm", "ntfy", "ntfys"],
        .webhook: ["webhook"],
        .inbox: ["maildir"],
    ]

    public static func factory(for channel: Channel) -> AgentRunner.ProviderFactory {
        let engines = Mutex<CurlEngine?>(nil)
        return { entry, spool, settings in
            let engine = engines.withLock { engine in
                if engine == nil { engine = CurlEngine(hostConnectionLimit: settings.providers.hostConnectionLimit) }
                return engine!
            }
            let environment = ProviderEnvironment(engine: engine, settings: settings, spool: spool)
            do {
                return try provider(for: entry, channel: channel, environment: environment)
            } catch {
                throw CommandFailure("\(settings.configPath): \(channel.rawValue)_providers: \(error)", code: .config)
            }
        }
    }

    /// The provider of one entry, or nil when the channel has no such provider.
    public static func provider(for entry: String, channel: Channel, environment: ProviderEnvironment) throws(ProviderConfigError) -> (any DeliveryProvider)? {
        switch (channel, entry) {
        case (_, "outbox"): return OutboxProvider(spool: environment.spool)
        case (.webhook, "webhook"): return try WebhookProvider(environment: environment)
        case (.inbox, "maildir"): return MaildirProvider(spool: environment.spool)
        default: break
        }
        guard entry.contains("://") else { return nil }
        let url = try ProviderURL(entry)
        guard schemes[channel]?.contains(url.scheme) == true else { return nil }
        switch url.scheme {
        case "smtp", "smtps": return try SMTPProvider(url, environment: environment)
        case "brevo": return try BrevoProvider(url, environment: environment)
        case "sendgrid": return try SendGridProvider(url, environment: environment)
        case "twilio": return try TwilioProvider(url, environment: environment)
        case "sms+http", "sms+https": return try HTTPTemplateProvider(url, environment: environment)
        case "fcm": return try FCMProvider(url, environment: environment)
        case "ntfy", "ntfys": return try NtfyProvider(url, environment: environment)
        default: return nil
        }
    }
}

