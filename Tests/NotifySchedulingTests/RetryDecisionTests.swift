import NotifyScheduling
import Testing

@Suite struct RetryDecisionTests {
    static let created = Instant(millisecondsSinceEpoch: 1_700_000_000_000)

    static var seedsWithoutJitter: RetryPolicy {
        var policy = RetryPolicy.seeds
        policy.jitter = .none
        return policy
    }

    static func decide(
        _ policy: RetryPolicy = seedsWithoutJitter,
        attempt: Int,
        _ outcome: DeliveryOutcome,
        expiresAt: Instant? = nil,
        previousDelay: Duration? = nil,
        now: Instant = created
    ) -> RetryDecision {
        var generator = SplitMix64(seed: 3)
        return RetryDecision.decide(
            policy: policy, attempt: attempt, outcome: outcome, createdAt: created,
            expiresAt: expiresAt, previousDelay: previousDelay, now: now, using: &generator)
    }

    @Test func deliveredIsDelivered() {
        #expect(Self.decide(attempt: 1, .delivered) == .delivered)
        #expect(Self.decide(attempt: 3, .delivered) == .delivered)
    }

    @Test func permanentFailureIsDeadLetteredAtOnce() {
        #expect(Self.decide(attempt: 1, .permanentFailure) == .deadLetter(reason: .permanentFailure))
        #expect(Self.decide(.email, attempt: 1, .permanentFailure) == .deadLetter(reason: .permanentFailure))
    }

