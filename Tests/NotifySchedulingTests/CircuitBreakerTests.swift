import NotifyScheduling
import Testing

@Suite struct CircuitBreakerTests {
    static let start = Instant(millisecondsSinceEpoch: 1_000_000)

    /// A breaker opened by `failureThreshold` failures at `start`.
    static func openedBreaker() -> CircuitBreaker {
        var breaker = CircuitBreaker()
        for _ in 0..<5 { breaker.record(.failure, now: start) }
        return breaker
    }

    @Test func defaultsAreTheSeeds() {
        let configuration = CircuitBreaker.Configuration()
        #expect(configuration.failureThreshold == 5)
        #expect(configuration.coolOff == .seconds(300))
        #expect(configuration.maxCoolOff == .seconds(3_600))
        #expect(configuration.coolOffMultiplier == 2)
    }

    @Test func opensAfterFiveConsecutiveFailures() {
        var breaker = CircuitBreaker()
        for failure in 1...4 {
            #expect(breaker.record(.failure, now: Self.start) == .none)
            #expect(breaker.snapshot.consecutiveFailures == failure)
            #expect(breaker.requestPermission(now: Self.start) == .allowed)
        }
        let until = Self.start + .seconds(300)
        #expect(breaker.record(.failure, now: Self.start) == .opened(until: until))
        #expect(breaker.snapshot == CircuitBreakerSnapshot(
            state: .open, consecutiveFailures: 0, openUntil: until, coolOff: .seconds(300), probeInFlight: false))
    }

    @Test func successResetsTheFailureCount() {
        var breaker = CircuitBreaker()
        for _ in 0..<100 {
            for _ in 0..<4 { breaker.record(.failure, now: Self.start) }
            breaker.record(.success, now: Self.start)
            #expect(breaker.snapshot.consecutiveFailures == 0)
        }
        #expect(breaker.snapshot.state == .closed)
        #expect(breaker.requestPermission(now: Self.start) == .allowed)
    }

    @Test func deniesWithTheReopenTimeWhileOpen() {
        var breaker = Self.openedBreaker()
        let until = Self.start + .seconds(300)
        for offset in stride(from: 0, to: 300_000, by: 7_919) {
            #expect(breaker.requestPermission(now: Self.start.adding(milliseconds: Int64(offset))) == .denied(until: until))
        }
        #expect(breaker.requestPermission(now: until - .milliseconds(1)) == .denied(until: until))
    }

    @Test func resultsRecordedWhileOpenAreIgnored() {
        var breaker = Self.openedBreaker()
        let before = breaker.snapshot
        #expect(breaker.record(.success, now: Self.start + .seconds(1)) == .none)
        #expect(breaker.record(.failure, now: Self.start + .seconds(2)) == .none)
        #expect(breaker.record(.destinationDown, now: Self.start + .seconds(3)) == .none)
        #expect(breaker.snapshot == before)
    }

    @Test func halfOpenLetsExactlyOneProbeThrough() {
        var breaker = Self.openedBreaker()
        let reopen = Self.start + .seconds(300)
        #expect(breaker.requestPermission(now: reopen) == .probe)
        #expect(breaker.snapshot.state == .halfOpen)
        #expect(breaker.snapshot.probeInFlight)
        let probeDeadline = reopen + .seconds(120)
        for offset in [0, 1, 500, 60_000, 119_999] as [Int64] {
            #expect(breaker.requestPermission(now: reopen.adding(milliseconds: offset)) == .denied(until: probeDeadline))
        }
    }

    @Test func probeSuccessClosesAndResetsTheCoolOff() {
        var breaker = Self.openedBreaker()
        var now = Self.start + .seconds(300)
        #expect(breaker.requestPermission(now: now) == .probe)
        #expect(breaker.record(.failure, now: now) == .opened(until: now + .seconds(600)))
        now = now + .seconds(600)
        #expect(breaker.requestPermission(now: now) == .probe)
        #expect(breaker.record(.success, now: now) == .closed)
        #expect(breaker.snapshot.state == .closed)
        #expect(breaker.requestPermission(now: now) == .allowed)
        // Opening again starts from the base cool-off.
        for _ in 0..<5 { breaker.record(.failure, now: now) }
        #expect(breaker.snapshot.openUntil == now + .seconds(300))
    }

    @Test func probeFailureDoublesTheCoolOffUpToTheMaximum() {
        var breaker = Self.openedBreaker()
        var now = Self.start
        var coolOffs: [Int64] = []
        for _ in 0..<8 {
            guard let until = breaker.snapshot.openUntil else {
                Issue.record("breaker should be open")
                return
            }
            coolOffs.append((until - now).wholeMilliseconds / 1_000)
            now = until
            #expect(breaker.requestPermission(now: now) == .probe)
            breaker.record(.failure, now: now)
        }
        #expect(coolOffs == [300, 600, 1_200, 2_400, 3_600, 3_600, 3_600, 3_600])
    }

    @Test func probeDestinationDownReopensLikeAFailure() {
        var breaker = Self.openedBreaker()
        let now = Self.start + .seconds(300)
        #expect(breaker.requestPermission(now: now) == .probe)
        #expect(breaker.record(.destinationDown, now: now) == .opened(until: now + .seconds(600)))
    }

    @Test func destinationDownOpensAtOnce() {
        var breaker = CircuitBreaker()
        #expect(breaker.record(.destinationDown, now: Self.start) == .opened(until: Self.start + .seconds(300)))
        #expect(breaker.requestPermission(now: Self.start) == .denied(until: Self.start + .seconds(300)))
        var withFailures = CircuitBreaker()
        withFailures.record(.failure, now: Self.start)
        withFailures.record(.failure, now: Self.start)
        #expect(withFailures.record(.destinationDown, now: Self.start) == .opened(until: Self.start + .seconds(300)))
    }

    @Test func aLostProbeIsReplacedAfterTheProbeTimeout() {
        var breaker = Self.openedBreaker()
        let reopen = Self.start + .seconds(300)
        #expect(breaker.requestPermission(now: reopen) == .probe)
        #expect(breaker.requestPermission(now: reopen + .seconds(120)) == .probe)
        #expect(breaker.requestPermission(now: reopen + .seconds(121)) == .denied(until: reopen + .seconds(240)))
    }

    @Test func elapsedCoolOffWithoutARequestStillTakesTheNextResultAsTheProbe() {
        var breaker = Self.openedBreaker()
        #expect(breaker.record(.success, now: Self.start + .seconds(301)) == .closed)
        #expect(breaker.snapshot.state == .closed)
    }

    @Test func randomisedHistoryKeepsTheInvariants() {
        var generator = SplitMix64(seed: 2_024)
        var breaker = CircuitBreaker()
        var now = Self.start
        var probesOutstanding = 0
        for _ in 0..<50_000 {
            now = now.adding(milliseconds: Int64.random(in: 0...20_000, using: &generator))
            switch breaker.requestPermission(now: now) {
            case .allowed:
                #expect(breaker.snapshot.state == .closed)
            case .probe:
                probesOutstanding = 1
                #expect(breaker.snapshot.state == .halfOpen)
            case .denied(let until):
                #expect(until > now)
                #expect(breaker.snapshot.state != .closed)
                if breaker.snapshot.state == .halfOpen { #expect(probesOutstanding == 1) }
                continue
            }
            let roll = Int.random(in: 0..<10, using: &generator)
            let result: BreakerResult = roll < 6 ? .success : (roll < 9 ? .failure : .destinationDown)
            let transition = breaker.record(result, now: now)
            probesOutstanding = 0
            if case .opened(let until) = transition {
                #expect(until > now && until <= now + .seconds(3_600))
            }
            #expect(breaker.snapshot.consecutiveFailures < 5)
        }
    }
}
