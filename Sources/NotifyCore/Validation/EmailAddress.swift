/// An email address as a bare addr-spec, `local-part@domain` (RFC 5322 §3.4.1),
/// within the SMTP limits of RFC 5321 §4.1.2, §4.1.3 and §4.5.3.1.
///
/// - Local part: a dot-atom (RFC 5322 §3.2.3 atext: letters, digits and
///   ``!#$%&'*+-/=?^_`{|}~``, joined by single dots, no leading or trailing dot) or a
///   non-empty quoted string (RFC 5321 QcontentSMTP: printable ASCII including space,
///   with `\` escaping `"` and `\`). At most 64 octets, quotes included.
/// - UTF-8 local parts are accepted (SMTPUTF8, RFC 6531 §3.3 adds UTF8-non-ascii to
///   atext and qtext), except invisible characters: format controls such as bidi
///   overrides and zero-width joiners, separators, private-use and unassigned code points.
/// - Domain: a host name of LDH labels (RFC 1035 §2.3.1 as relaxed by RFC 1123 §2.1),
///   each 1–63 octets without a leading or trailing hyphen, at least two labels, the last
///   not all digits; or an address literal `[192.0.2.1]` / `[IPv6:2001:db8::1]`
///   (RFC 5321 §4.1.3, where `::` may stand beside at most 6 groups). Internationalized
///   domains must be given in their ASCII `xn--` form: U-labels are rejected, because
///   checking them needs IDNA tables this module does not carry.
/// - Whole address: at most 254 octets (the 256-octet RFC 5321 path minus `<` and `>`).
/// - Display-name forms (`Name <a@example.com>`), comments and folding white space are
///   rejected; no control character (CR, LF, tab, NUL…) is ever accepted, so a validated
///   address cannot inject a header line.
///
/// Normalization lowercases the domain (and the `IPv6:` tag's hex digits); the local part
/// is case-sensitive (RFC 5321 §2.4) and is returned unchanged.
public enum EmailAddress {
    public static let maximumLocalPartOctets = 64
    public static let maximumOctets = 254
    public static let maximumLabelOctets = 63

    /// Returns the address with its domain lowercased.
    /// - Throws: `FieldError(field, reason)` saying what is wrong.
    public static func validate(_ value: String, field: String) throws(FieldError) -> String {
        let scalars = Array(value.unicodeScalars)
        guard let first = scalars.first, let last = scalars.last else {
            throw FieldError(field, "is empty: expected an address such as alice@example.com")
        }
        if let control = scalars.first(where: ValidationSupport.isControl) {
            throw FieldError(field, "contains \(ValidationSupport.describe(control)): an address is one line without control characters")
        }
        if first.properties.isWhitespace || last.properties.isWhitespace {
            throw FieldError(field, "has leading or trailing spaces: remove them")
        }
        if last == ">", scalars.contains("<") {
            throw FieldError(field, "looks like a display-name form (Name <a@example.com>): pass the bare address only, e.g. a@example.com")
        }
        let octets = value.utf8.count
        guard octets <= maximumOctets else {
            throw FieldError(field, "is \(octets) octets long; the limit is \(maximumOctets)")
        }
        let at = try splitIndex(scalars, field: field)
        let local = String(String.UnicodeScalarView(scalars[..<at]))
        let domain = String(String.UnicodeScalarView(scalars[(at + 1)...]))
        let localOctets = local.utf8.count
        guard localOctets <= maximumLocalPartOctets else {
            throw FieldError(field, "the local part (before the @) is \(localOctets) octets; the limit is \(maximumLocalPartOctets)")
        }
        return local + "@" + (try normalizedDomain(domain[...], field: field))
    }

    /// Finds the `@` that ends the local part, checking the local part's syntax on the way.
    private static func splitIndex(_ s: [Unicode.Scalar], field: String) throws(FieldError) -> Int {
        if s[0] == "\"" {
            var i = 1
            while i < s.count, s[i] != "\"" {
                if s[i] == "\\" {
                    guard i + 1 < s.count, (0x20...0x7E).contains(s[i + 1].value) else {
                        throw FieldError(field, "the quoted local part has a backslash that escapes nothing printable")
                    }
                    i += 2
                    continue
                }
                try checkNonASCII(s[i], field: field)
                i += 1
            }
            guard i < s.count else {
                throw FieldError(field, "the quoted local part has no closing \"")
            }
            guard i > 1 else { throw FieldError(field, "the quoted local part is empty") }
            guard i + 1 < s.count, s[i + 1] == "@" else {
                throw FieldError(field, "the quoted local part must be followed directly by @")
            }
            return i + 1
        }
        let ats = s.indices.filter { s[$0] == "@" }
        guard let at = ats.first else {
            throw FieldError(field, "has no @: expected local-part@domain, e.g. alice@example.com")
        }
        guard ats.count == 1 else {
            throw FieldError(field, "has more than one @ (an @ in the local part must be inside quotes)")
        }
        guard at > 0 else { throw FieldError(field, "has nothing before the @") }
        if s[0] == "." { throw FieldError(field, "the local part cannot start with a dot") }
        if s[at - 1] == "." { throw FieldError(field, "the local part cannot end with a dot") }
        for i in 0..<at {
            let c = s[i]
            if c == ".", s[i + 1] == "." {
                throw FieldError(field, "the local part cannot contain two dots in a row (..) unless quoted")
            }
            if c.isASCII {
                guard isAtext(UInt8(c.value)) || c == "." else {
                    throw FieldError(field, "the local part contains \(ValidationSupport.describe(c)), which is only allowed inside quotes (\"...\")")
                }
            } else {
                try checkNonASCII(c, field: field)
            }
        }
        return at
    }

