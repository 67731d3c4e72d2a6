extension CircuitBreaker {
    /// Thresholds and timings of a `CircuitBreaker`.
    public struct Configuration: Sendable, Hashable {
        /// Consecutive failures that open a closed breaker. Default 5, as in the seeds
        /// ("failure threshold: 5 consecutive failures").
        public var failureThreshold: Int
        /// How long the breaker stays open the first time. Default 5 minutes, as in the seeds
        /// ("timeout: 5 minutes before retry").
        public var coolOff: Duration
        /// The longest cool-off after repeated failed probes. Default 1 hour, so a provider
        /// that is down for a day is probed about hourly, not every 5 minutes.
        public var maxCoolOff: Duration
        /// Factor applied to the cool-off after each failed probe. Default 2.
        public var coolOffMultiplier: Double
        /// How long one half-open probe may be outstanding before it is presumed lost (its
        /// result never recorded) and another probe is allowed. Default 2 minutes.
        public var probeTimeout: Duration

        public init(
            failureThreshold: Int = 5,
            coolOff: Duration = .seconds(300),
            maxCoolOff: Duration = .seconds(3600),
            coolOffMultiplier: Double = 2,
            probeTimeout: Duration = .seconds(120)
        ) {
            precondition(failureThreshold >= 1, "failureThreshold must be at least 1")
            precondition(coolOff.wholeMilliseconds >= 1, "coolOff must be at least 1 ms")
            precondition(maxCoolOff >= coolOff, "maxCoolOff must not be below coolOff")
            precondition(coolOffMultiplier.isFinite && coolOffMultiplier >= 1, "coolOffMultiplier must be >= 1")
            precondition(probeTimeout.wholeMilliseconds >= 1, "probeTimeout must be at least 1 ms")
            self.failureThreshold = failureThreshold
            self.coolOff = coolOff
            self.maxCoolOff = maxCoolOff
            self.coolOffMultiplier = coolOffMultiplier
            self.probeTimeout = probeTimeout
        }

        /// The defaults above: 5 failures, 5 min cool-off doubling up to 1 h.
        public static let seeds = Configuration()
    }
}
