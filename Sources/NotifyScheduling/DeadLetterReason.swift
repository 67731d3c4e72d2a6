/// Why a job was given up and moved to the dead-letter queue.
public enum DeadLetterReason: String, Sendable, Hashable, CaseIterable {
    /// The last attempt failed permanently.
    case permanentFailure
    /// The policy's `maxAttempts` attempts were all made.
    case attemptsExhausted
    /// The job's deadline (lifetime or explicit expiry) passed, or the next retry would
    /// start after it.
    case expired
}
