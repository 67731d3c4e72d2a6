/// Chooses which ready queue gets the next dispatch slot. It only decides; it holds no jobs.
///
/// Algorithm (deterministic, O(1) per decision):
/// 1. A fixed wheel of 12 positions, `H N H H N H H N H H B H` (high 8 : normal 3 : bulk 1),
///    and a cursor. Each decision walks from the cursor to the first position whose class has
///    a ready queue, takes that class, and leaves the cursor just after it (at most 12 steps).
/// 2. Within the chosen class, the source not taken last time (fresh or retry) goes first if
///    it is ready; otherwise the other one. So the two alternate while both are ready.
///
/// Guarantees (proved in the tests):
/// - **High waits at most one slot.** Every non-high position is followed by a high position,
///   so after a slot given to normal or bulk the cursor stands on a high position: if high is
///   ready it gets the very next slot.
/// - **No starvation.** Each decision moves the cursor at least one position and never skips
///   a position whose class is ready, so in any 12 consecutive decisions a class that stays
///   ready gets at least its wheel share: normal >= 3 of 12, bulk >= 1 of 12 (and high >= 8
///   of 12), even when every other queue is flooded. Idle classes' positions go to the next
///   ready class, so no slot is wasted.
/// - **Fresh and retry alternate** within a class while both are ready, so neither a retry
///   backlog nor a flood of new jobs starves the other (as Postfix alternates its incoming
///   and deferred queues).
public struct PriorityDispatcher: Sendable, Hashable {
    /// The wheel: 8 high, 3 normal, 1 bulk, each non-high position followed by a high one.
    public static let wheel: [PriorityClass] = [
        .high, .normal, .high, .high, .normal, .high,
        .high, .normal, .high, .high, .bulk, .high,
    ]

    private var cursor = 0
    /// Bit `class.rawValue` set: that class prefers `.retry` next; clear: `.fresh`.
    private var prefersRetry: UInt8 = 0

    public init() {}

    /// The queue to take the next job from, or nil if `available` is false for all six.
    /// `available(class, source)` tells whether that queue has a ready job.
    public mutating func next(available: (PriorityClass, JobSource) -> Bool) -> DispatchSlot? {
        let wheel = Self.wheel
        for step in 0..<wheel.count {
            let position = (cursor + step) % wheel.count
            let priority = wheel[position]
            let bit: UInt8 = 1 << UInt8(priority.rawValue)
            let preferred: JobSource = prefersRetry & bit != 0 ? .retry : .fresh
            let source: JobSource
            if available(priority, preferred) {
                source = preferred
            } else if available(priority, preferred.other) {
                source = preferred.other
            } else {
                continue
            }
            cursor = (position + 1) % wheel.count
            if source == .fresh { prefersRetry |= bit } else { prefersRetry &= ~bit }
            return DispatchSlot(priority, source)
        }
        return nil
    }

    /// The same decision, with the ready queues given as a set.
    public mutating func next(ready: Set<DispatchSlot>) -> DispatchSlot? {
        next { ready.contains(DispatchSlot($0, $1)) }
    }
}
