// Small helpers shared by the validators in this folder. Internal only.

enum ValidationSupport {
    /// A C0 control (U+0000–U+001F), DEL (U+007F) or a C1 control (U+0080–U+009F).
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Names a character for an error message: `a space`, `a line feed (U+000A)`,
    /// `'é' (U+00E9)`. Invisible characters are shown only by code point.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar.value {
        case 0x00: return "a NUL byte (U+0000)"
        case 0x09: return "a tab (U+0009)"
        case 0x0A: return "a line feed (U+000A)"
        case 0x0D: return "a carriage return (U+000D)"
        case 0x20: return "a space"
        default: break
        }
        let code = "U+" + hex(scalar.value)
        if isControl(scalar) { return "a control character (\(code))" }
        switch scalar.properties.generalCategory {
        case .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return "a space character (\(code))"
        case .format, .unassigned, .privateUse, .surrogate:
            return "an invisible or unassigned character (\(code))"
        default:
            return "'\(Character(scalar))' (\(code))"
        }
    }

    /// Upper-case hexadecimal, at least four digits: `00E9`, `1F600`.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return digits.count >= 4 ? digits : String(repeating: "0", count: 4 - digits.count) + digits
    }

    static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66)
    }

    static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }

    static func lowercasedASCII(_ text: Substring) -> String {
        String(decoding: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Dotted-quad IPv4 (RFC 5321 §4.1.3 IPv4-address-literal, RFC 3986 IPv4address):
    /// four decimal parts of 1 to 3 digits, each 0–255.
    static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        for part in parts {
            guard (1...3).contains(part.utf8.count), part.utf8.allSatisfy(isDigit),
                  let number = Int(part), number <= 255 else { return false }
        }
        return true
    }

    /// Textual IPv6 (RFC 4291 §2.2), optionally ending in an embedded IPv4 address.
    /// Without `::` there must be exactly 8 groups; with one `::`, at most
    /// `maxGroupsBesideCompression` groups beside it (RFC 5321 §4.1.3 says 6, RFC 3986 allows 7).
    /// An embedded IPv4 address counts as two groups.
    static func isIPv6(_ text: Substring, maxGroupsBesideCompression: Int) -> Bool {
        let bytes = Array(text.utf8)
        var compressionAt: Int? = nil
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == 0x3A && bytes[index + 1] == 0x3A {
                if compressionAt != nil { return false }
                compressionAt = index
                index += 2
            } else {
                index += 1
            }
        }
        func groups(_ part: ArraySlice<UInt8>, ipv4Allowed: Bool) -> Int? {
            if part.isEmpty { return 0 }
            let pieces = part.split(separator: 0x3A, omittingEmptySubsequences: false)
            var count = 0
            for (position, piece) in pieces.enumerated() {
                if ipv4Allowed && position == pieces.count - 1 && piece.contains(0x2E) {
                    guard isIPv4(Substring(decoding: piece, as: UTF8.self)) else { return nil }
                    count += 2
                } else {
                    guard (1...4).contains(piece.count), piece.allSatisfy(isHexDigit) else { return nil }
                    count += 1
                }
            }
            return count
        }
        if let at = compressionAt {
            guard let head = groups(bytes[..<at], ipv4Allowed: false),
                  let tail = groups(bytes[(at + 2)...], ipv4Allowed: true) else { return false }
            return head + tail <= maxGroupsBesideCompression
        }
        return groups(bytes[...], ipv4Allowed: true) == 8
    }
}
