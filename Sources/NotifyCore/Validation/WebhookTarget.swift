/// Where a webhook goes: an absolute `http://` or `https://` URL, or the name of an
/// endpoint defined in the configuration.
///
/// URL rules (RFC 3986 §3, RFC 9110 §4.2):
/// - at most 2048 bytes; no whitespace or control characters anywhere; ASCII only
///   (percent-encode other characters, write an internationalized host as `xn--`);
/// - scheme `http` or `https` (any case); no userinfo (`user:pass@`): credentials belong
///   in the endpoint configuration, not in a URL that ends up in logs;
/// - host: a name of dot-separated labels of letters, digits, `-` and `_` (each 1–63, no
///   leading or trailing `-`; single-label names like `localhost` are fine), a dotted
///   IPv4 address, or a bracketed IPv6 address (`[::1]`, no zone);
/// - optional port 1–65535;
/// - path and query of RFC 3986 pchar characters, `/` and `?`, with `%` followed by two
///   hex digits; no fragment (`#`), which a client never sends.
///
/// A value without `:` is an endpoint name: 1 to 64 of `a–z 0–9 _ -`.
///
/// Normalization lowercases the scheme and host and writes the port without leading
/// zeros; the path and query are kept as given.
public enum WebhookTarget: Hashable, Sendable {
    case url(String)
    case endpoint(String)

    public static let maximumURLBytes = 2048
    public static let maximumEndpointNameLength = 64

    public static func validate(_ value: String, field: String) throws(FieldError) -> WebhookTarget {
        guard !value.isEmpty else {
            throw FieldError(field, "is empty: expected an http(s) URL or an endpoint name")
        }
        if let bad = value.unicodeScalars.first(where: { ValidationSupport.isControl($0) || $0.properties.isWhitespace }) {
            throw FieldError(field, "contains \(ValidationSupport.describe(bad)): remove it, or percent-encode it in a URL (a space is %20)")
        }
        if value.utf8.contains(UInt8(ascii: ":")) {
            return .url(try normalizedURL(value, field: field))
        }
        return .endpoint(try endpointName(value, field: field))
    }

    private static func endpointName(_ value: String, field: String) throws(FieldError) -> String {
        let hint = "a URL starts with http:// or https://; an endpoint name uses only a-z, 0-9, _ and -"
        for b in value.utf8 {
            if b >= 0x41 && b <= 0x5A {
                throw FieldError(field, "endpoint name '\(value)' must be lowercase (a-z, 0-9, _ and -)")
            }
            guard (b >= 0x61 && b <= 0x7A) || ValidationSupport.isDigit(b) || b == 0x5F || b == 0x2D else {
                throw FieldError(field, "is neither a URL nor an endpoint name: \(hint)")
            }
        }
        guard value.utf8.count <= maximumEndpointNameLength else {
            throw FieldError(field, "endpoint name is \(value.utf8.count) characters long; the limit is \(maximumEndpointNameLength)")
        }
        return value
    }

