/// A job metadata value: any UTF-8 text of at most 1024 bytes without control characters
/// (C0 U+0000–U+001F, which includes tab, CR and LF; DEL; C1 U+0080–U+009F), so a value
/// is always one line in logs and headers. May be empty. Returned unchanged.
public enum MetadataValue {
    public static let maximumBytes = 1024

    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        if let bad = value.unicodeScalars.first(where: ValidationSupport.isControl) {
            throw FieldError(field, "contains \(ValidationSupport.describe(bad)): metadata values cannot contain control characters")
        }
        guard value.utf8.count <= maximumBytes else {
            throw FieldError(field, "is \(value.utf8.count) bytes long; the limit is \(maximumBytes)")
        }
        return value
    }
}
