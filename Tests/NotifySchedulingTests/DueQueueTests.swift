import NotifyScheduling
import Testing

@Suite struct DueQueueTests {
    static func at(_ ms: Int64) -> Instant { Instant(millisecondsSinceEpoch: ms) }

    @Test func emptyQueue() {
        var queue = DueQueue<String>()
        #expect(queue.isEmpty && queue.count == 0)
        #expect(queue.nextDue == nil)
        #expect(queue.popDue(now: Self.at(.max)).isEmpty)
    }

    @Test func popsInDueOrderAndOnlyWhatIsDue() {
        var queue = DueQueue<String>()
        queue.push("c", due: Self.at(300))
        queue.push("a", due: Self.at(100))
        queue.push("b", due: Self.at(200))
        #expect(queue.nextDue == Self.at(100))
        #expect(queue.popDue(now: Self.at(99)).isEmpty)
        #expect(queue.popDue(now: Self.at(200)) == ["a", "b"])
        #expect(queue.nextDue == Self.at(300))
        #expect(queue.count == 1)
    }

    @Test func equalDueTimesComeOutInPushOrder() {
        var queue = DueQueue<Int>()
        for id in 0..<1_000 { queue.push(id, due: Self.at(Int64(id % 3))) }
        let popped = queue.popDue(now: Self.at(2))
        let expected = (0..<3).flatMap { due in (0..<1_000).filter { $0 % 3 == due } }
        #expect(popped == expected)
    }

    @Test func pushingAgainReschedules() {
        var queue = DueQueue<String>()
        queue.push("job", due: Self.at(100))
        queue.push("other", due: Self.at(150))
        queue.push("job", due: Self.at(500))
        #expect(queue.count == 2)
        #expect(queue.nextDue == Self.at(150))
        #expect(queue.popDue(now: Self.at(400)) == ["other"])
        queue.push("job", due: Self.at(10))
        #expect(queue.popDue(now: Self.at(1_000)) == ["job"])
        #expect(queue.isEmpty && queue.nextDue == nil)
    }

    @Test func removalIsLazyButExact() {
        var queue = DueQueue<String>()
        queue.push("a", due: Self.at(1))
        queue.push("b", due: Self.at(2))
        #expect(queue.remove("a") == true)
        #expect(queue.remove("a") == false)
        #expect(queue.remove("never") == false)
        #expect(!queue.contains("a") && queue.contains("b"))
        #expect(queue.count == 1)
        #expect(queue.nextDue == Self.at(2))
        queue.push("a", due: Self.at(3))
        #expect(queue.popDue(now: Self.at(10)) == ["b", "a"])
    }

    @Test func popDueRespectsTheLimit() {
        var queue = DueQueue<Int>()
        for id in 0..<10 { queue.push(id, due: Self.at(Int64(id))) }
        #expect(queue.popDue(now: Self.at(100), limit: 4) == [0, 1, 2, 3])
        #expect(queue.count == 6 && queue.nextDue == Self.at(4))
    }

    @Test func hundredThousandRandomElementsComeOutSorted() {
        var generator = SplitMix64(seed: 100_000)
        var queue = DueQueue<String>()
        var expected: [(due: Int64, id: String)] = []
        for index in 0..<100_000 {
            let due = Int64.random(in: 0..<1_000_000, using: &generator)
            let id = "J\(index)"
            queue.push(id, due: Self.at(due))
            expected.append((due, id))
        }
        #expect(queue.count == 100_000)
        // Stable sort by due: equal due times keep push order.
        expected = expected.enumerated().sorted {
            $0.element.due != $1.element.due ? $0.element.due < $1.element.due : $0.offset < $1.offset
        }.map(\.element)
        var popped: [String] = []
        var now: Int64 = -1
        while !queue.isEmpty {
            now += Int64.random(in: 0...20_000, using: &generator)
            let batch = queue.popDue(now: Self.at(now))
            popped.append(contentsOf: batch)
            // Nothing due is left behind.
            if let next = queue.nextDue { #expect(next.millisecondsSinceEpoch > now) }
        }
        #expect(popped == expected.map(\.id))
    }

    @Test func randomisedOperationsMatchAReferenceModel() {
        var generator = SplitMix64(seed: 31)
        var queue = DueQueue<Int>()
        var model: [Int: Int64] = [:]
        var now: Int64 = 0
        for _ in 0..<100_000 {
            let roll = Int.random(in: 0..<10, using: &generator)
            let id = Int.random(in: 0..<5_000, using: &generator)
            switch roll {
            case 0..<5:
                let due = now + Int64.random(in: -100...10_000, using: &generator)
                queue.push(id, due: Self.at(due))
                model[id] = due
            case 5..<8:
                #expect(queue.remove(id) == (model.removeValue(forKey: id) != nil))
            default:
                now += Int64.random(in: 0...500, using: &generator)
                let popped = queue.popDue(now: Self.at(now))
                let due = model.filter { $0.value <= now }
                #expect(Set(popped) == Set(due.keys))
                #expect(popped.count == due.count)
                let dueTimes = popped.map { due[$0]! }
                #expect(dueTimes == dueTimes.sorted())
                for key in due.keys { model[key] = nil }
            }
            #expect(queue.count == model.count)
            #expect(queue.nextDue?.millisecondsSinceEpoch == model.values.min())
        }
    }

    @Test func manyRemovalsCompactTheHeap() {
        var queue = DueQueue<Int>()
        for round in 0..<20 {
            for id in 0..<10_000 { queue.push(id, due: Self.at(Int64(round * 10_000 + id))) }
            for id in 0..<10_000 where id % 10 != 0 { queue.remove(id) }
        }
        #expect(queue.count == 1_000)
        let popped = queue.popDue(now: Self.at(.max))
        #expect(popped == Array(stride(from: 0, to: 10_000, by: 10)))
    }
}
