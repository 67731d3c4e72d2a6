import NotifyCore

/// The spool's directories, their owners and modes: the table in spool-layout.md, as code.
/// `notifyctl init` creates exactly this; the systemd tmpfiles.d file must agree (tested).
public enum SpoolLayout {
    /// Who owns a directory. `daemon` is the daemon account (notifyd); `submit` is the
    /// submit group (notify), whose members may enqueue.
    public enum Group: Sendable { case daemon, submit }

    public struct Directory: Sendable, Equatable {
        /// Relative to the spool root; "" is the root itself.
        public var path: String
        public var group: Group
        public var mode: UInt32
        /// Has one subdirectory per hash bucket (`0`…`Z`, see `JobID.bucket`).
        public var hashed: Bool
        public var purpose: String
    }

    /// Submitter-writable staging and landing areas: setgid so every file gets the daemon
    /// group (which submitters are not in, so they cannot read each other's jobs), sticky so
    /// nobody can remove another's file, and write+search without read so nobody can list.
    static let dropbox: UInt32 = 0o3733

    public static let directories: [Directory] = [
        Directory(path: "", group: .submit, mode: 0o710, hashed: false,
                  purpose: "spool root; only the daemon and the submit group may pass"),
        Directory(path: "tmp", group: .daemon, mode: dropbox, hashed: false,
                  purpose: "files being written (O_EXCL, then renamed away)"),
        Directory(path: "incoming", group: .daemon, mode: dropbox, hashed: false,
                  purpose: "committed new jobs, not yet seen by notifyd"),
        Directory(path: "idem", group: .daemon, mode: 0o711, hashed: false,
                  purpose: "idempotency keys, hashed below"),
        Directory(path: "idem/*", group: .daemon, mode: dropbox, hashed: false,
                  purpose: "one hard link to the job per key"),
        Directory(path: "public", group: .submit, mode: 0o710, hashed: false,
                  purpose: "the wake-up trigger FIFO"),
        Directory(path: "active", group: .daemon, mode: 0o700, hashed: false,
                  purpose: "jobs handed to a delivery agent"),
        Directory(path: "deferred", group: .daemon, mode: 0o700, hashed: true,
                  purpose: "jobs waiting for a time: scheduled or backing off"),
        Directory(path: "hold", group: .daemon, mode: 0o700, hashed: false,
                  purpose: "jobs held by an operator"),
        Directory(path: "dead", group: .daemon, mode: 0o700, hashed: true,
                  purpose: "dead letters: failed permanently or expired"),
        Directory(path: "done", group: .daemon, mode: 0o700, hashed: true,
                  purpose: "delivered, suppressed or cancelled, kept for history"),
        Directory(path: "history", group: .daemon, mode: 0o700, hashed: true,
                  purpose: "per-job attempt history (sidecar, append-only)"),
        Directory(path: "status", group: .daemon, mode: 0o700, hashed: false,
                  purpose: "per-attempt status records for notify-statsd"),
        Directory(path: "corrupt", group: .daemon, mode: 0o700, hashed: false,
                  purpose: "quarantined files that are not valid jobs"),
        Directory(path: "state", group: .daemon, mode: 0o700, hashed: false,
                  purpose: "daemon state: breakers, stats snapshot"),
        Directory(path: "outbox", group: .daemon, mode: 0o750, hashed: false,
                  purpose: "the outbox provider's deliveries, one directory per channel"),
        Directory(path: "inbox", group: .daemon, mode: 0o750, hashed: false,
                  purpose: "per-user maildirs of the in-app channel"),
        Directory(path: "prefs", group: .daemon, mode: 0o700, hashed: false,
                  purpose: "recipient preferences: opt-outs and quiet hours"),
    ]

    /// The wake-up FIFO: writable by the submit group, read by notifyd.
    public static let triggerPath = "public/trigger"
    public static let triggerMode: UInt32 = 0o620

    /// Hash bucket names: the 32 characters of a job ID's alphabet.
    public static let buckets: [String] = JobID.alphabet.map { String(Character(Unicode.Scalar($0))) }

    /// Every directory path to create, with buckets expanded, in creation order.
    public static var expandedDirectories: [(path: String, directory: Directory)] {
        var result: [(String, Directory)] = []
        for directory in directories {
            if directory.path.hasSuffix("/*") {
                let parent = String(directory.path.dropLast(2))
                for bucket in buckets { result.append(("\(parent)/\(bucket)", directory)) }
            } else {
                result.append((directory.path, directory))
                if directory.hashed {
                    for bucket in buckets { result.append(("\(directory.path)/\(bucket)", directory)) }
                }
            }
        }
        for channel in Channel.allCases {
            result.append(("outbox/\(channel.rawValue)", directories.first { $0.path == "outbox" }!))
        }
        return result
    }
}
