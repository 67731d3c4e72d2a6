/// A job metadata key: 1 to 64 characters of `A–Z a–z 0–9 _ . -` (ASCII only).
/// Returned unchanged; keys are case-sensitive.
public enum MetadataKey {
    public static let maximumLength = 64

    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        guard !value.isEmpty else {
            throw FieldError(field, "is empty: expected a key of letters, digits, _ . and -")
        }
        if let bad = value.unicodeScalars.first(where: { !isAllowed($0) }) {
            throw FieldError(field, "contains \(ValidationSupport.describe(bad)): a metadata key uses only letters, digits, _ . and -")
        }
        guard value.utf8.count <= maximumLength else {
            throw FieldError(field, "is \(value.utf8.count) characters long; the limit is \(maximumLength)")
        }
        return value
    }

    private static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        guard s.isASCII else { return false }
        let b = UInt8(s.value)
        return ValidationSupport.isLetter(b) || ValidationSupport.isDigit(b) || "_.-".utf8.contains(b)
    }
}
