/// Where a ready job comes from within its priority class, like Postfix's incoming and
/// deferred queues.
public enum JobSource: Int, CaseIterable, Sendable, Hashable {
    /// A job not attempted yet.
    case fresh = 0
    /// A deferred job whose retry time has come.
    case retry = 1

    /// The other source.
    public var other: JobSource { self == .fresh ? .retry : .fresh }
}
