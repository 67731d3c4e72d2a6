import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Write end of the self-pipe, read by ``relaySignal(_:)`` inside the signal handler.
/// Stored before any handler is installed, so the handler only ever loads it.
private let signalPipeWriteEnd = Atomic<Int32>(-1)

/// The signal handler: writes the signal number as one byte to the self-pipe.
/// Only async-signal-safe calls (`write`), and `errno` is preserved for the interrupted code.
private func relaySignal(_ signal: Int32) {
    let savedErrno = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalPipeWriteEnd.load(ordering: .relaxed), &byte, 1)
    errno = savedErrno
}

/// Entry point of the reader thread; the argument is the pipe's read end plus one.
private func signalReaderThread(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let readEnd = Int32(Int(bitPattern: argument) - 1)
    SignalRelay.shared.readLoop(readEnd)
    return nil
}

/// The process-wide machinery behind ``SignalEvents``: the self-pipe, its reader thread
/// (started once, lives as long as the process) and the set of live streams.
final class SignalRelay: Sendable {
    static let shared = SignalRelay()
    static let handledSignals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    private struct State {
        var subscribers: [UInt64: AsyncStream<SignalEvent>.Continuation] = [:]
        var nextID: UInt64 = 0
        var readerStarted = false
        /// Dispositions in force before ours, restored when the last stream ends.
        var previousActions: [Int32: sigaction] = [:]
    }

    private let state = Mutex(State())

    private init() {}

    /// Registers a new stream, installing the handlers if it is the only one.
    func subscribe() -> AsyncStream<SignalEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: SignalEvent.self, bufferingPolicy: .unbounded)
        let id = state.withLock { state in
            if !state.readerStarted {
                Self.startReader()
                state.readerStarted = true
            }
            if state.subscribers.isEmpty {
                state.previousActions = Self.installHandlers()
            }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = continuation
            return id
        }
        continuation.onTermination = { _ in SignalRelay.shared.unsubscribe(id) }
        return stream
    }

    /// Forgets a stream; restores the earlier dispositions when none is left.
    private func unsubscribe(_ id: UInt64) {
        state.withLock { state in
            guard state.subscribers.removeValue(forKey: id) != nil, state.subscribers.isEmpty else { return }
            for (signal, var action) in state.previousActions {
                sigaction(signal, &action, nil)
            }
            state.previousActions = [:]
        }
    }

    /// Runs on the reader thread: turns each byte from the pipe into an event for every stream.
    fileprivate func readLoop(_ readEnd: Int32) {
        var byte: UInt8 = 0
        while true {
            let count = read(readEnd, &byte, 1)
            if count == 1 {
                guard let event = SignalEvent(signal: Int32(byte)) else { continue }
                let subscribers = state.withLock { Array($0.subscribers.values) }
                for subscriber in subscribers { subscriber.yield(event) }
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }

    /// Creates the self-pipe and starts the detached reader thread.
    private static func startReader() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { fatalError("SignalEvents: pipe() failed, errno \(errno)") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        // A full pipe must never block the handler; the reader catches up anyway.
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        signalPipeWriteEnd.store(ends[1], ordering: .releasing)

        var thread = pthread_t()
        let argument = UnsafeMutableRawPointer(bitPattern: Int(ends[0]) + 1)
        let result = pthread_create(&thread, nil, signalReaderThread, argument)
        guard result == 0 else { fatalError("SignalEvents: pthread_create failed, error \(result)") }
        pthread_detach(thread)
    }

    /// Points SIGTERM, SIGINT and SIGHUP at ``relaySignal(_:)``; returns the old dispositions.
    private static func installHandlers() -> [Int32: sigaction] {
        var previous: [Int32: sigaction] = [:]
        for signal in handledSignals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = relaySignal
            action.sa_flags = SA_RESTART
            sigemptyset(&action.sa_mask)
            var old = sigaction()
            sigaction(signal, &action, &old)
            previous[signal] = old
        }
        return previous
    }
}
