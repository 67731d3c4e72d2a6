#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore

extension JSONValue {
    /// The JSON text of a request body: sorted keys, no escaped slashes.
    var bytes: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return [UInt8]((try? encoder.encode(self)) ?? Data("null".utf8))
    }

    /// A member of an object; nil for anything else.
    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// Parses a response body; nil when it is not JSON.
    static func response(_ bytes: [UInt8]) -> JSONValue? { try? JSONValue.parse(bytes) }

    /// A string-to-string object (a job's meta).
    static func strings(_ values: [String: String]) -> JSONValue { .object(values.mapValues { .string($0) }) }
}
