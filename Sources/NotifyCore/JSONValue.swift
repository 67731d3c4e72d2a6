#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

/// Any JSON value, for input whose fields are checked one by one (so an unknown or
/// mistyped field gets an error that names it, which Codable cannot give).
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most values are strings and most containers objects: try those first, because
        // each failed attempt costs a thrown error.
        if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([String: JSONValue].self) { self = .object(value) }
        else if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else { self = .array(try container.decode([JSONValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// Parses one JSON text. Errors say what is wrong without a Swift type dump.
    public static func parse(_ bytes: some Collection<UInt8>, field: String = "input") throws(FieldError) -> JSONValue {
        try JSONInput.decode(JSONValue.self, from: bytes, field: field)
    }

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Decoding JSON input into notifyd's input types, with every failure as a `FieldError`.
public enum JSONInput {
    /// Decodes one JSON text. Malformed JSON is reported under `field`; a `FieldError`
    /// thrown by the type's own decoder (an unknown or mistyped field) passes through.
    public static func decode<T: Decodable>(_ type: T.Type, from bytes: some Collection<UInt8>, field: String = "input") throws(FieldError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(bytes))
        } catch let error as FieldError {
            throw error
        } catch let DecodingError.dataCorrupted(context) {
            let detail = context.underlyingError.map { String(describing: $0) } ?? context.debugDescription
            throw FieldError(field, "malformed JSON: \(detail)")
        } catch {
            throw FieldError(field, "malformed JSON")
        }
    }
}

/// One element of a JSON array of inputs, decoded on its own: a bad element is that row's
/// error and does not fail its neighbours.
public struct DecodedRow<Value: Decodable>: Decodable {
    public let result: Result<Value, FieldError>

    public init(from decoder: any Decoder) throws {
        do {
            result = .success(try Value(from: decoder))
        } catch let error as FieldError {
            result = .failure(error)
        }
    }
}