    @Test func seedsRetryAfterOneThenTwoSecondsThenGiveUp() {
        var now = Self.created
        var previous: Duration? = nil
        var delays: [Duration] = []
        for attempt in 1...2 {
            let decision = Self.decide(attempt: attempt, .temporaryFailure(retryAfter: nil), previousDelay: previous, now: now)
            guard case .retry(let at, let delay) = decision else {
                Issue.record("attempt \(attempt): expected a retry, got \(decision)")
                return
            }
            #expect(at == now + delay)
            delays.append(delay)
            previous = delay
            now = at
        }
        #expect(delays == [.seconds(1), .seconds(2)])
        #expect(Self.decide(attempt: 3, .temporaryFailure(retryAfter: nil), now: now)
            == .deadLetter(reason: .attemptsExhausted))
    }

    @Test func raisingMaxAttemptsUsesTheFourSecondStep() {
        var policy = Self.seedsWithoutJitter
        policy.maxAttempts = 4
        let expected = [1, 2, 4].map { Duration.seconds($0) }
        for (index, delay) in expected.enumerated() {
            #expect(Self.decide(policy, attempt: index + 1, .unknownOutcome)
                == .retry(at: Self.created + delay, delay: delay))
        }
        #expect(Self.decide(policy, attempt: 4, .unknownOutcome) == .deadLetter(reason: .attemptsExhausted))
    }

    @Test func everyRetryableOutcomeIsExhaustedAtMaxAttempts() {
        let outcomes: [DeliveryOutcome] = [
            .temporaryFailure(retryAfter: nil), .temporaryFailure(retryAfter: .seconds(2)),
            .destinationDown(retryAfter: nil), .destinationDown(retryAfter: .seconds(2)), .unknownOutcome,
        ]
        for outcome in outcomes {
            #expect(Self.decide(attempt: 3, outcome) == .deadLetter(reason: .attemptsExhausted))
            #expect(Self.decide(attempt: 7, outcome) == .deadLetter(reason: .attemptsExhausted))
            if case .retry = Self.decide(attempt: 2, outcome) {} else {
                Issue.record("\(outcome) at attempt 2 should retry")
            }
        }
    }

    @Test func retryAfterIsHonouredWithinBounds() {
        #expect(Self.decide(attempt: 1, .temporaryFailure(retryAfter: .seconds(5)))
            == .retry(at: Self.created + .seconds(5), delay: .seconds(5)))
        #expect(Self.decide(attempt: 1, .destinationDown(retryAfter: .milliseconds(2_500)))
            == .retry(at: Self.created + .milliseconds(2_500), delay: .milliseconds(2_500)))
    }

    @Test func retryAfterBelowBaseIsRaisedToBase() {
        #expect(Self.decide(attempt: 1, .temporaryFailure(retryAfter: .milliseconds(10)))
            == .retry(at: Self.created + .seconds(1), delay: .seconds(1)))
        #expect(Self.decide(attempt: 2, .temporaryFailure(retryAfter: .zero))
            == .retry(at: Self.created + .seconds(1), delay: .seconds(1)))
        #expect(Self.decide(.email, attempt: 1, .destinationDown(retryAfter: .seconds(1)))
            == .retry(at: Self.created + .seconds(300), delay: .seconds(300)))
    }

    @Test func retryAfterAboveMaxIsLoweredToMax() {
        #expect(Self.decide(attempt: 1, .temporaryFailure(retryAfter: .seconds(3_600)))
            == .retry(at: Self.created + .seconds(8), delay: .seconds(8)))
        #expect(Self.decide(.email, attempt: 1, .temporaryFailure(retryAfter: .seconds(86_400)))
            == .retry(at: Self.created + .seconds(4_000), delay: .seconds(4_000)))
    }

    @Test func retryAfterIsNotJittered() {
        var generator = SplitMix64(seed: 77)
        for _ in 0..<1_000 {
            let decision = RetryDecision.decide(
                policy: .seeds, attempt: 1, outcome: .temporaryFailure(retryAfter: .seconds(3)),
                createdAt: Self.created, expiresAt: nil, previousDelay: nil, now: Self.created, using: &generator)
            #expect(decision == .retry(at: Self.created + .seconds(3), delay: .seconds(3)))
        }
    }

    @Test func jitteredRetryTimeMatchesItsDelay() {
        var generator = SplitMix64(seed: 11)
        for attempt in 1...2 {
            for _ in 0..<1_000 {
                let decision = RetryDecision.decide(
                    policy: .seeds, attempt: attempt, outcome: .unknownOutcome,
                    createdAt: Self.created, expiresAt: nil, previousDelay: nil, now: Self.created, using: &generator)
                guard case .retry(let at, let delay) = decision else {
                    Issue.record("expected a retry, got \(decision)")
                    return
                }
                #expect(at == Self.created + delay)
                let curve = Int64(1_000 << (attempt - 1))
                #expect((curve / 2...curve).contains(delay.wholeMilliseconds))
            }
        }
    }

    @Test func retryPastTheLifetimeIsExpired() {
        let policy = RetryPolicy.email
        let deadline = Self.created + .seconds(5 * 86_400)
        // The next try would land 1 ms after the deadline.
        let late = deadline - .seconds(4_000) + .milliseconds(1)
        #expect(Self.decide(policy, attempt: 40, .temporaryFailure(retryAfter: .seconds(4_000)), now: late)
            == .deadLetter(reason: .expired))
        // Landing exactly on the deadline is still allowed.
        let onTime = deadline - .seconds(4_000)
        #expect(Self.decide(policy, attempt: 40, .temporaryFailure(retryAfter: .seconds(4_000)), now: onTime)
            == .retry(at: deadline, delay: .seconds(4_000)))
    }

    @Test func retryPastAnExplicitExpiryIsExpired() {
        let expiry = Self.created + .milliseconds(1_500)
        #expect(Self.decide(attempt: 1, .temporaryFailure(retryAfter: nil), expiresAt: expiry)
            == .retry(at: Self.created + .seconds(1), delay: .seconds(1)))
        #expect(Self.decide(attempt: 2, .temporaryFailure(retryAfter: nil), expiresAt: expiry, now: Self.created + .seconds(1))
            == .deadLetter(reason: .expired))
    }

    @Test func lifetimeWinsOverALaterExplicitExpiry() {
        let policy = RetryPolicy(
            maxAttempts: 10, baseDelay: .seconds(10), multiplier: 2,
            maxDelay: .seconds(60), maxLifetime: .seconds(15), jitter: .none)
        let farExpiry = Self.created + .seconds(86_400)
        #expect(Self.decide(policy, attempt: 1, .unknownOutcome, expiresAt: farExpiry)
            == .retry(at: Self.created + .seconds(10), delay: .seconds(10)))
        #expect(Self.decide(policy, attempt: 2, .unknownOutcome, expiresAt: farExpiry, now: Self.created + .seconds(10))
            == .deadLetter(reason: .expired))
    }

    @Test func neverAttemptedJobExpiresAfterItsDeadline() {
        let policy = RetryPolicy.seeds
        let deadline = Self.created + .seconds(86_400)
        func expired(_ now: Instant, _ expiresAt: Instant? = nil) -> Bool {
            RetryDecision.isExpired(policy: policy, createdAt: Self.created, expiresAt: expiresAt, now: now)
        }
        #expect(!expired(Self.created))
        #expect(!expired(deadline))
        #expect(expired(deadline + .milliseconds(1)))
        let explicit = Self.created + .seconds(60)
        #expect(!expired(explicit, explicit))
        #expect(expired(explicit + .milliseconds(1), explicit))
        #expect(policy.deadline(createdAt: Self.created, expiresAt: explicit) == explicit)
        #expect(policy.deadline(createdAt: Self.created, expiresAt: nil) == deadline)
    }

    @Test func exhaustionIsReportedBeforeExpiry() {
        let expiry = Self.created + .milliseconds(10)
        #expect(Self.decide(attempt: 3, .unknownOutcome, expiresAt: expiry, now: Self.created + .seconds(60))
            == .deadLetter(reason: .attemptsExhausted))
    }
}
