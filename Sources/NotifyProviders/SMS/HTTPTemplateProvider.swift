import NotifyAgentKit
import NotifyCore

/// A generic HTTP SMS gateway described by its URL (providers.md), enough for
/// BulkSMS-style APIs:
///
///     sms+https://[user:password@]host[:port]/path?encoding=json|form|query
///         &param_NAME=TEMPLATE…[&id_field=NAME][&method=POST|GET][&header_NAME=VALUE…]
///
/// (`sms+http://` for plain HTTP.) Each `param_NAME=TEMPLATE` becomes a field of the
/// request; in TEMPLATE, `{to}`, `{body}`, `{id}` and `{key}` (the idempotency key) are
/// replaced by the job's values. `encoding` puts the fields into a JSON object, a form
/// body, or the query string (with `method=GET`). A user and password become basic auth.
/// `id_field` names the member of a JSON response (or of its first element, when the
/// response is an array) holding the message id.
public struct HTTPTemplateProvider: DeliveryProvider {
    public enum Encoding: String, Sendable { case json, form, query }

    public let name: String
    let environment: ProviderEnvironment
    let endpoint: String
    let method: String
    let encoding: Encoding
    let fields: [(name: String, template: String)]
    let headers: [String]
    let idField: String?
    let user: String?
    let password: String?

    public init(_ config: ProviderURL, environment: ProviderEnvironment) throws(ProviderConfigError) {
        name = config.label
        self.environment = environment
        let scheme = config.scheme == "sms+http" ? "http" : "https"
        endpoint = "\(scheme)://\(config.host)\(config.port.map { ":\($0)" } ?? "")\(config.path)"
        guard let encoding = Encoding(rawValue: config.query["encoding"] ?? "json") else {
            throw ProviderConfigError(config.label, "encoding= is json, form or query")
        }
        self.encoding = encoding
        method = (config.query["method"] ?? (encoding == .query ? "GET" : "POST")).uppercased()
        guard method == "GET" || method == "POST" else { throw ProviderConfigError(config.label, "method= is GET or POST") }
        guard method == "POST" || encoding == .query else { throw ProviderConfigError(config.label, "method=GET needs encoding=query") }
        fields = config.query.filter { $0.key.hasPrefix("param_") }.map { (String($0.key.dropFirst(6)), $0.value) }.sorted { $0.name < $1.name }
        guard !fields.isEmpty else { throw ProviderConfigError(config.label, "needs at least one param_NAME=TEMPLATE") }
        headers = config.query.filter { $0.key.hasPrefix("header_") }.map { "\($0.key.dropFirst(7)): \($0.value)" }.sorted()
        idField = config.query["id_field"]
        user = try config.user()
        password = try config.password()
    }

    public func deliver(_ job: Job, attempt: Int) async -> ProviderAnswer {
        let values = fields.map { ($0.name, Self.expand($0.template, job: job)) }
        var url = endpoint
        var body: [UInt8] = []
        var contentType: [String] = []
        switch encoding {
        case .json:
            body = JSONValue.object(Dictionary(values.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { $1 })).bytes
            contentType = ["Content-Type: application/json"]
        case .form:
            body = Array(FormEncoding.encode(values).utf8)
            contentType = ["Content-Type: application/x-www-form-urlencoded"]
        case .query:
            url += (url.contains("?") ? "&" : "?") + FormEncoding.encode(values)
        }
        let request = environment.http(method, url, headers: contentType + headers + ["Idempotency-Key: \(idempotencyKey(job))"],
                                       body: body, username: user, password: password)
        let response = await environment.engine.perform(request)
        return .http(response) { response in
            guard let idField, let json = JSONValue.response(response.body) else { return nil }
            let object = json.array?.first ?? json
            if let text = object[idField]?.string { return text }
            return object[idField]?.number.map { String(Int64($0)) }
        }
    }

    static func expand(_ template: String, job: Job) -> String {
        // The body last, so text in it is never taken for a placeholder.
        template.replacing("{id}", with: job.id.text).replacing("{key}", with: idempotencyKey(job))
            .replacing("{to}", with: job.to[0]).replacing("{body}", with: job.body)
    }
}
