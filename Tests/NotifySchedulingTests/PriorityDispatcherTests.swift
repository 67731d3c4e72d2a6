import NotifyScheduling
import Testing

@Suite struct PriorityDispatcherTests {
    static let allSlots = ReadyQueuesModel.allSlots
    static let lowerSlots = allSlots.filter { $0.priority != .high }

    /// Every availability pattern of the six queues.
    static let allPatterns: [Set<DispatchSlot>] = (0..<64).map { bits in
        Set(allSlots.enumerated().filter { bits & (1 << $0.offset) != 0 }.map(\.element))
    }

    /// Every dispatcher state reachable from `init()` (breadth-first over all 64 patterns).
    static let reachableStates: [PriorityDispatcher] = {
        var seen: Set<PriorityDispatcher> = [PriorityDispatcher()]
        var frontier = [PriorityDispatcher()]
        while let state = frontier.popLast() {
            for pattern in allPatterns {
                var next = state
                _ = next.next(ready: pattern)
                if seen.insert(next).inserted { frontier.append(next) }
            }
        }
        return Array(seen)
    }()

    @Test func wheelHasTheDocumentedWeightsAndShape() {
        let wheel = PriorityDispatcher.wheel
        #expect(wheel.count == 12)
        #expect(wheel.filter { $0 == .high }.count == 8)
        #expect(wheel.filter { $0 == .normal }.count == 3)
        #expect(wheel.filter { $0 == .bulk }.count == 1)
        for (index, priority) in wheel.enumerated() where priority != .high {
            #expect(wheel[(index + 1) % wheel.count] == .high, "position \(index) must be followed by high")
        }
    }

    @Test func picksOnlyReadyQueuesAndNilWhenNoneIs() {
        #expect(Self.reachableStates.count > 12)
        for state in Self.reachableStates {
            for pattern in Self.allPatterns {
                var dispatcher = state
                let choice = dispatcher.next(ready: pattern)
                if pattern.isEmpty {
                    #expect(choice == nil)
                    #expect(dispatcher == state)
                } else {
                    #expect(choice.map(pattern.contains) == true)
                }
            }
        }
    }

    /// Exhaustive proof of "high waits at most one slot": from every reachable state, for
    /// every two consecutive availability patterns in which high is ready, if the first
    /// decision is not high then the second one is.
    @Test func highNeverLosesTwoSlotsInARowFromAnyReachableState() {
        let highReady = Self.allPatterns.filter { $0.contains { $0.priority == .high } }
        for state in Self.reachableStates {
            for first in highReady {
                var dispatcher = state
                guard let firstChoice = dispatcher.next(ready: first), firstChoice.priority != .high else { continue }
                for second in highReady {
                    var copy = dispatcher
                    #expect(copy.next(ready: second)?.priority == .high)
                }
            }
        }
    }

    @Test func aHighJobArrivingDuringAFloodWaitsAtMostOneSlot() {
        var generator = SplitMix64(seed: 1)
        var dispatcher = PriorityDispatcher()
        var queues = ReadyQueuesModel()
        var waits: [Int: Int] = [:]
        for step in 0..<100_000 {
            for slot in Self.lowerSlots { queues.keepFlooded(slot, at: step) }
            if !queues.isReady(.high), Int.random(in: 0..<13, using: &generator) == 0 {
                let source: JobSource = Bool.random(using: &generator) ? .fresh : .retry
                queues.add(DispatchSlot(.high, source), at: step)
            }
            guard let choice = dispatcher.next(ready: queues.ready) else {
                Issue.record("nothing dispatched while flooded")
                return
            }
            let arrived = queues.take(choice)
            if choice.priority == .high { waits[step - arrived, default: 0] += 1 }
        }
        #expect(waits.keys.allSatisfy { $0 <= 1 }, "waits: \(waits)")
        #expect(waits[1, default: 0] > 0 && waits[0, default: 0] > 0)
    }

    @Test func fullFloodSplitsSlotsEightThreeOne() {
        var dispatcher = PriorityDispatcher()
        let everything = Set(Self.allSlots)
        var counts: [PriorityClass: Int] = [:]
        for _ in 0..<120_000 {
            guard let choice = dispatcher.next(ready: everything) else { return }
            counts[choice.priority, default: 0] += 1
        }
        #expect(counts == [.high: 80_000, .normal: 30_000, .bulk: 10_000])
    }

