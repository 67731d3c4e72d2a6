import CSystemd
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler for daemons: structured journal records under systemd, plain
/// `program[pid]: level: message key=value` lines on stderr otherwise.
///
/// Journal records carry `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `CODE_FILE`,
/// `CODE_LINE`, `CODE_FUNC` and one field per metadata key (see ``JournalFields``), so
/// `journalctl JOB_ID=…` finds every record about a job. An error passed to the logger
/// becomes the metadata `error.message` and `error.type`, as in swift-log's stream handler.
/// Keep messages static and put the context in metadata.
public struct JournalLogHandler: LogHandler {
    /// The program name: `SYSLOG_IDENTIFIER` in the journal, the line prefix on stderr.
    public let program: String
    /// Where records go.
    public let destination: LogDestination
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    /// Creates a handler; use ``LogDestination/detect()`` for `destination`.
    public init(
        program: String,
        destination: LogDestination,
        logLevel: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.program = program
        self.destination = destination
        self.logLevel = logLevel
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let own = event.metadata {
            merged.merge(own) { _, new in new }
        }
        if let error = event.error {
            // Same keys as swift-log's StreamLogHandler; ERROR_MESSAGE / ERROR_TYPE in the journal.
            merged["error.message"] = "\(error)"
            merged["error.type"] = "\(String(reflecting: type(of: error)))"
        }
        switch destination {
        case .journal:
            let fields = JournalFields.record(
                program: program, level: event.level, message: event.message.description,
                metadata: merged, file: event.file, function: event.function, line: event.line
            )
            Self.sendToJournal(fields)
        case .stderr:
            let line = StderrLogLine.format(
                program: program, pid: getpid(), level: event.level,
                message: event.message.description, metadata: merged
            )
            Self.writeToStderr(line + "\n")
        }
    }

    /// Sends one record with `sd_journal_sendv`, all fields in a single buffer.
    ///
    /// Calls the library function directly rather than the shim's `notifyd_journal_sendv`:
    /// in C, `sd_journal_sendv` is a macro that appends the *caller's* `CODE_FILE`,
    /// `CODE_LINE` and `CODE_FUNC`, so going through the shim would add a second set naming
    /// `shim.h`. Swift does not import function-like macros, so this name is the plain function.
    @discardableResult
    static func sendToJournal(_ fields: [String]) -> Int32 {
        var bytes: [UInt8] = []
        var ranges: [(offset: Int, count: Int)] = []
        for field in fields {
            ranges.append((bytes.count, field.utf8.count))
            bytes.append(contentsOf: field.utf8)
        }
        return bytes.withUnsafeMutableBytes { buffer in
            var vectors = ranges.map { range in
                iovec(iov_base: buffer.baseAddress.map { $0 + range.offset }, iov_len: range.count)
            }
            return sd_journal_sendv(&vectors, Int32(vectors.count))
        }
    }

    /// Writes `text` to file descriptor 2 in as few `write(2)` calls as possible.
    static func writeToStderr(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(STDERR_FILENO, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
