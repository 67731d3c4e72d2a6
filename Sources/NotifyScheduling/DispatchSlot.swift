/// One queue the `PriorityDispatcher` can pick: a priority class and a source.
public struct DispatchSlot: Sendable, Hashable, CustomStringConvertible {
    public var priority: PriorityClass
    public var source: JobSource

    public init(_ priority: PriorityClass, _ source: JobSource) {
        self.priority = priority
        self.source = source
    }

    public var description: String { "\(priority)/\(source)" }
}
