#if canImport(Glibc)
import Glibc
#endif

/// Where ``JournalLogHandler`` writes records.
public enum LogDestination: Sendable, Equatable {
    /// Structured records through `sd_journal_sendv(3)`.
    case journal
    /// One plain text line per record on standard error.
    case stderr

    /// The destination for this process: ``journal`` when systemd connected standard error
    /// to the journal, ``stderr`` otherwise.
    ///
    /// systemd sets `JOURNAL_STREAM=DEVICE:INODE` for a service whose stderr is the journal.
    /// As `systemd.exec(5)` advises, the pair is compared with `fstat(2)` of standard error,
    /// so a child that inherited the variable but writes elsewhere logs to stderr.
    public static func detect() -> LogDestination {
        let variable = getenv("JOURNAL_STREAM").map { String(cString: $0) }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else {
            return detect(journalStream: variable, stderrDevice: nil, stderrInode: nil)
        }
        return detect(journalStream: variable, stderrDevice: UInt64(info.st_dev), stderrInode: UInt64(info.st_ino))
    }

    /// The pure decision behind ``detect()``: ``journal`` only when `journalStream` is
    /// `DEVICE:INODE` and matches standard error's device and inode numbers.
    public static func detect(journalStream: String?, stderrDevice: UInt64?, stderrInode: UInt64?) -> LogDestination {
        guard let journalStream, let stderrDevice, let stderrInode else { return .stderr }
        let parts = journalStream.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return .stderr }
        return device == stderrDevice && inode == stderrInode ? .journal : .stderr
    }
}
