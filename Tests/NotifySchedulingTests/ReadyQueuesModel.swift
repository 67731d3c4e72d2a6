import NotifyScheduling

/// A test model of the six ready queues: job counts per (class, source), with the arrival
/// step of every job so waits can be measured.
struct ReadyQueuesModel {
    private(set) var arrivals: [DispatchSlot: [Int]] = [:]
    private var heads: [DispatchSlot: Int] = [:]

    static let allSlots: [DispatchSlot] = PriorityClass.allCases.flatMap { priority in
        JobSource.allCases.map { DispatchSlot(priority, $0) }
    }

    func count(_ slot: DispatchSlot) -> Int {
        (arrivals[slot]?.count ?? 0) - (heads[slot] ?? 0)
    }

    func isReady(_ slot: DispatchSlot) -> Bool { count(slot) > 0 }

    func isReady(_ priority: PriorityClass) -> Bool {
        isReady(DispatchSlot(priority, .fresh)) || isReady(DispatchSlot(priority, .retry))
    }

    var ready: Set<DispatchSlot> { Set(Self.allSlots.filter(isReady)) }

    mutating func add(_ slot: DispatchSlot, at step: Int, count: Int = 1) {
        arrivals[slot, default: []].append(contentsOf: repeatElement(step, count: count))
    }

    /// Removes the oldest job of `slot` and returns its arrival step.
    mutating func take(_ slot: DispatchSlot) -> Int {
        let head = heads[slot] ?? 0
        precondition(head < arrivals[slot]?.count ?? 0, "took from an empty queue")
        heads[slot] = head + 1
        return arrivals[slot]![head]
    }

    /// Keeps `slot` at least `minimum` jobs long (a flood).
    mutating func keepFlooded(_ slot: DispatchSlot, at step: Int, minimum: Int = 2) {
        let missing = minimum - count(slot)
        if missing > 0 { add(slot, at: step, count: missing) }
    }
}
