// A rejected input value: which field, and why. Every program turns it into
// a message of the form "FIELD: REASON" and exit code 65 (or HTTP 422).
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public var field: String
    public var reason: String

    public init(_ field: String, _ reason: String) {
        self.field = field
        self.reason = reason
    }

    public var description: String { "\(field): \(reason)" }

    /// The same error, for a field nested under `parent` (e.g. row 12, `data.email`).
    public func nested(under parent: String) -> FieldError {
        FieldError("\(parent).\(field)", reason)
    }
}
