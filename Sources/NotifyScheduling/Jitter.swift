/// How a backoff delay `d` (from the exponential curve) is randomised so that many jobs that
/// failed together do not all come back at the same moment (the "thundering herd").
///
/// All draws are in whole milliseconds, inclusive at both ends, from the caller's generator.
public enum Jitter: Sendable, Hashable {
    /// Exactly `d`. Deterministic; useful in tests and for single-job destinations.
    case none
    /// Uniform in `0 ... d`. Spreads best, but may retry almost at once.
    case full
    /// `d/2` plus uniform in `0 ... d/2`: keeps at least half the curve, so the exponential
    /// shape survives while the herd is still spread over half the interval.
    case equal
    /// AWS "decorrelated jitter": `min(maxDelay, uniform(baseDelay ... previousDelay * 3))`,
    /// with `previousDelay` defaulting to `baseDelay` on the first retry. Ignores the curve
    /// and `multiplier`; grows on average by 1.5x-2x per retry.
    case decorrelated
}
