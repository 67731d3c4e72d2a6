/// A read-only view of a `CircuitBreaker`, for stats and `notifyctl` display.
public struct CircuitBreakerSnapshot: Sendable, Hashable {
    public enum StateName: String, Sendable, Hashable, CaseIterable {
        case closed
        case open
        case halfOpen = "half-open"
    }

    public var state: StateName
    /// Consecutive failures counted while closed (0 when open or half-open).
    public var consecutiveFailures: Int
    /// When an open breaker lets a probe through; nil unless open.
    public var openUntil: Instant?
    /// The cool-off the breaker will use (or is using) when open.
    public var coolOff: Duration
    /// Whether a half-open probe is outstanding.
    public var probeInFlight: Bool

    public init(
        state: StateName,
        consecutiveFailures: Int,
        openUntil: Instant?,
        coolOff: Duration,
        probeInFlight: Bool
    ) {
        self.state = state
        self.consecutiveFailures = consecutiveFailures
        self.openUntil = openUntil
        self.coolOff = coolOff
        self.probeInFlight = probeInFlight
    }
}
