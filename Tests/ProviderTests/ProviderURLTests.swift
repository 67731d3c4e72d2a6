import Foundation
import NotifyCore
import NotifyProviders
import Testing

@Suite struct ProviderURLTests {
    @Test func parsesAppriseStyleURLs() throws {
        let smtp = try ProviderURL("smtps://user%40example.com:p%3Ass@smtp.example.com:465?from=noreply@example.com")
        #expect(smtp.scheme == "smtps")
        #expect(smtp.host == "smtp.example.com")
        #expect(smtp.port == 465)
        #expect(try smtp.user() == "user@example.com")
        #expect(try smtp.password() == "p:ss")
        #expect(smtp.query["from"] == "noreply@example.com")

        let twilio = try ProviderURL("twilio://AC123:token@+15551234567")
        #expect(twilio.host == "+15551234567")
        #expect(try twilio.user() == "AC123")

        let brevo = try ProviderURL("brevo://xkeysib-abc@/?from=a@example.com")
        #expect(brevo.host == "")
        #expect(try brevo.user() == "xkeysib-abc")

        let ipv6 = try ProviderURL("ntfy://[::1]:8080/alerts")
        #expect(ipv6.host == "[::1]")
        #expect(ipv6.port == 8080)
        #expect(ipv6.path == "/alerts")
    }

    @Test func labelsCarryNoSecrets() {
        #expect(ProviderList.redacted("smtps://user:secret@smtp.example.com:465?from=a@b") == "smtps://smtp.example.com:465")
        #expect(ProviderList.redacted("twilio://AC1:tok@+15551234567") == "twilio://+15551234567")
        #expect(ProviderList.redacted("brevo://KEY@/?from=x") == "brevo://")
        #expect(ProviderList.redacted("ntfy://host/topic/secret-path") == "ntfy://host/topic/…")
        #expect(ProviderList.redacted("outbox") == "outbox")
        #expect(ProviderList.label("smtp://u:p@a:25, brevo://K@/?from=x") == "smtp://a:25,brevo://")
    }

    @Test func credentialsFromFilesAndTheCredentialsDirectory() throws {
        let directory = NSTemporaryDirectory() + "notifyd-credentials-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "tok-from-file\n".write(toFile: directory + "/twilio-token", atomically: true, encoding: .utf8)

        let absolute = try ProviderURL("twilio://AC1@+15551234567?password_file=\(directory)/twilio-token")
        #expect(try absolute.password() == "tok-from-file")

        setenv("CREDENTIALS_DIRECTORY", directory, 1)
        let relative = try ProviderURL("twilio://AC1@+15551234567?password_file=twilio-token")
        #expect(try relative.password() == "tok-from-file")

        let missing = try ProviderURL("twilio://AC1@+15551234567?password_file=/nonexistent/x")
        #expect(throws: ProviderConfigError.self) { try missing.password() }
    }

    @Test func channelProvidersAreAListWithARedactedLabel() throws {
        let settings = try Settings(file: ConfigFile.parse("""
            email_providers = smtps://u:secret@smtp.example.com?from=a@example.com,
                brevo://KEY@/?from=a@example.com
            webhook_endpoint_billing = https://billing.example.com/hooks
            provider_timeout = 20s
            """, path: "t.conf"))
        let delivery = settings.channel(.email).delivery
        #expect(delivery.providerEntries.count == 2)
        #expect(delivery.provider == "smtps://smtp.example.com,brevo://")
        #expect(!delivery.provider.contains("secret"))
        #expect(settings.providers.webhookEndpoints["billing"] == "https://billing.example.com/hooks")
        #expect(settings.providers.timeout == .seconds(20))
    }
}
