/// Writes JSON text for the records notifyd emits itself (job files, JSON Lines output):
/// fixed fields in a fixed order, straight into a byte buffer. For the job file it is about
/// twenty times faster than JSONEncoder, which matters when a batch writes 100,000 jobs.
/// Reading always goes through JSONDecoder. Strings are escaped per RFC 8259 §7: `"`,
/// `\` and control characters; everything else is written as UTF-8.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma.removeLast()
    }

    public mutating func beginArray(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "["))
        needsComma.append(false)
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma.removeLast()
    }

    public mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        Self.appendQuoted(value, to: &bytes)
    }

    /// An array element.
    public mutating func element(_ value: String) {
        separate()
        Self.appendQuoted(value, to: &bytes)
    }

    public mutating func number(_ key: String, _ value: Int64) {
        self.key(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    public mutating func bool(_ key: String, _ value: Bool) {
        self.key(key)
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Starts a nested object under `key`.
    public mutating func object(_ key: String) {
        self.key(key)
        bytes.append(UInt8(ascii: "{"))
        needsComma.append(false)
    }

    /// Ends a line of JSON Lines output (after a top-level object).
    public mutating func newline() { bytes.append(0x0A) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }

    private mutating func key(_ key: String) {
        separate()
        Self.appendQuoted(key, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func separate() {
        guard let last = needsComma.indices.last else { return }
        if needsComma[last] { bytes.append(UInt8(ascii: ",")) }
        needsComma[last] = true
    }

    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
                case UInt8(ascii: "\\"): bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
                case 0x0A: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
                case 0x0D: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
                case 0x09: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
                case 0..<0x20: bytes += [UInt8(ascii: "\\"), UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]]
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
