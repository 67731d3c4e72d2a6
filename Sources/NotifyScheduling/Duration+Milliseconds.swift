extension Duration {
    /// This duration in whole milliseconds, truncated toward zero and clamped to `Int64`.
    ///
    /// The inverse is the standard library's `Duration.milliseconds(_:)`.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds > 0 ? .max : .min }
        let (total, overflow2) = fromSeconds.addingReportingOverflow(attoseconds / attosecondsPerMillisecond)
        if overflow2 { return seconds > 0 ? .max : .min }
        return total
    }
}
