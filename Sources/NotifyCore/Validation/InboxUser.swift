/// An in-app inbox user name. It becomes a directory name in the spool, so it must be a
/// safe single path component on any POSIX file system:
///
/// - 1 to 64 characters from `A–Z a–z 0–9 . _ @ + -` (ASCII only, so characters are bytes);
/// - not starting with `.` (which also rules out `.` and `..` and hidden files) or `-`
///   (which a shell tool would read as an option).
///
/// Path separators, NUL, control characters, spaces and non-ASCII are rejected. Names are
/// case-sensitive and returned unchanged: `Alice` and `alice` are two inboxes.
public enum InboxUser {
    public static let maximumLength = 64

    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        guard let first = value.utf8.first else {
            throw FieldError(field, "is empty: expected a user name such as alice or alice@example.com")
        }
        for scalar in value.unicodeScalars where !isAllowed(scalar) {
            let what: String
            switch scalar {
            case "/", "\\": what = "a path separator '\(scalar)'"
            default: what = ValidationSupport.describe(scalar)
            }
            throw FieldError(field, "contains \(what): only letters, digits and . _ @ + - are allowed")
        }
        guard value.utf8.count <= maximumLength else {
            throw FieldError(field, "is \(value.utf8.count) characters long; the limit is \(maximumLength)")
        }
        if first == UInt8(ascii: ".") || first == UInt8(ascii: "-") {
            throw FieldError(field, "cannot start with '\(Character(Unicode.Scalar(first)))'")
        }
        return value
    }

    private static func isAllowed(_ s: Unicode.Scalar) -> Bool {
        guard s.isASCII else { return false }
        let b = UInt8(s.value)
        return ValidationSupport.isLetter(b) || ValidationSupport.isDigit(b) || "._@+-".utf8.contains(b)
    }
}
