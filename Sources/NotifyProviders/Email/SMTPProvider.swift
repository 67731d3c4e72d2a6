import NotifyAgentKit
import NotifyCore

/// SMTP submission through libcurl (providers.md):
///
///     smtp://[user:password@]host[:port]?from=ADDRESS[&tls=required|try|none][&ca_file=PATH]
///     smtps://[user:password@]host[:port]?from=ADDRESS[&ca_file=PATH]
///
/// `smtp://` defaults to port 587 with STARTTLS required; `smtps://` to 465 with TLS from
/// the start. AUTH is used when a user is given (libcurl picks PLAIN or LOGIN from the
/// server's EHLO). One transfer per job, all its recipients in one envelope.
public struct SMTPProvider: DeliveryProvider {
    public let name: String
    let environment: ProviderEnvironment
    let url: String
    let from: String
    let user: String?
    let password: String?
    let caFile: String?
    let security: CurlRequest.SMTPSecurity

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        from = try config.required("from")
        user = try config.user()
        password = try config.password()
        caFile = config.query["ca_file"]
        let secure = config.scheme == "smtps"
        let port = config.port ?? (secure ? 465 : 587)
        url = "\(config.scheme)://\(config.host):\(port)"
        switch config.query["tls"] ?? "required" {
        case "required": security = .requireStartTLS
        case "try": security = .tryStartTLS
        case "none":
            guard !secure else { throw ProviderConfigError(config.label, "smtps:// is always TLS; tls=none needs smtp://") }
            security = .none
        case let other: throw ProviderConfigError(config.label, "tls=\(other): use required, try or none")
        }
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let message = MIMEMessage(
            from: from, to: job.to, subject: job.subject ?? "", text: job.body, html: job.html,
            messageID: MIMEMessage.messageID(job: job, from: from), idempotencyKey: idempotencyKey(job),
            dateSeconds: WallClock.nowMilliseconds() / 1000)
        let request = CurlRequest(
            url: url, kind: .smtp(from: from, recipients: job.to, message: message.bytes, security: security),
            username: user, password: password, caFile: caFile,
            connectTimeoutMilliseconds: environment.connectTimeoutMilliseconds, timeoutMilliseconds: environment.timeoutMilliseconds)
        let response = await environment.engine.perform(request)
        return Self.answer(response, messageID: message.messageID)
    }

    /// The SMTP reply decides when there is one; otherwise curl's transport result.
    static func answer(_ response: CurlResponse, messageID: String) -> ProviderAnswer {
        // The reply that decided (not the "221 Bye" of the QUIT that follows it).
        let lastLine = response.serverLines.last(where: { $0.hasPrefix(String(response.status)) })
            ?? response.serverLines.last(where: { $0.first?.isNumber == true }) ?? ""
        if response.status >= 200 && (response.curlCode == 0 || response.status >= 400) {
            let result = DeliveryClassifier.smtp(code: response.status)
            return ProviderAnswer(result, reason: lastLine.isEmpty ? "SMTP \(response.status)" : lastLine,
                                  code: String(response.status), providerID: result == .delivered ? messageID : nil)
        }
        let (result, unknown) = DeliveryClassifier.transport(curlCode: response.curlCode, requestSent: response.requestSent)
        let reason = (unknown ? "outcome unknown: " : "") + response.errorText + (lastLine.isEmpty ? "" : " (\(lastLine))")
        return ProviderAnswer(result, reason: reason, code: "curl \(response.curlCode)", outcomeUnknown: unknown)
    }
}
