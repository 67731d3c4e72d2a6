import NotifyCore

extension Spool {
    /// Writes the status records of several attempts as one file, `status/ID.N` named by
    /// its first record, one record per line (JSON Lines; spool-layout.md, "Status
    /// records"). One create and one rename for the whole group instead of one per
    /// attempt; like `writeStatus`, not synced: notifyd's batch sync covers it.
    public func writeStatusBatch(_ records: [StatusRecord]) throws(SpoolError) {
        guard let first = records.first else { return }
        var bytes: [UInt8] = []
        for record in records { bytes += encodeRecord(record) }
        let name = "\(first.id).\(first.attempt)"
        try commitRecord(bytes, staging: "status.\(name)", directory: "status", name: name, sync: false)
    }
}
