#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
#if canImport(Glibc)
import Glibc
#endif
import NotifyCore

/// `state/batches/B/ID`: what notify-apid accepted for one `POST /v1/batches` (spool-layout.md,
/// "Batch records"). Written once, after the batch's jobs are durable; progress is computed
/// from the job IDs it lists (one stat per state per job), never by scanning job directories.
public struct BatchRecord: Codable, Sendable, Equatable {
    public struct Rejected: Codable, Sendable, Equatable {
        public var row: Int
        public var field: String
        public var reason: String

        public init(row: Int, field: String, reason: String) {
            self.row = row
            self.field = field
            self.reason = reason
        }
    }

    public var format = "notifyd-batch"
    public var version = "1.0"
    /// A job ID made for the batch (same alphabet, so it names a file safely).
    public var id: String
    /// RFC 3339.
    public var created: String
    public var submitterUID: UInt32
    public var template: String?
    public var rows: Int
    public var jobs: [String]
    public var rejected: [Rejected]

    enum CodingKeys: String, CodingKey {
        case format, version, id, created, submitterUID = "submitter_uid", template, rows, jobs, rejected
    }

    public init(id: String, created: String, submitterUID: UInt32, template: String?, rows: Int, jobs: [String], rejected: [Rejected]) {
        self.id = id
        self.created = created
        self.submitterUID = submitterUID
        self.template = template
        self.rows = rows
        self.jobs = jobs
        self.rejected = rejected
    }
}

extension Spool {
    /// Stores a batch record durably: tmp/, fsync, rename into `state/batches/B/`, fsync
    /// that directory. The directories are created (0700) on first use.
    public func writeBatch(_ record: BatchRecord) throws(SpoolError) {
        let id: JobID
        do { id = try JobID(validating: record.id) } catch {
            throw SpoolError("write batch", path: display("state/batches"), errno: EINVAL, detail: error.description)
        }
        let directory = "state/batches/\(id.bucket)"
        for path in ["state/batches", directory] where mkdirat(rootFD, path, 0o700) != 0 && errno != EEXIST {
            throw SpoolError("mkdir", path: display(path), errno: errno)
        }
        try commitRecord(encodeRecord(record), staging: "batch.\(id.text)", directory: directory, name: id.text, sync: true)
        try syncDirectory(directory)
    }

    /// A batch record, or nil if there is none (or it is damaged: then it is quarantined).
    public func batch(_ id: JobID) -> BatchRecord? {
        let path = "state/batches/\(id.bucket)/\(id.text)"
        guard let bytes = readWholeFile(rootFD, path) else { return nil }
        guard let record = try? JSONDecoder().decode(BatchRecord.self, from: Data(bytes)),
              record.format == "notifyd-batch", record.version.hasPrefix("1.") else {
            quarantine(path)
            return nil
        }
        return record
    }
}
