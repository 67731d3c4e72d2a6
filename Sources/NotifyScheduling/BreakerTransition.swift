/// How a `CircuitBreaker.record` call changed the breaker, so the caller can log it and, on
/// `.closed`, wake the jobs it deferred while the breaker was open.
public enum BreakerTransition: Sendable, Hashable {
    /// No change of state.
    case none
    /// The breaker opened (or reopened after a failed probe); requests wait until `until`.
    case opened(until: Instant)
    /// The probe succeeded; the breaker is closed again.
    case closed
}
