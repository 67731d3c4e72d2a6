#if canImport(Glibc)
import Glibc
#endif

/// A job identifier: a ULID (https://github.com/ulid/spec) in Crockford base32.
///
/// 26 characters: 10 encode the creation time in milliseconds, 16 encode 80 random bits.
/// IDs are unique without coordination, sort by creation time as plain strings, use only
/// the characters `0-9 A-Z` minus `I L O U`, and are never reused. Because the last
/// character is random, it also names the job's hash bucket in the spool.
public struct JobID: Hashable, Comparable, Sendable, CustomStringConvertible, Codable {
    public let text: String

    public static let length = 26
    /// Crockford's base32 alphabet, in value order. Also the names of spool hash buckets.
    public static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Validates an ID that came from outside (a command line, a URL, a file name).
    /// This is the only way to build a JobID from text, so no unchecked name reaches a path.
    public init(validating text: String, field: String = "id") throws(FieldError) {
        let bytes = Array(text.utf8)
        guard bytes.count == JobID.length else {
            throw FieldError(field, "not a job ID: must be \(JobID.length) characters, got \(bytes.count)")
        }
        guard bytes.allSatisfy({ JobID.decodeTable[Int($0)] >= 0 && !($0 >= 0x61 && $0 <= 0x7A) }) else {
            throw FieldError(field, "not a job ID: only the characters 0-9 and A-Z without I, L, O, U")
        }
        guard bytes[0] <= UInt8(ascii: "7") else {
            throw FieldError(field, "not a job ID: timestamp out of range")
        }
        self.text = text
    }

    private init(unchecked text: String) { self.text = text }

    public var description: String { text }
    public static func < (a: JobID, b: JobID) -> Bool { a.text < b.text }

    /// Milliseconds since the epoch at which the ID was made.
    public var milliseconds: Int64 {
        var value: Int64 = 0
        for byte in text.utf8.prefix(10) { value = value << 5 | Int64(JobID.decodeTable[Int(byte)]) }
        return value
    }

    /// The hash bucket (one character) that holds this job in hashed spool directories.
    public var bucket: String { String(text.utf8.last.map { Character(Unicode.Scalar($0)) }!) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { try self.init(validating: text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }

    fileprivate static let decodeTable: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (value, char) in alphabet.enumerated() { table[Int(char)] = Int8(value) }
        return table
    }()

    fileprivate static func encode(milliseconds: Int64, random: (hi: UInt16, lo: UInt64)) -> JobID {
        var chars = [UInt8](repeating: 0, count: 26)
        var time = UInt64(milliseconds)
        for index in stride(from: 9, through: 0, by: -1) {
            chars[index] = alphabet[Int(time & 31)]
            time >>= 5
        }
        // 80 random bits: 16 high bits and 64 low bits, 16 characters of 5 bits.
        var lo = random.lo
        var hi = UInt64(random.hi)
        for index in stride(from: 25, through: 10, by: -1) {
            chars[index] = alphabet[Int(lo & 31)]
            lo = (lo >> 5) | ((hi & 31) << 59)
            hi >>= 5
        }
        return JobID(unchecked: String(decoding: chars, as: UTF8.self))
    }
}

/// Makes job IDs. Within one generator, IDs made in the same millisecond increment the
/// random part (ULID's monotonic mode) so a batch's IDs sort in the order they were made.
public struct JobIDGenerator: Sendable {
    private var lastMilliseconds: Int64 = -1
    private var lastRandom: (hi: UInt16, lo: UInt64) = (0, 0)

    public init() {}

    public mutating func next(milliseconds: Int64 = WallClock.nowMilliseconds()) -> JobID {
        var rng = SystemRandomNumberGenerator()
        if milliseconds <= lastMilliseconds {
            // Same (or an earlier, after a clock step) millisecond: keep the old time, bump.
            let (lo, carry) = lastRandom.lo.addingReportingOverflow(1)
            lastRandom = (carry ? lastRandom.hi &+ 1 : lastRandom.hi, lo)
        } else {
            lastMilliseconds = milliseconds
            lastRandom = (rng.next(), rng.next())
        }
        return JobID.encode(milliseconds: lastMilliseconds, random: lastRandom)
    }
}

/// The wall clock, in milliseconds since the Unix epoch.
public enum WallClock {
    public static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
