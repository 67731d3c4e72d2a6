/// The `CircuitBreaker`'s answer to "may I send a request to this provider now?".
public enum BreakerPermission: Sendable, Hashable {
    /// Send normally.
    case allowed
    /// Send this one request as the half-open probe and report its result with `record`.
    case probe
    /// Do not send; defer the job until `until` without counting an attempt.
    case denied(until: Instant)
}
