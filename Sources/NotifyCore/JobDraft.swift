#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

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
    /// An http(s) URL the submitter wants told about the outcome. Stored in the job as the
    /// metadata entry `callback_url` (no job format change), checked like a webhook URL.
    public var callbackURL: String?

    public init() {}

    /// Template data (`data` in JSON input): only the template renderer uses it.
    public var templateData: JSONValue?

    /// The fields a JSON job object may have. Anything else is rejected by name.
    public static let jsonFields: Set<String> = [
        "channel", "to", "subject", "body", "html", "template", "data", "priority", "send_at", "delay",
        "expires_at", "ttl", "idempotency_key", "meta", "callback_url",
    ]
}

/// Reads a JSON job object straight from the decoder, field by field, so that an unknown
/// field or a wrong type is a `FieldError` naming the field (Codable's own errors name
/// Swift types), and so that 100,000 JSON Lines decode without an intermediate tree.
extension JobDraft: Decodable {
    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public init(from decoder: any Decoder) throws {
        let container: KeyedDecodingContainer<Key>
        do {
            container = try decoder.container(keyedBy: Key.self)
        } catch {
            let actual = (try? JSONValue(from: decoder))?.typeName ?? "something else"
            throw FieldError("input", "expected a JSON object, got \(actual)")
        }
        for key in container.allKeys.map(\.stringValue).sorted() where !JobDraft.jsonFields.contains(key) {
            throw FieldError(key, "unknown field")
        }
        let fields = Fields(container: container)
        channel = try fields.string("channel")
        to = try fields.recipients()
        subject = try fields.string("subject")
        body = try fields.string("body")
        html = try fields.string("html")
        template = try fields.string("template")
        priority = try fields.string("priority")
        sendAt = try fields.string("send_at")
        expiresAt = try fields.string("expires_at")
        idempotencyKey = try fields.string("idempotency_key")
        delay = try fields.duration("delay")
        ttl = try fields.duration("ttl")
        meta = try fields.meta()
        templateData = try fields.value("data")
        callbackURL = try fields.string("callback_url")
    }

    /// Typed access to the fields of one JSON object, with errors that name the field.
    private struct Fields {
        let container: KeyedDecodingContainer<Key>

        func mismatch(_ name: String, expected: String) -> FieldError {
            let actual = (try? container.decode(JSONValue.self, forKey: Key(name)))?.typeName ?? "something else"
            return FieldError(name, "expected \(expected), got \(actual)")
        }

        func present(_ name: String) -> Bool {
            container.contains(Key(name)) && !((try? container.decodeNil(forKey: Key(name))) ?? false)
        }

        func string(_ name: String) throws(FieldError) -> String? {
            guard present(name) else { return nil }
            do { return try container.decode(String.self, forKey: Key(name)) } catch { throw mismatch(name, expected: "a string") }
        }

        func recipients() throws(FieldError) -> [String] {
            guard present("to") else { return [] }
            if let one = try? container.decode(String.self, forKey: Key("to")) { return [one] }
            guard let values = try? container.decode([JSONValue].self, forKey: Key("to")) else {
                throw mismatch("to", expected: "a string or an array of strings")
            }
            var result: [String] = []
            for (index, value) in values.enumerated() {
                guard case .string(let text) = value else {
                    throw FieldError("to[\(index)]", "expected a string, got \(value.typeName)")
                }
                result.append(text)
            }
            return result
        }

        /// A duration as text (`"10m"`) or whole seconds.
        func duration(_ name: String) throws(FieldError) -> String? {
            guard present(name) else { return nil }
            if let text = try? container.decode(String.self, forKey: Key(name)) { return text }
            guard let seconds = try? container.decode(Double.self, forKey: Key(name)),
                  seconds >= 0, seconds < 1e10, seconds == seconds.rounded()
            else { throw FieldError(name, "expected whole seconds or a duration such as \"10m\"") }
            return String(Int(seconds))
        }

        func meta() throws(FieldError) -> [String: String] {
            guard present("meta") else { return [:] }
            guard let entries = try? container.decode([String: JSONValue].self, forKey: Key("meta")) else {
                throw mismatch("meta", expected: "an object")
            }
            var result: [String: String] = [:]
            for (key, value) in entries {
                switch value {
                case .string(let text): result[key] = text
                case .number(let number) where number == number.rounded() && abs(number) < 1e15:
                    result[key] = String(Int64(number))
                case .bool(let flag): result[key] = flag ? "true" : "false"
                default: throw FieldError("meta.\(key)", "expected a string, number or boolean, got \(value.typeName)")
                }
            }
            return result
        }

        func value(_ name: String) throws(FieldError) -> JSONValue? {
            guard present(name) else { return nil }
            do { return try container.decode(JSONValue.self, forKey: Key(name)) } catch { throw mismatch(name, expected: "JSON") }
        }
    }
}
