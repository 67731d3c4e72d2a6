import NotifyCore

extension Spool {
    /// Writes the status records of several attempts as one file, `status/ID.N` named by
    /// its first record, one record per line (JSON Lines; spool-layout.md, "Status
    /// records"). One create and one rename for the whole group instead of one per
    /// attempt; like `writeStatus`, not synced: notifyd's batch sync covers it.
    public func writeStatusBatch(_ records: [StatusRecord]) throws(SpoolError) {
        guard let first = records.first else { return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * 320)
        for record in records { bytes += record.jsonLine }
        let name = "\(first.id).\(first.attempt)"
        try commitRecord(bytes, staging: "status.\(name)", directory: "status", name: name, sync: false)
    }
}

extension StatusRecord {
    /// The record as one JSON line, keys sorted as `encodeRecord` writes them, built with
    /// `JSONWriter`: at thousands of attempts a second JSONEncoder was the agent's
    /// largest cost after the network.
    var jsonLine: [UInt8] {
        var writer = JSONWriter(capacity: 256 + reason.utf8.count)
        writer.beginObject()
        writer.number("attempt", Int64(attempt))
        writer.string("channel", channel)
        writer.string("code", code)
        writer.number("finished_us", finishedMicroseconds)
        writer.string("format", format)
        writer.string("id", id)
        writer.number("latency_ms", latencyMilliseconds)
        writer.string("provider", provider)
        writer.string("provider_id", providerID)
        writer.string("reason", reason)
        writer.string("result", result)
        writer.number("started_us", startedMicroseconds)
        writer.string("version", version)
        writer.endObject()
        return writer.bytes + [UInt8(ascii: "\n")]
    }
}
