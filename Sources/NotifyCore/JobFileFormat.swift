#if canImport(FoundationEssentials)
import FoundationEssentials
#endif

/// The on-disk encoding of a job: a JSON object that names its own format and version.
///
///     {"format":"notifyd-job","version":"1.0","id":"01J…","created":"2026-11-21T16:04:23.123Z",…}
///
/// Readers accept every 1.x file (unknown fields of a later minor version are ignored) and
/// reject any other major version with a message naming it.
public enum JobFileFormat {
    public static let name = "notifyd-job"
    public static let major = 1
    public static let minor = 0
    public static var version: String { "\(major).\(minor)" }

    public enum DecodeError: Error, Equatable, CustomStringConvertible {
        case notAJobFile(String)
        case unsupportedVersion(String)
        case invalid(String)

        public var description: String {
            switch self {
            case .notAJobFile(let why): "not a notifyd job file: \(why)"
            case .unsupportedVersion(let version):
                "unsupported job format version \(version); this program reads \(JobFileFormat.major).x"
            case .invalid(let why): "invalid job file: \(why)"
            }
        }
    }

    /// The file's bytes: `format` and `version` first, then the fields in a fixed order,
    /// optional fields only when present, and a newline.
    public static func encode(_ job: Job) -> [UInt8] {
        var writer = JSONWriter(capacity: 256 + job.body.utf8.count + (job.html?.utf8.count ?? 0))
        writer.beginObject()
        writer.string("format", name)
        writer.string("version", version)
        writer.string("id", job.id.text)
        writer.string("created", Timestamp.format(millisecondsSinceEpoch: job.created))
        writer.string("channel", job.channel.rawValue)
        writer.beginArray("to")
        for recipient in job.to { writer.element(recipient) }
        writer.endArray()
        writer.string("subject", job.subject)
        writer.string("body", job.body)
        writer.string("html", job.html)
        writer.string("template", job.template)
        writer.string("priority", job.priority.rawValue)
        writer.string("not_before", job.notBefore.map { Timestamp.format(millisecondsSinceEpoch: $0) })
        writer.string("expires", job.expires.map { Timestamp.format(millisecondsSinceEpoch: $0) })
        writer.string("idempotency_key", job.idempotencyKey)
        writer.object("meta")
        for (key, value) in job.meta.sorted(by: { $0.key < $1.key }) { writer.string(key, value) }
        writer.endObject()
        writer.object("submitter")
        writer.number("uid", Int64(job.submitter.uid))
        writer.number("pid", Int64(job.submitter.pid))
        writer.string("program", job.submitter.program)
        writer.endObject()
        writer.string("batch", job.batch)
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> Job {
        let data = Data(bytes)
        // The common case in one pass (the queue manager decodes every job it takes in);
        // anything unusual is decoded again below for the precise message.
        if let record = try? JSONDecoder().decode(JobFileRecord.self, from: data), record.format == name,
           record.version.split(separator: ".", maxSplits: 1).first.flatMap({ Int($0) }) == major,
           let job = try? record.job() {
            return job
        }
        let header: JobFileHeader
        do {
            header = try JSONDecoder().decode(JobFileHeader.self, from: data)
        } catch {
            throw .notAJobFile("not a JSON object with \"format\" and \"version\"")
        }
        guard header.format == name else { throw .notAJobFile("format is \"\(header.format)\"") }
        let parts = header.version.split(separator: ".", maxSplits: 1)
        guard let major = parts.first.flatMap({ Int($0) }) else { throw .unsupportedVersion(header.version) }
        guard major == JobFileFormat.major else { throw .unsupportedVersion(header.version) }
        do {
            return try JSONDecoder().decode(JobFileRecord.self, from: data).job()
        } catch let error as FieldError {
            throw .invalid(error.description)
        } catch {
            throw .invalid(String(describing: error))
        }
    }
}

private struct JobFileHeader: Decodable {
    var format: String
    var version: String
}

/// The JSON shape of a job file, field by field, for reading. Times are RFC 3339 UTC strings
/// so that an operator can read a job with `cat`.
private struct JobFileRecord: Decodable {
    var format: String
    var version: String
    var id: JobID
    var created: String
    var channel: Channel
    var to: [String]
    var subject: String?
    var body: String
    var html: String?
    var template: String?
    var priority: Priority
    var notBefore: String?
    var expires: String?
    var idempotencyKey: String?
    var meta: [String: String]
    var submitter: Submitter
    var batch: String?

    enum CodingKeys: String, CodingKey {
        case format, version, id, created, channel, to, subject, body, html, template, priority
        case notBefore = "not_before", expires, idempotencyKey = "idempotency_key", meta, submitter, batch
    }

    func job() throws -> Job {
        Job(
            id: id, created: try Timestamp.validate(created, field: "created"), channel: channel, to: to,
            subject: subject, body: body, html: html, template: template, priority: priority,
            notBefore: try notBefore.map { try Timestamp.validate($0, field: "not_before") },
            expires: try expires.map { try Timestamp.validate($0, field: "expires") },
            idempotencyKey: idempotencyKey, meta: meta, submitter: submitter, batch: batch)
    }
}
