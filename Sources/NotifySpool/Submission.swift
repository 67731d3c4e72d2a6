import NotifyCore

/// What became of one submitted job.
public enum Submission: Sendable, Equatable {
    /// Committed: durable and visible to the queue manager.
    case accepted(JobID)
    /// The idempotency key was used before, within the window: this is the first job's ID,
    /// and nothing new was created.
    case duplicate(JobID)

    public var id: JobID {
        switch self {
        case .accepted(let id), .duplicate(let id): id
        }
    }

    public var isDuplicate: Bool {
        if case .duplicate = self { return true }
        return false
    }
}
