/// Deferred elements (job ids) ordered by the instant they become due: a binary min-heap.
///
/// - `push` is O(log n). Pushing an element that is already queued reschedules it: the old
///   entry becomes stale and is discarded lazily.
/// - `remove` is O(log n) amortised: it only forgets the element; its heap entry becomes a
///   tombstone, dropped when it reaches the top. When tombstones outnumber live entries (and exceed
///   1024) the heap is rebuilt in O(n), so memory stays within about twice the live count.
/// - `popDue(now:)` returns the elements due at or before `now`, earliest first; elements
///   due at the same millisecond come out in push order (FIFO).
/// - `nextDue`, `count` and `contains` are O(1).
///
/// Each heap entry is the element plus two `Int64`-sized fields (32 bytes for a `String`
/// id), and each live element has one dictionary entry; no per-element boxes or closures,
/// so a million deferred jobs take tens of megabytes. The members are `@inlinable` so that
/// `DueQueue<String>` is specialised in the caller's module: unspecialised generic code is
/// about five times slower (measured: ~1 µs per push or pop at a million entries, release).
public struct DueQueue<Element: Hashable & Sendable>: Sendable {
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var due: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var element: Element

        @inlinable
        init(due: Int64, sequence: UInt64, element: Element) {
            self.due = due
            self.sequence = sequence
            self.element = element
        }

        @inlinable
        func precedes(_ other: Entry) -> Bool {
            due != other.due ? due < other.due : sequence < other.sequence
        }
    }

    @usableFromInline var heap: [Entry] = []
    /// The sequence number of each live element's current entry; other entries are stale.
    @usableFromInline var liveSequence: [Element: UInt64] = [:]
    @usableFromInline var nextSequence: UInt64 = 0

    @inlinable public init() {}

    /// Live elements queued.
    @inlinable public var count: Int { liveSequence.count }

    @inlinable public var isEmpty: Bool { liveSequence.isEmpty }

    /// When the earliest element is due; nil if empty.
    @inlinable public var nextDue: Instant? {
        heap.first.map { Instant(millisecondsSinceEpoch: $0.due) }
    }

    @inlinable public func contains(_ element: Element) -> Bool {
        liveSequence[element] != nil
    }

    /// Reserves room for `capacity` entries (e.g. when loading the deferred queue at start).
    @inlinable public mutating func reserveCapacity(_ capacity: Int) {
        heap.reserveCapacity(capacity)
        liveSequence.reserveCapacity(capacity)
    }

    /// Queues `element` to become due at `due`, replacing any earlier schedule of it.
    @inlinable public mutating func push(_ element: Element, due: Instant) {
        let sequence = nextSequence
        nextSequence += 1
        liveSequence[element] = sequence
        heap.append(Entry(due: due.millisecondsSinceEpoch, sequence: sequence, element: element))
        siftUp(heap.count - 1)
        discardStaleTop()
        compactIfNeeded()
    }

    /// Forgets `element`. Returns whether it was queued.
    @discardableResult
    @inlinable public mutating func remove(_ element: Element) -> Bool {
        guard liveSequence.removeValue(forKey: element) != nil else { return false }
        discardStaleTop()
        compactIfNeeded()
        return true
    }

    /// Removes and returns the elements due at or before `now`, earliest first, at most
    /// `limit` of them.
    @inlinable public mutating func popDue(now: Instant, limit: Int = .max) -> [Element] {
        var result: [Element] = []
        let cutoff = now.millisecondsSinceEpoch
        while result.count < limit, let top = heap.first, top.due <= cutoff {
            removeTop()
            liveSequence[top.element] = nil
            result.append(top.element)
            discardStaleTop()
        }
        return result
    }

    // MARK: - Heap maintenance

    @inlinable func isLive(_ entry: Entry) -> Bool {
        liveSequence[entry.element] == entry.sequence
    }

    /// Keeps the invariant that the top entry, if any, is live.
    @inlinable mutating func discardStaleTop() {
        while let top = heap.first, !isLive(top) {
            removeTop()
        }
    }

    @inlinable mutating func compactIfNeeded() {
        let stale = heap.count - liveSequence.count
        guard stale > 1024, stale > liveSequence.count else { return }
        let live = liveSequence
        heap.removeAll { live[$0.element] != $0.sequence }
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    @inlinable mutating func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    @inlinable mutating func siftUp(_ start: Int) {
        var child = start
        let entry = heap[child]
        while child > 0 {
            let parent = (child - 1) / 2
            guard entry.precedes(heap[parent]) else { break }
            heap[child] = heap[parent]
            child = parent
        }
        heap[child] = entry
    }

    @inlinable mutating func siftDown(_ start: Int) {
        var parent = start
        let entry = heap[parent]
        let count = heap.count
        while true {
            var child = 2 * parent + 1
            guard child < count else { break }
            if child + 1 < count, heap[child + 1].precedes(heap[child]) { child += 1 }
            guard heap[child].precedes(entry) else { break }
            heap[parent] = heap[child]
            parent = child
        }
        heap[parent] = entry
    }
}
