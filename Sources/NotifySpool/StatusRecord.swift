#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import NotifyCore

/// One delivery attempt as an agent saw it, for notify-statsd: `status/ID.ATTEMPT`
/// (spool-layout.md, "Status records"). notify-statsd reads and removes them.
public struct StatusRecord: Codable, Sendable, Equatable {
    public var format = "notifyd-status"
    public var version = "1.0"
    public var id: String
    public var attempt: Int
    public var channel: String
    public var provider: String
    /// delivered, temporary, permanent, down.
    public var result: String
    public var reason: String
    public var code: String?
    public var providerID: String?
    /// When the agent received the request and when it had the answer, µs since the epoch.
    public var startedMicroseconds: Int64
    public var finishedMicroseconds: Int64
    /// The attempt's latency: finished minus started, in whole milliseconds.
    public var latencyMilliseconds: Int64

    enum CodingKeys: String, CodingKey {
        case format, version, id, attempt, channel, provider, result, reason, code
        case providerID = "provider_id", startedMicroseconds = "started_us", finishedMicroseconds = "finished_us"
        case latencyMilliseconds = "latency_ms"
    }

    public init(id: JobID, attempt: Int, channel: Channel, provider: String, result: String, reason: String,
                code: String?, providerID: String?, started: Int64, finished: Int64) {
        self.id = id.text
        self.attempt = attempt
        self.channel = channel.rawValue
        self.provider = provider
        self.result = result
        self.reason = reason
        self.code = code
        self.providerID = providerID
        self.startedMicroseconds = started
        self.finishedMicroseconds = finished
        self.latencyMilliseconds = max(0, (finished - started) / 1000)
    }
}

extension Spool {
    /// Writes a status record (tmp/, then rename into status/). Not synced on its own:
    /// notifyd's batch sync after the attempt's state change covers it.
    public func writeStatus(_ record: StatusRecord, id: JobID) throws(SpoolError) {
        let name = "\(id.text).\(record.attempt)"
        try commitRecord(encodeRecord(record), staging: "status.\(name)", directory: "status", name: name, sync: false)
    }

    /// The status records in `status/`, parsed (for tests and notify-statsd). A file holds
    /// one record per line: one for `writeStatus`, several for `writeStatusBatch`.
    public func statusRecords() throws(SpoolError) -> [StatusRecord] {
        var records: [StatusRecord] = []
        let decoder = JSONDecoder()
        try listDirectory("status") { name, dirfd in
            guard let bytes = readWholeFile(dirfd, name) else { return }
            for line in bytes.split(separator: UInt8(ascii: "\n")) {
                if let record = try? decoder.decode(StatusRecord.self, from: Data(line)) { records.append(record) }
            }
        }
        return records
    }
}
