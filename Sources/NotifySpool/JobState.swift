import NotifyCore

/// Where a job is, which is what state it is in: a job's state is the directory that holds
/// its file. Final outcomes within `done` (delivered, suppressed, cancelled) are recorded
/// in the job's history.
public enum JobState: String, CaseIterable, Sendable, Codable {
    case incoming, active, deferred, hold, dead, done

    /// The spool directory of this state.
    public var directory: String { rawValue }

    /// Hashed states keep their files one level down, in the job's bucket.
    public var isHashed: Bool { SpoolLayout.directories.first { $0.path == directory }!.hashed }

    /// The file of a job in this state, relative to the spool root.
    public func relativePath(of id: JobID) -> String {
        isHashed ? "\(directory)/\(id.bucket)/\(id.text)" : "\(directory)/\(id.text)"
    }

    /// States in which a job is still waiting for delivery.
    public static let queued: [JobState] = [.incoming, .active, .deferred, .hold]
}
