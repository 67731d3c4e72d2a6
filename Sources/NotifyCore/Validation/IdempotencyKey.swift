/// A client-chosen idempotency key: 1 to 100 bytes of printable ASCII without spaces
/// (0x21–0x7E, the VCHAR range of RFC 5234 Appendix B.1), so it can travel unchanged in
/// an HTTP header (`Idempotency-Key`, IETF draft-ietf-httpapi-idempotency-key-header)
/// and a spool file. Returned unchanged; comparison is byte-exact.
public enum IdempotencyKey {
    public static let maximumBytes = 100

    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        guard !value.isEmpty else {
            throw FieldError(field, "is empty: expected 1 to \(maximumBytes) printable ASCII characters")
        }
        if let bad = value.unicodeScalars.first(where: { !(0x21...0x7E).contains($0.value) }) {
            throw FieldError(field, "contains \(ValidationSupport.describe(bad)): only printable ASCII without spaces (0x21 to 0x7E) is allowed")
        }
        guard value.utf8.count <= maximumBytes else {
            throw FieldError(field, "is \(value.utf8.count) bytes long; the limit is \(maximumBytes)")
        }
        return value
    }
}