    /// ASCII characters allowed in an unquoted local part besides `.` (RFC 5322 atext).
    private static func isAtext(_ b: UInt8) -> Bool {
        ValidationSupport.isLetter(b) || ValidationSupport.isDigit(b)
            || "!#$%&'*+-/=?^_`{|}~".utf8.contains(b)
    }

    /// Non-ASCII is allowed in the local part (RFC 6531) unless it is invisible.
    /// ASCII passed here (inside quotes) must be qtextSMTP: printable or space, not `"` or `\`.
    private static func checkNonASCII(_ c: Unicode.Scalar, field: String) throws(FieldError) {
        if c.isASCII { return }  // printable ASCII and space: controls were rejected earlier
        switch c.properties.generalCategory {
        case .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .privateUse, .unassigned, .surrogate:
            throw FieldError(field, "the local part contains \(ValidationSupport.describe(c)), which is not allowed in an address")
        default:
            return
        }
    }

    private static func normalizedDomain(_ domain: Substring, field: String) throws(FieldError) -> String {
        guard !domain.isEmpty else { throw FieldError(field, "has nothing after the @") }
        if domain.first == "[" {
            return try normalizedLiteral(domain, field: field)
        }
        if let c = domain.unicodeScalars.first(where: { !$0.isASCII }) {
            throw FieldError(field, "the domain contains \(ValidationSupport.describe(c)): write an internationalized domain in its ASCII xn-- form")
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else {
                throw FieldError(field, "the domain has an empty label (a leading, trailing or double dot)")
            }
            guard label.utf8.count <= maximumLabelOctets else {
                throw FieldError(field, "the domain label '\(label.prefix(20))…' is \(label.utf8.count) octets; the limit is \(maximumLabelOctets)")
            }
            if let bad = label.unicodeScalars.first(where: { !($0 == "-" || ValidationSupport.isLetter(UInt8($0.value)) || ValidationSupport.isDigit(UInt8($0.value))) }) {
                throw FieldError(field, "the domain contains \(ValidationSupport.describe(bad)); only letters, digits, hyphens and dots are allowed")
            }
            if label.first == "-" || label.last == "-" {
                throw FieldError(field, "the domain label '\(label)' cannot start or end with a hyphen")
            }
        }
        guard labels.count >= 2 else {
            throw FieldError(field, "the domain '\(domain)' has no dot: use a full domain such as example.com")
        }
        if labels[labels.count - 1].utf8.allSatisfy(ValidationSupport.isDigit) {
            throw FieldError(field, "the domain's last label is all digits: for an IP address use a literal such as [192.0.2.1]")
        }
        return ValidationSupport.lowercasedASCII(domain)
    }

    private static func normalizedLiteral(_ domain: Substring, field: String) throws(FieldError) -> String {
        guard domain.last == "]", domain.count >= 2 else {
            throw FieldError(field, "the address literal has no closing ]")
        }
        let inner = domain.dropFirst().dropLast()
        let tag = "ipv6:"
        if ValidationSupport.lowercasedASCII(inner.prefix(tag.count)) == tag {
            let address = inner.dropFirst(tag.count)
            guard ValidationSupport.isIPv6(address, maxGroupsBesideCompression: 6) else {
                throw FieldError(field, "the address literal [\(inner)] is not a valid IPv6 address")
            }
            return "[IPv6:" + ValidationSupport.lowercasedASCII(address) + "]"
        }
        if inner.contains(":") {
            throw FieldError(field, "unsupported address literal [\(inner)]: use [192.0.2.1] or [IPv6:2001:db8::1]")
        }
        guard ValidationSupport.isIPv4(inner) else {
            throw FieldError(field, "the address literal [\(inner)] is not a valid IPv4 address")
        }
        return String(domain)
    }
}
