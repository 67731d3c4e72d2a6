/// A phone number in E.164 form (ITU-T Recommendation E.164): `+`, a country code
/// whose first digit is not 0, then the national number; nothing but digits after the `+`.
///
/// E.164 allows at most 15 digits. We also require at least 8 (country code included):
/// that covers mobile numbers everywhere SMS is sold, and a shorter digit string is far
/// more often a typo or a local number missing its country code. A handful of tiny
/// numbering plans (Niue: +683 and four digits) are shorter and are rejected.
/// The rule is strict on purpose: separators are not stripped, but the error says how
/// to fix the input (remove spaces, add the + and country code, replace 00 with +).
public enum PhoneNumber {
    /// Fewest digits accepted after the `+` (our rule, not E.164's).
    public static let minimumDigits = 8
    /// Most digits E.164 allows after the `+`.
    public static let maximumDigits = 15

    /// Returns `value` unchanged if it is `+` followed by 8–15 ASCII digits, the first not 0.
    /// - Throws: `FieldError(field, reason)` naming what to change.
    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        let example = "e.g. +14155550123"
        let bytes = Array(value.utf8)
        guard !bytes.isEmpty else {
            throw FieldError(field, "is empty: expected an E.164 number (\(example))")
        }
        let separators = " \t-()./".utf8
        if bytes.contains(where: separators.contains) {
            throw FieldError(field, "not an E.164 number: remove spaces, dashes, dots and parentheses (\(example))")
        }
        guard bytes[0] == UInt8(ascii: "+") else {
            if bytes.allSatisfy(ValidationSupport.isDigit) {
                if bytes.starts(with: [0x30, 0x30]) && bytes.count > 2 {
                    let suggestion = "+" + String(decoding: bytes.dropFirst(2), as: UTF8.self)
                    throw FieldError(field, "not an E.164 number: replace the leading 00 with + (\(suggestion))")
                }
                throw FieldError(field, "not an E.164 number: add the + and country code (\(example))")
            }
            throw FieldError(field, "not an E.164 number: must start with + and a country code (\(example))")
        }
        let digits = bytes.dropFirst()
        if let bad = value.unicodeScalars.dropFirst().first(where: { !($0.isASCII && ValidationSupport.isDigit(UInt8($0.value))) }) {
            throw FieldError(field, "not an E.164 number: only digits may follow the +, found \(ValidationSupport.describe(bad))")
        }
        guard let first = digits.first else {
            throw FieldError(field, "not an E.164 number: no digits after the + (\(example))")
        }
        guard first != UInt8(ascii: "0") else {
            throw FieldError(field, "not an E.164 number: the country code cannot start with 0")
        }
        guard (minimumDigits...maximumDigits).contains(digits.count) else {
            throw FieldError(field, "not an E.164 number: has \(digits.count) digits after the +; must be \(minimumDigits) to \(maximumDigits) (\(example))")
        }
        return value
    }
}
