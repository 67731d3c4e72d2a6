/// How one channel retries a failed delivery. Pure data; see `RetryDecision.decide`.
///
/// The un-jittered delay after attempt `n` (1-based) is
/// `min(maxDelay, baseDelay * multiplier^(n-1))`, then randomised by `jitter`.
/// A job is given up (dead-lettered) after `maxAttempts` attempts, or when the next attempt
/// would start after its deadline: `createdAt + maxLifetime`, or the job's own expiry if that
/// is earlier.
///
/// Invalid values (fewer than one attempt, a non-positive base delay, `maxDelay < baseDelay`,
/// `multiplier < 1`, a negative lifetime) are programmer errors: validate configuration first.
public struct RetryPolicy: Sendable, Hashable {
    /// Total delivery attempts, the first one included. `Int.max` means "until the lifetime ends".
    public var maxAttempts: Int
    /// The delay after the first failed attempt, and the floor for a provider's Retry-After.
    public var baseDelay: Duration
    /// Growth factor of the delay per attempt (2 doubles it).
    public var multiplier: Double
    /// The longest delay between two attempts, and the ceiling for a provider's Retry-After.
    public var maxDelay: Duration
    /// How long after its creation a job may still be attempted.
    public var maxLifetime: Duration
    /// How the delay is randomised.
    public var jitter: Jitter

    public init(
        maxAttempts: Int,
        baseDelay: Duration,
        multiplier: Double,
        maxDelay: Duration,
        maxLifetime: Duration,
        jitter: Jitter
    ) {
        precondition(maxAttempts >= 1, "maxAttempts must be at least 1")
        precondition(baseDelay.wholeMilliseconds >= 1, "baseDelay must be at least 1 ms")
        precondition(maxDelay >= baseDelay, "maxDelay must not be below baseDelay")
        precondition(multiplier.isFinite && multiplier >= 1, "multiplier must be finite and >= 1")
        precondition(maxLifetime >= .zero, "maxLifetime must not be negative")
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.multiplier = multiplier
        self.maxDelay = maxDelay
        self.maxLifetime = maxLifetime
        self.jitter = jitter
    }

    /// The last instant at which an attempt may start: the earlier of `createdAt + maxLifetime`
    /// and the job's explicit `expiresAt`.
    public func deadline(createdAt: Instant, expiresAt: Instant?) -> Instant {
        let fromLifetime = createdAt + maxLifetime
        guard let expiresAt else { return fromLifetime }
        return min(fromLifetime, expiresAt)
    }
}
