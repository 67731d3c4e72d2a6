/// A forward-only reader of JSON text for `JobSummary`: strings without escapes are read,
/// every other value is skipped. Returns nil or false on anything it does not handle, and
/// the caller then falls back to JSONDecoder.
struct JSONScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The next byte that is not white space.
    var peek: UInt8? {
        mutating get {
            skipSpace()
            return index < bytes.count ? bytes[index] : nil
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek == byte else { return false }
        index += 1
        return true
    }

    /// A string without backslash escapes (nil for one with escapes, or for another value).
    mutating func plainString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// An array of plain strings.
    mutating func plainStringArray() -> [String]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var result: [String] = []
        if consume(UInt8(ascii: "]")) { return result }
        repeat {
            guard let element = plainString() else { return nil }
            result.append(element)
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]")) ? result : nil
    }

    /// Skips one value of any kind, nested containers included.
    mutating func skipValue() -> Bool {
        guard let first = peek else { return false }
        switch first {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = first == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            if consume(close) { return true }
            repeat {
                if first == UInt8(ascii: "{") {
                    guard skipString(), consume(UInt8(ascii: ":")) else { return false }
                }
                guard skipValue() else { return false }
            } while consume(UInt8(ascii: ","))
            return consume(close)
        default:
            let start = index
            while index < bytes.count, Self.isLiteralByte(bytes[index]) { index += 1 }
            return index > start
        }
    }

    private mutating func skipString() -> Bool {
        guard consume(UInt8(ascii: "\"")) else { return false }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { return true } else if byte < 0x20 { return false }
        }
        return false
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 { index += 1 }
    }

    private static func isLiteralByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "E")
    }
}
