import NotifyAgentKit
import NotifyCore

/// Firebase Cloud Messaging HTTP v1 (providers.md):
///
///     fcm://PROJECT_ID?key_file=SERVICE_ACCOUNT.json[&base_url=https://fcm.googleapis.com]
///
/// `POST /v1/projects/{project}/messages:send` with a bearer token minted from the service
/// account (ServiceAccountToken). The job's recipient is a registration token or
/// `topic:NAME`; subject and body become the notification, meta the data. 200 carries
/// `{"name": "projects/…/messages/…"}`. Errors are classified by FCM's `errorCode`.
public struct FCMProvider: DeliveryProvider {
    public let name: String
    let environment: ProviderEnvironment
    let endpoint: String
    let tokens: ServiceAccountToken

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        guard !config.host.isEmpty else { throw ProviderConfigError(config.label, "needs the project: fcm://PROJECT_ID?key_file=…") }
        endpoint = config.baseURL(default: "https://fcm.googleapis.com") + "/v1/projects/\(config.host)/messages:send"
        let keyBytes = try ProviderURL.readCredentialBytes(try config.required("key_file"), label: config.label)
        tokens = ServiceAccountToken(account: try ServiceAccountToken.account(json: keyBytes, label: config.label), environment: environment)
    }

    /// A 401 to a cached token (revoked, or expired before its `expires_in`) gets one more
    /// send with a freshly minted token; a second 401 means the credentials are wrong.
    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        var minted = false
        while true {
            let token: String
            switch await tokens.token() {
            case .success(let value): token = value
            case .failure(let error): return error.answer
            }
            let response = await environment.engine.perform(request(job, token: token))
            guard response.status == 401 else { return Self.answer(response) }
            await tokens.invalidate()
            if minted { return Self.answer(response) }
            minted = true
        }
    }

    func request(_ job: Job, token: String) -> CurlRequest {
        let recipient = job.to[0]
        var message: [String: JSONValue] = [
            "notification": .object(["title": .string(job.subject ?? ""), "body": .string(job.body)]),
            "data": .strings(job.meta),
        ]
        if recipient.hasPrefix("topic:") { message["topic"] = .string(String(recipient.dropFirst(6))) } else { message["token"] = .string(recipient) }
        return environment.http("POST", endpoint, headers: ["Authorization: Bearer \(token)", "Content-Type: application/json"],
                                body: JSONValue.object(["message": .object(message)]).bytes)
    }

    static func answer(_ response: CurlResponse) -> ProviderAnswer {
        var answer = ProviderAnswer.http(response) { JSONValue.response($0.body)?["name"]?.string }
        guard response.curlCode == 0, !(200...299).contains(response.status),
              let errorCode = fcmErrorCode(response.body) else { return answer }
        let (result, delay) = DeliveryClassifier.fcm(errorCode: errorCode, status: response.status, retryAfterMilliseconds: answer.retryAfterMilliseconds)
        answer.result = result
        answer.retryAfterMilliseconds = result == .permanent || result == .unauthorized ? nil : delay
        answer.reason = "FCM \(errorCode): " + answer.reason
        return answer
    }

    /// `error.details[].errorCode` of an FcmError, else `error.status`.
    static func fcmErrorCode(_ body: [UInt8]) -> String? {
        guard let error = JSONValue.response(body)?["error"] else { return nil }
        for detail in error["details"]?.array ?? [] {
            if let code = detail["errorCode"]?.string { return code }
        }
        return error["status"]?.string
    }
}
