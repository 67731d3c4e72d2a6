extension RetryPolicy {
    /// The seed application's policy, kept exactly: 3 attempts in total, exponential backoff
    /// 1 s → 2 s → 4 s (multiplier 2) with jitter.
    ///
    /// - The seeds list the curve as "1s → 2s → 4s → 8s", so `maxDelay` is 8 s, the last step
    ///   they name. With 3 attempts only the 1 s and 2 s steps are ever waited; the rest of the
    ///   curve is what a channel gets if it raises `maxAttempts`.
    /// - Jitter is `.equal`: the seeds only say "random delay to prevent thundering herd";
    ///   equal jitter keeps the delays in 0.5-1 s, 1-2 s, 2-4 s, so the documented curve holds.
    /// - `maxLifetime` is 1 day (the seeds retried in-process and had none): long enough to
    ///   ride out many circuit-breaker cool-offs (5 min, at most 1 h), short enough that a
    ///   notification is not delivered days after the event it reports.
    public static let seeds = RetryPolicy(
        maxAttempts: 3,
        baseDelay: .seconds(1),
        multiplier: 2,
        maxDelay: .seconds(8),
        maxLifetime: .seconds(24 * 3600),
        jitter: .equal
    )

    /// A mail-like policy after Postfix's defaults.
    ///
    /// - `maxLifetime` 5 days: Postfix's `maximal_queue_lifetime`, from RFC 5321 §4.5.4.1
    ///   ("the give-up time generally needs to be at least 4-5 days"): mail servers may be down
    ///   over a long weekend, and a late mail is still worth more than a bounce.
    /// - `baseDelay` 5 min: Postfix's `minimal_backoff_time` (300 s); RFC 5321 asks for at least
    ///   30 min between retries overall, which the doubling reaches by the fourth retry.
    /// - `maxDelay` 4000 s: Postfix's `maximal_backoff_time`. Just over an hour, so a
    ///   destination that comes back is retried within about an hour, while a dead one costs
    ///   at most ~24 attempts a day rather than hundreds.
    /// - `maxAttempts` unlimited: like Postfix, mail gives up by lifetime, not by count.
    /// - Jitter `.equal`, so a backlog deferred by one outage does not return all at once.
    public static let email = RetryPolicy(
        maxAttempts: .max,
        baseDelay: .seconds(300),
        multiplier: 2,
        maxDelay: .seconds(4000),
        maxLifetime: .seconds(5 * 24 * 3600),
        jitter: .equal
    )
}
