/// What a request to a provider told the provider's `CircuitBreaker`.
public enum BreakerResult: Sendable, Hashable {
    /// The provider answered normally (a permanent failure of one job counts as success:
    /// the provider itself works).
    case success
    /// A temporary failure or timeout; counts toward the failure threshold.
    case failure
    /// The provider is down as a whole (connection refused, DNS failure, 503 for everything);
    /// opens the breaker at once.
    case destinationDown
}