    private static func normalizedURL(_ value: String, field: String) throws(FieldError) -> String {
        guard value.utf8.count <= maximumURLBytes else {
            throw FieldError(field, "URL is \(value.utf8.count) bytes long; the limit is \(maximumURLBytes)")
        }
        if let bad = value.unicodeScalars.first(where: { !$0.isASCII }) {
            throw FieldError(field, "URL contains \(ValidationSupport.describe(bad)): percent-encode it, and write an internationalized host in its xn-- form")
        }
        guard let schemeEnd = value.firstRange(of: "://") else {
            throw FieldError(field, "is neither a URL nor an endpoint name: a URL starts with http:// or https://")
        }
        let scheme = ValidationSupport.lowercasedASCII(value[..<schemeEnd.lowerBound])
        guard scheme == "http" || scheme == "https" else {
            throw FieldError(field, "URL scheme '\(value[..<schemeEnd.lowerBound])' is not supported: use http:// or https://")
        }
        let rest = value[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        if authority.contains("@") {
            throw FieldError(field, "URL contains credentials (user@host): put them in the endpoint configuration, not the URL")
        }
        let (host, port) = try hostAndPort(authority, field: field)
        let tail = rest[authorityEnd...]
        try checkPathAndQuery(tail, field: field)
        return scheme + "://" + host + (port.map { ":\($0)" } ?? "") + tail
    }

    private static func hostAndPort(_ authority: Substring, field: String) throws(FieldError) -> (String, Int?) {
        var host: String
        var portText: Substring?
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw FieldError(field, "URL host has a [ without a closing ]")
            }
            let address = authority[authority.index(after: authority.startIndex)..<close]
            guard ValidationSupport.isIPv6(address, maxGroupsBesideCompression: 7) else {
                throw FieldError(field, "URL host [\(address)] is not a valid IPv6 address")
            }
            host = "[" + ValidationSupport.lowercasedASCII(address) + "]"
            let after = authority[authority.index(after: close)...]
            if let colon = after.first {
                guard colon == ":" else { throw FieldError(field, "URL has unexpected text after the IPv6 host: use [address]:port") }
                portText = after.dropFirst()
            }
        } else {
            let colon = authority.firstIndex(of: ":")
            let name = authority[..<(colon ?? authority.endIndex)]
            host = try hostName(name, field: field)
            portText = colon.map { authority[authority.index(after: $0)...] }
        }
        guard let text = portText else { return (host, nil) }
        guard !text.isEmpty else { throw FieldError(field, "URL has an empty port after ':'") }
        guard text.utf8.allSatisfy(ValidationSupport.isDigit) else {
            throw FieldError(field, "URL port '\(text)' is not a number")
        }
        let digits = text.drop { $0 == "0" }
        guard digits.count <= 5, let port = Int(digits), (1...65535).contains(port) else {
            throw FieldError(field, "URL port \(text) is out of range (1 to 65535)")
        }
        return (host, port)
    }

    private static func hostName(_ name: Substring, field: String) throws(FieldError) -> String {
        guard !name.isEmpty else { throw FieldError(field, "URL has no host") }
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        for label in labels {
            guard !label.isEmpty else {
                throw FieldError(field, "URL host '\(name)' has an empty label (a leading, trailing or double dot)")
            }
            guard label.utf8.count <= 63 else {
                throw FieldError(field, "URL host label '\(label.prefix(20))…' is \(label.utf8.count) characters; the limit is 63")
            }
            if let bad = label.unicodeScalars.first(where: { !isHostCharacter($0) }) {
                throw FieldError(field, "URL host contains \(ValidationSupport.describe(bad)); only letters, digits, -, _ and dots are allowed")
            }
            if label.first == "-" || label.last == "-" {
                throw FieldError(field, "URL host label '\(label)' cannot start or end with a hyphen")
            }
        }
        if labels.allSatisfy({ $0.utf8.allSatisfy(ValidationSupport.isDigit) }), !ValidationSupport.isIPv4(name) {
            throw FieldError(field, "URL host \(name) is not a valid IPv4 address")
        }
        return ValidationSupport.lowercasedASCII(name)
    }

    private static func isHostCharacter(_ s: Unicode.Scalar) -> Bool {
        let b = UInt8(s.value)
        return ValidationSupport.isLetter(b) || ValidationSupport.isDigit(b) || b == 0x2D || b == 0x5F
    }

    /// Path and query: RFC 3986 pchar (unreserved, sub-delims, `:`, `@`, pct-encoded), `/`, `?`.
    private static func checkPathAndQuery(_ tail: Substring, field: String) throws(FieldError) {
        let bytes = Array(tail.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "#") {
                throw FieldError(field, "URL has a fragment (#...), which is never sent to the server: remove it")
            }
            if b == UInt8(ascii: "%") {
                guard i + 2 < bytes.count, ValidationSupport.isHexDigit(bytes[i + 1]), ValidationSupport.isHexDigit(bytes[i + 2]) else {
                    throw FieldError(field, "URL has a % not followed by two hex digits: write a literal % as %25")
                }
                i += 3
                continue
            }
            guard ValidationSupport.isLetter(b) || ValidationSupport.isDigit(b) || "-._~!$&'()*+,;=:@/?".utf8.contains(b) else {
                throw FieldError(field, "URL contains \(ValidationSupport.describe(Unicode.Scalar(b))) in its path or query: percent-encode it")
            }
            i += 1
        }
    }
}
