/// A dispatch priority class. Lower raw value = more urgent; `allCases` is in that order.
public enum PriorityClass: Int, CaseIterable, Sendable, Hashable {
    /// Time-critical notifications (one-time passwords, security alerts).
    case high = 0
    /// Ordinary notifications.
    case normal = 1
    /// Newsletters, batch campaigns.
    case bulk = 2
}
