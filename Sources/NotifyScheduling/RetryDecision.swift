/// What happens to a job after a delivery attempt. Computed by `decide`, a pure function.
public enum RetryDecision: Sendable, Hashable {
    /// Done; remove the job.
    case delivered
    /// Defer the job: attempt again at `at`, which is `now + delay`. Keep `delay` as the next
    /// call's `previousDelay`.
    case retry(at: Instant, delay: Duration)
    /// Give up: move the job to the dead-letter queue.
    case deadLetter(reason: DeadLetterReason)

    /// Decides the fate of a job whose attempt number `attempt` (1-based) just ended with
    /// `outcome`.
    ///
    /// Rules, in order:
    /// 1. `.delivered` → `.delivered`.
    /// 2. `.permanentFailure` → dead letter `.permanentFailure` at once, whatever the attempt.
    /// 3. `.temporaryFailure`, `.destinationDown` and `.unknownOutcome` are retried alike:
    ///    if `attempt >= policy.maxAttempts` → dead letter `.attemptsExhausted`.
    /// 4. The delay is the provider's Retry-After clamped to `baseDelay ... maxDelay`, or else
    ///    the policy's jittered backoff (`RetryPolicy.delay(afterAttempt:previousDelay:using:)`).
    /// 5. If `now + delay` is after the deadline (`policy.deadline(createdAt:expiresAt:)`)
    ///    → dead letter `.expired`; otherwise `.retry(at: now + delay, delay: delay)`.
    ///
    /// The generator is only drawn from when the backoff is jittered and used.
    public static func decide(
        policy: RetryPolicy,
        attempt: Int,
        outcome: DeliveryOutcome,
        createdAt: Instant,
        expiresAt: Instant?,
        previousDelay: Duration?,
        now: Instant,
        using generator: inout some RandomNumberGenerator
    ) -> RetryDecision {
        let retryAfter: Duration?
        switch outcome {
        case .delivered:
            return .delivered
        case .permanentFailure:
            return .deadLetter(reason: .permanentFailure)
        case .temporaryFailure(let after), .destinationDown(let after):
            retryAfter = after
        case .unknownOutcome:
            retryAfter = nil
        }
        if attempt >= policy.maxAttempts {
            return .deadLetter(reason: .attemptsExhausted)
        }
        let delay: Duration
        if let retryAfter {
            let clamped = min(max(retryAfter, policy.baseDelay), policy.maxDelay)
            delay = .milliseconds(clamped.wholeMilliseconds)
        } else {
            delay = policy.delay(afterAttempt: attempt, previousDelay: previousDelay, using: &generator)
        }
        let next = now + delay
        if next > policy.deadline(createdAt: createdAt, expiresAt: expiresAt) {
            return .deadLetter(reason: .expired)
        }
        return .retry(at: next, delay: delay)
    }

    /// Whether a job (attempted or not) is past its deadline at `now` and must be dead-lettered
    /// as `.expired` instead of attempted. An attempt may still start exactly at the deadline.
    public static func isExpired(
        policy: RetryPolicy,
        createdAt: Instant,
        expiresAt: Instant?,
        now: Instant
    ) -> Bool {
        now > policy.deadline(createdAt: createdAt, expiresAt: expiresAt)
    }
}
