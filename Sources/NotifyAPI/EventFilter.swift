#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore

/// The filter of GET /v1/events (`job`, `batch`, `channel`, each optional) applied to the
/// event lines notify-statsd sends (contracts: one JSON object per line with `event`,
/// `id`, `channel`, optional `batch`).
public struct EventFilter: Sendable, Equatable {
    public var job: String?
    public var batch: String?
    public var channel: String?

    public init(job: String? = nil, batch: String? = nil, channel: String? = nil) {
        self.job = job
        self.batch = batch
        self.channel = channel
    }

    public init(query: [String: String]) throws(FieldError) {
        func value(_ name: String) -> String? { query[name].flatMap { $0.isEmpty ? nil : $0 } }
        job = try value("job").map { text throws(FieldError) in try JobID(validating: text, field: "job").text }
        batch = try value("batch").map { text throws(FieldError) in try JobID(validating: text, field: "batch").text }
        channel = try value("channel").map { text throws(FieldError) in try Channel.parse(text).rawValue }
    }

    struct Line: Decodable {
        var event: String
        var id: String?
        var channel: String?
        var batch: String?
    }

    /// The SSE frame for a line that passes the filter (`event: NAME` / `data: LINE`), or
    /// nil for a line that does not pass or is not an event.
    public func frame(for line: [UInt8]) -> [UInt8]? {
        guard let event = try? JSONDecoder().decode(Line.self, from: Data(line)) else { return nil }
        if let job, event.id != job { return nil }
        if let batch, event.batch != batch { return nil }
        if let channel, event.channel != channel { return nil }
        guard event.event.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }) else { return nil }
        return Array("event: \(event.event)\ndata: ".utf8) + line + Array("\n\n".utf8)
    }
}

/// Splits a byte stream into lines (`\n`), keeping an unfinished line for the next chunk;
/// a line longer than `limit` is dropped whole.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    private var overlong = false
    public let limit: Int

    public init(limit: Int = 64 << 10) { self.limit = limit }

    public mutating func feed(_ bytes: some Collection<UInt8>) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if !overlong && !pending.isEmpty { lines.append(pending) }
                pending.removeAll(keepingCapacity: true)
                overlong = false
            } else if pending.count < limit {
                pending.append(byte)
            } else {
                overlong = true
            }
        }
        return lines
    }
}
