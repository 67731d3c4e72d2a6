/// One line of a file in `status/`, as the aggregation sees it: an agent's status record
/// (`notifyd-status`: one attempt) or a job event record (`notifyd-event`: notifyd's or an
/// operator's decision). Both formats are in spool-layout.md.
public struct StatsRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable {
        case queued, attempt, delivered, failed, expired, suppressed, cancelled, retried
    }

    public var kind: Kind
    public var id: String
    public var channel: String
    /// The provider label; "" when the record names none.
    public var provider: String
    /// Milliseconds since the epoch: an attempt's finish, an event's time.
    public var at: Int64
    /// attempt: its number. retried, delivered, failed: attempts made so far.
    public var attempt: Int?
    /// attempt only: delivered, temporary, permanent, down.
    public var result: String?
    public var code: String?
    public var reason: String?
    public var batch: String?
    /// attempt only: the provider's latency.
    public var latencyMilliseconds: Int64?

    public init(kind: Kind, id: String, channel: String, provider: String = "", at: Int64, attempt: Int? = nil,
                result: String? = nil, code: String? = nil, reason: String? = nil, batch: String? = nil,
                latencyMilliseconds: Int64? = nil) {
        self.kind = kind
        self.id = id
        self.channel = channel
        self.provider = provider
        self.at = at
        self.attempt = attempt
        self.result = result
        self.code = code
        self.reason = reason
        self.batch = batch
        self.latencyMilliseconds = latencyMilliseconds
    }

    /// When the job was created: the first 10 characters of a ULID job ID are its creation
    /// time in milliseconds. Nil for an ID that is not a ULID.
    public var createdMilliseconds: Int64? {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)
        var value: Int64 = 0
        var count = 0
        for byte in id.utf8 {
            if count == 10 { break }
            guard let digit = alphabet.firstIndex(of: byte) else { return nil }
            value = value << 5 | Int64(digit)
            count += 1
        }
        return count == 10 ? value : nil
    }

    /// Parses every line of a status file; lines that are not records (a torn line, an
    /// unknown format or major version) are counted in `skipped`.
    public static func parseFile(_ bytes: [UInt8], into records: inout [StatsRecord]) -> Int {
        var skipped = 0
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count {
                var end = start
                while end < buffer.count && buffer[end] != 0x0A { end += 1 }
                if end > start {
                    if let record = parseLine(UnsafeBufferPointer(rebasing: buffer[start..<end])) {
                        records.append(record)
                    } else {
                        skipped += 1
                    }
                }
                start = end + 1
            }
        }
        return skipped
    }

    /// One JSON object line, read without JSONDecoder (notify-statsd must keep up with
    /// delivery: bench/stats).
    public static func parseLine(_ line: UnsafeBufferPointer<UInt8>) -> StatsRecord? {
        var reader = FlatJSONReader(line)
        var format: String?, version: String?, event: String?, id: String?, channel: String?, provider: String?
        var result: String?, code: String?, reason: String?, batch: String?
        var at: Int64?, attempt: Int64?, attempts: Int64?, finished: Int64?, latency: Int64?
        let complete = reader.forEachField { key, reader in
            switch key {
            case "format": format = reader.string()
            case "version": version = reader.string()
            case "event": event = reader.string()
            case "id": id = reader.string()
            case "channel": channel = reader.string()
            case "provider": provider = reader.string()
            case "result": result = reader.string()
            case "code": code = reader.string()
            case "reason": reason = reader.string()
            case "batch": batch = reader.string()
            case "at": at = reader.integer()
            case "attempt": attempt = reader.integer()
            case "attempts": attempts = reader.integer()
            case "finished_us": finished = reader.integer()
            case "latency_ms": latency = reader.integer()
            default: return reader.skipValue()
            }
            return true
        }
        guard complete, let format, let version, version.hasPrefix("1."), let id, let channel else { return nil }
        switch format {
        case "notifyd-status":
            guard let attempt, let result, let finished else { return nil }
            return StatsRecord(kind: .attempt, id: id, channel: channel, provider: provider ?? "", at: finished / 1000,
                               attempt: Int(attempt), result: result, code: code, reason: reason, batch: batch,
                               latencyMilliseconds: latency ?? 0)
        case "notifyd-event":
            guard let event, let kind = Kind(rawValue: event), kind != .attempt, let at else { return nil }
            return StatsRecord(kind: kind, id: id, channel: channel, provider: provider ?? "", at: at,
                               attempt: attempts.map { Int($0) }, reason: reason, batch: batch)
        default:
            return nil
        }
    }
}

/// A reader of one flat JSON object: string and integer values are read, anything else is
/// skipped. Returns nil or false on anything malformed.
struct FlatJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func forEachField(_ body: (String, inout FlatJSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        repeat {
            guard let key = string(), consume(UInt8(ascii: ":")) else { return false }
            var copy = self
            guard body(key, &copy) else { return false }
            self = copy
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}"))
    }

    private mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0D { index += 1 }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A string value, escapes decoded.
    mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index - 1]), as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { index = start - 1; return escapedString() }
            index += 1
        }
        return nil
    }

    private mutating func escapedString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var out: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                          let code = UInt32(String(decoding: UnsafeBufferPointer(rebasing: bytes[index..<index + 4]), as: UTF8.self), radix: 16)
                    else { return nil }
                    index += 4
                    // Surrogate pairs are rare in provider answers: an unpaired one becomes U+FFFD.
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default: out.append(escape)
                }
            default: out.append(byte)
            }
        }
        return nil
    }

    mutating func integer() -> Int64? {
        skipSpace()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        var value: Int64 = 0
        let start = index
        while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
            value = value &* 10 &+ Int64(bytes[index] - 0x30)
            index += 1
        }
        guard index > start else { return nil }
        // A fraction or exponent: not an integer field.
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            return nil
        }
        return negative ? -value : value
    }

    mutating func skipValue() -> Bool {
        skipSpace()
        guard index < bytes.count else { return false }
        let first = bytes[index]
        switch first {
        case UInt8(ascii: "\""): return string() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            var inString = false
            while index < bytes.count {
                let byte = bytes[index]
                index += 1
                if inString {
                    if byte == UInt8(ascii: "\\") { index += 1 } else if byte == UInt8(ascii: "\"") { inString = false }
                } else if byte == UInt8(ascii: "\"") {
                    inString = true
                } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                    depth += 1
                } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                    depth -= 1
                    if depth == 0 { return true }
                }
            }
            return false
        default:
            let start = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ","), bytes[index] != UInt8(ascii: "}"), bytes[index] != 0x20 { index += 1 }
            return index > start
        }
    }
}