    /// Adversarial availability: every queue switches on and off at random, with bursts.
    /// In every window of 12 consecutive decisions during which a class was ready at each
    /// decision, the class got at least its wheel share (high 8, normal 3, bulk 1).
    @Test(arguments: [UInt64(7), 8, 9, 10])
    func everyClassGetsItsShareInEveryWindowOfTwelve(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        var dispatcher = PriorityDispatcher()
        let share = [8, 3, 1]
        // Per class: decisions so far at which it was ready without a break, and a running
        // count of its slots (prefix sums over the decisions).
        var readyRun = [0, 0, 0]
        var slotsSoFar: [[Int]] = [[0], [0], [0]]
        var checkedWindows = 0
        var bits = 63
        for step in 0..<100_000 {
            if step % Int.random(in: 1...40, using: &generator) == 0 {
                bits = Int.random(in: 0..<64, using: &generator)
            } else if Int.random(in: 0..<4, using: &generator) == 0 {
                bits ^= 1 << Int.random(in: 0..<6, using: &generator)
            }
            let pattern = Self.allPatterns[bits]
            guard let choice = dispatcher.next(ready: pattern) else {
                #expect(pattern.isEmpty)
                continue
            }
            for priority in PriorityClass.allCases {
                let index = priority.rawValue
                let ready = pattern.contains { $0.priority == priority }
                readyRun[index] = ready ? readyRun[index] + 1 : 0
                slotsSoFar[index].append(slotsSoFar[index].last! + (choice.priority == priority ? 1 : 0))
                guard readyRun[index] >= 12 else { continue }
                let end = slotsSoFar[index].count - 1
                let got = slotsSoFar[index][end] - slotsSoFar[index][end - 12]
                #expect(got >= share[index], "\(priority) got \(got) in the 12 slots before \(step)")
                checkedWindows += 1
            }
        }
        #expect(checkedWindows > 10_000)
    }

    @Test func normalAndBulkAreNotStarvedByANeverEmptyHighStream() {
        var generator = SplitMix64(seed: 3)
        var dispatcher = PriorityDispatcher()
        var queues = ReadyQueuesModel()
        var maxWait: [PriorityClass: Int] = [:]
        var served: [PriorityClass: Int] = [:]
        let total = 120_000
        for step in 0..<total {
            queues.keepFlooded(DispatchSlot(.high, .fresh), at: step, minimum: 50)
            queues.keepFlooded(DispatchSlot(.high, .retry), at: step, minimum: 50)
            // Normal and bulk: a trickle of single jobs.
            for priority in [PriorityClass.normal, .bulk] where Int.random(in: 0..<3, using: &generator) == 0 {
                queues.add(DispatchSlot(priority, .fresh), at: step)
            }
            guard let choice = dispatcher.next(ready: queues.ready) else { return }
            let arrived = queues.take(choice)
            served[choice.priority, default: 0] += 1
            maxWait[choice.priority] = max(maxWait[choice.priority] ?? 0, step - arrived)
        }
        // Arrivals (1/3 per slot) exceed the shares, so both stay backlogged and get exactly
        // their share: normal 3/12, bulk 1/12 of all slots.
        #expect(served[.normal] == total * 3 / 12)
        #expect(served[.bulk] == total / 12)
        #expect(served[.high] == total * 8 / 12)
    }

    @Test func freshAndRetryAlternateWithinAClass() {
        var generator = SplitMix64(seed: 4)
        var dispatcher = PriorityDispatcher()
        var lastSource: [PriorityClass: JobSource] = [:]
        var alternations = 0
        for _ in 0..<100_000 {
            let pattern = Self.allPatterns[Int.random(in: 1..<64, using: &generator)]
            guard let choice = dispatcher.next(ready: pattern) else { continue }
            let bothReady = pattern.contains(DispatchSlot(choice.priority, .fresh))
                && pattern.contains(DispatchSlot(choice.priority, .retry))
            if bothReady {
                let expected = lastSource[choice.priority]?.other ?? .fresh
                #expect(choice.source == expected)
                alternations += 1
            }
            lastSource[choice.priority] = choice.source
        }
        #expect(alternations > 20_000)
    }

    @Test func aRetryBacklogDoesNotStarveFreshJobsOrTheOtherWayRound() {
        for flooded in JobSource.allCases {
            var dispatcher = PriorityDispatcher()
            var queues = ReadyQueuesModel()
            var maxWait = 0
            for step in 0..<50_000 {
                queues.keepFlooded(DispatchSlot(.normal, flooded), at: step, minimum: 1_000)
                if step % 5 == 0 { queues.add(DispatchSlot(.normal, flooded.other), at: step) }
                guard let choice = dispatcher.next(ready: queues.ready) else { return }
                let arrived = queues.take(choice)
                if choice.source == flooded.other { maxWait = max(maxWait, step - arrived) }
            }
            // Only normal is ready, so the other source gets every second slot at worst:
            // a job arriving every 5 slots is never behind by more than one slot.
            #expect(maxWait <= 1, "flooded \(flooded): max wait \(maxWait)")
        }
    }

    @Test func isDeterministicAndConstantTime() {
        var generator = SplitMix64(seed: 5)
        var first = PriorityDispatcher()
        var second = PriorityDispatcher()
        for _ in 0..<50_000 {
            let pattern = Self.allPatterns[Int.random(in: 0..<64, using: &generator)]
            var queries = 0
            let a = first.next { priority, source in
                queries += 1
                return pattern.contains(DispatchSlot(priority, source))
            }
            let b = second.next(ready: pattern)
            #expect(a == b)
            #expect(queries <= 2 * PriorityDispatcher.wheel.count)
        }
        #expect(first == second)
    }
}
