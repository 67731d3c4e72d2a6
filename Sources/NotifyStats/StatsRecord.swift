import NotifyCore

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
        var reader = JSONScanner(line)
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
