/// SIGTERM, SIGINT and SIGHUP as an `AsyncStream`, for a daemon's structured main loop:
///
/// ```swift
/// for await event in SignalEvents.stream() {
///     switch event {
///     case .reload: notifier.reloading(); try reloadConfiguration(); notifier.ready()
///     case .terminate: notifier.stopping(); return
///     }
/// }
/// ```
///
/// Works without Foundation or a dispatch source: a signal handler writes the signal number
/// to a self-pipe (the only thing it does, and async-signal-safe), and a dedicated thread
/// reads the pipe and yields to every live stream. Nothing blocks the cooperative thread
/// pool, and it does not matter which thread the kernel picks to run the handler.
///
/// As with any signal handling, a signal sent again while still pending is delivered once,
/// and two different signals sent back to back may be seen in either order (the kernel can
/// run their handlers on two threads at once).
public enum SignalEvents {
    /// The signals turned into events.
    public static let handledSignals: [Int32] = SignalRelay.handledSignals

    /// A new stream of signal events. Several streams may be live at once; each gets
    /// every event from the moment it is created.
    ///
    /// The first live stream installs the handlers (replacing any previous ones); when the
    /// last stream ends, the previous dispositions are restored, so an unsupervised SIGTERM
    /// terminates the process as usual again. Events are buffered without limit until read.
    public static func stream() -> AsyncStream<SignalEvent> {
        SignalRelay.shared.subscribe()
    }
}
