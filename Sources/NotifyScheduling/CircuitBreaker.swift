/// A circuit breaker for one provider: stops sending to a provider that keeps failing, then
/// lets single probes through until it works again.
///
/// States and rules:
/// - `closed(consecutiveFailures:)`: requests are `.allowed`. A `.success` resets the count;
///   a `.failure` increments it and opens the breaker when it reaches `failureThreshold`;
///   `.destinationDown` opens it at once, whatever the count.
/// - `open(until:coolOff:)`: requests are `.denied(until:)`; the caller defers the job until
///   then without counting an attempt. Results recorded while open come from requests sent
///   before it opened and are ignored.
/// - When `until` has passed, the breaker is half-open. `halfOpen(probeInFlight:...)`: the
///   first request gets `.probe`; while that probe is outstanding every other request is
///   `.denied(until:)` the probe's deadline (`probeTimeout` after it started; a probe whose
///   result never comes is presumed lost then, and another probe is allowed).
///   The probe's `.success` closes the breaker and resets the cool-off to `coolOff`; its
///   `.failure` or `.destinationDown` reopens it with the cool-off times `coolOffMultiplier`,
///   capped at `maxCoolOff`.
///
/// Pure: time comes in as `now`; the breaker never reads a clock.
public struct CircuitBreaker: Sendable {
    enum State: Sendable, Hashable {
        case closed(consecutiveFailures: Int)
        case open(until: Instant, coolOff: Duration)
        case halfOpen(probeInFlight: Bool, probeDeadline: Instant, coolOff: Duration)
    }

    public let configuration: Configuration
    private(set) var state: State

    public init(configuration: Configuration = .seeds) {
        self.configuration = configuration
        self.state = .closed(consecutiveFailures: 0)
    }

    /// Asks whether a request may be sent at `now`. A `.probe` answer must be followed by a
    /// `record` of that request's result.
    public mutating func requestPermission(now: Instant) -> BreakerPermission {
        advance(now: now)
        switch state {
        case .closed:
            return .allowed
        case .open(let until, _):
            return .denied(until: until)
        case .halfOpen(probeInFlight: true, let probeDeadline, _):
            return .denied(until: probeDeadline)
        case .halfOpen(probeInFlight: false, _, let coolOff):
            state = .halfOpen(probeInFlight: true, probeDeadline: now + configuration.probeTimeout, coolOff: coolOff)
            return .probe
        }
    }

    /// Records the result of a request sent to the provider. Any result recorded while
    /// half-open is taken as the probe's.
    @discardableResult
    public mutating func record(_ result: BreakerResult, now: Instant) -> BreakerTransition {
        advance(now: now)
        switch state {
        case .closed(let failures):
            switch result {
            case .success:
                state = .closed(consecutiveFailures: 0)
                return .none
            case .failure where failures + 1 < configuration.failureThreshold:
                state = .closed(consecutiveFailures: failures + 1)
                return .none
            case .failure, .destinationDown:
                return open(now: now, coolOff: configuration.coolOff)
            }
        case .open:
            return .none
        case .halfOpen(_, _, let coolOff):
            switch result {
            case .success:
                state = .closed(consecutiveFailures: 0)
                return .closed
            case .failure, .destinationDown:
                return open(now: now, coolOff: lengthened(coolOff))
            }
        }
    }

    /// The breaker's state for display. An open breaker whose `openUntil` has passed is
    /// half-open in effect; it changes state on its next `requestPermission` or `record`.
    public var snapshot: CircuitBreakerSnapshot {
        switch state {
        case .closed(let failures):
            return CircuitBreakerSnapshot(
                state: .closed, consecutiveFailures: failures, openUntil: nil,
                coolOff: configuration.coolOff, probeInFlight: false)
        case .open(let until, let coolOff):
            return CircuitBreakerSnapshot(
                state: .open, consecutiveFailures: 0, openUntil: until,
                coolOff: coolOff, probeInFlight: false)
        case .halfOpen(let probeInFlight, _, let coolOff):
            return CircuitBreakerSnapshot(
                state: .halfOpen, consecutiveFailures: 0, openUntil: nil,
                coolOff: coolOff, probeInFlight: probeInFlight)
        }
    }

    /// Moves an open breaker whose cool-off has elapsed to half-open, and forgets a probe
    /// that has been outstanding past its deadline.
    private mutating func advance(now: Instant) {
        switch state {
        case .open(let until, let coolOff) where now >= until:
            state = .halfOpen(probeInFlight: false, probeDeadline: now, coolOff: coolOff)
        case .halfOpen(probeInFlight: true, let probeDeadline, let coolOff) where now >= probeDeadline:
            state = .halfOpen(probeInFlight: false, probeDeadline: now, coolOff: coolOff)
        default:
            break
        }
    }

    private mutating func open(now: Instant, coolOff: Duration) -> BreakerTransition {
        let until = now + coolOff
        state = .open(until: until, coolOff: coolOff)
        return .opened(until: until)
    }

    private func lengthened(_ coolOff: Duration) -> Duration {
        let cap = configuration.maxCoolOff.wholeMilliseconds
        let scaled = Double(coolOff.wholeMilliseconds) * configuration.coolOffMultiplier
        guard scaled < Double(cap) else { return .milliseconds(cap) }
        return .milliseconds(Int64(scaled.rounded()))
    }
}
