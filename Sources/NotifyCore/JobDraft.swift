/// A job as a submitter asked for it, before validation: the common shape of command-line
/// flags, JSON input and API requests. `JobDraft.validate` turns it into jobs or throws a
/// `FieldError` that names the field.
public struct JobDraft: Sendable, Equatable {
    public var channel: String?
    public var to: [String] = []
    public var subject: String?
    public var body: String?
    public var html: String?
    public var template: String?
    public var priority: String?
    /// RFC 3339 time: send no earlier than this.
    public var sendAt: String?
    /// A duration from now (`10m`): send no earlier than now plus this.
    public var delay: String?
    /// RFC 3339 time: give up after this.
    public var expiresAt: String?
    /// A duration from now: give up after this.
    public var ttl: String?
    public var idempotencyKey: String?
    public var meta: [String: String] = [:]
    public var batch: String?

    public init() {}

    /// The fields a JSON job object may have. Anything else is rejected by name.
    public static let jsonFields: Set<String> = [
        "channel", "to", "subject", "body", "html", "template", "data", "priority", "send_at", "delay",
        "expires_at", "ttl", "idempotency_key", "meta",
    ]

    /// Reads a JSON job object. `data` (template data) is returned separately because only
    /// the template renderer uses it.
    public init(json: JSONValue, field prefix: String? = nil) throws(FieldError) {
        func name(_ field: String) -> String { prefix.map { "\($0).\(field)" } ?? field }
        guard case .object(let object) = json else {
            throw FieldError(prefix ?? "input", "expected a JSON object, got \(json.typeName)")
        }
        for key in object.keys.sorted() where !JobDraft.jsonFields.contains(key) {
            throw FieldError(name(key), "unknown field")
        }
        func string(_ key: String) throws(FieldError) -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let value)?: return value
            case let other?: throw FieldError(name(key), "expected a string, got \(other.typeName)")
            }
        }
        channel = try string("channel")
        switch object["to"] {
        case nil, .null?: break
        case .string(let value)?: to = [value]
        case .array(let values)?:
            for (index, value) in values.enumerated() {
                guard case .string(let text) = value else {
                    throw FieldError(name("to[\(index)]"), "expected a string, got \(value.typeName)")
                }
                to.append(text)
            }
        case let other?: throw FieldError(name("to"), "expected a string or an array of strings, got \(other.typeName)")
        }
        subject = try string("subject")
        body = try string("body")
        html = try string("html")
        template = try string("template")
        priority = try string("priority")
        sendAt = try string("send_at")
        expiresAt = try string("expires_at")
        idempotencyKey = try string("idempotency_key")
        for key in ["delay", "ttl"] {
            let value: String?
            switch object[key] {
            case .number(let seconds)?:
                guard seconds >= 0, seconds < 1e10, seconds == seconds.rounded() else {
                    throw FieldError(name(key), "expected whole seconds or a duration such as \"10m\"")
                }
                value = String(Int(seconds))
            default: value = try string(key)
            }
            if key == "delay" { delay = value } else { ttl = value }
        }
        switch object["meta"] {
        case nil, .null?: break
        case .object(let entries)?:
            for (key, value) in entries {
                switch value {
                case .string(let text): meta[key] = text
                case .number(let number) where number == number.rounded() && abs(number) < 1e15:
                    meta[key] = String(Int64(number))
                case .bool(let flag): meta[key] = flag ? "true" : "false"
                default: throw FieldError(name("meta.\(key)"), "expected a string, number or boolean, got \(value.typeName)")
                }
            }
        case let other?: throw FieldError(name("meta"), "expected an object, got \(other.typeName)")
        }
    }
}
