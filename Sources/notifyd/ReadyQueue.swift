/// A FIFO of job IDs with O(1) amortised push and pop (an array and a head index).
struct ReadyQueue<Element> {
    private var items: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }

    mutating func append(_ element: Element) { items.append(element) }

    mutating func popFirst() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        head += 1
        if head > 1024, head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        return element
    }

    /// Removes and returns everything.
    mutating func drain() -> [Element] {
        let rest = Array(items[head...])
        items = []
        head = 0
        return rest
    }
}
