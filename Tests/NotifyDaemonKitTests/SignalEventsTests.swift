import Glibc
import Testing
@testable import NotifyDaemonKit

/// Sends real signals to the test process; serialized so handlers are installed and
/// restored by one test at a time.
@Suite(.serialized) struct SignalEventsTests {
    @Test(.timeLimit(.minutes(1)))
    func hangupThenTerminateArriveInOrder() async {
        let stream = SignalEvents.stream()
        var events = stream.makeAsyncIterator()
        kill(getpid(), SIGHUP)
        #expect(await events.next() == .reload)
        kill(getpid(), SIGTERM)
        #expect(await events.next() == .terminate)
    }

    @Test(.timeLimit(.minutes(1)))
    func everyLiveStreamSeesEachEvent() async {
        let first = SignalEvents.stream()
        let second = SignalEvents.stream()
        var firstEvents = first.makeAsyncIterator()
        var secondEvents = second.makeAsyncIterator()
        kill(getpid(), SIGINT)
        #expect(await firstEvents.next() == .terminate)
        #expect(await secondEvents.next() == .terminate)
    }

    /// The shape of a daemon's main loop. The next signal is sent only once the previous
    /// event was seen: the kernel may run the handlers for two pending signals on two
    /// threads at once, so back-to-back signals of different kinds have no fixed order.
    @Test(.timeLimit(.minutes(1)))
    func forAwaitLoopEndsOnTerminate() async {
        let stream = SignalEvents.stream()
        kill(getpid(), SIGHUP)
        var seen: [SignalEvent] = []
        for await event in stream {
            seen.append(event)
            if event == .reload { kill(getpid(), SIGTERM) }
            if event == .terminate { break }
        }
        #expect(seen == [.reload, .terminate])
    }

    @Test func previousDispositionReturnsWhenLastStreamEnds() {
        let before = Self.currentHandler(SIGTERM)
        do {
            let stream = SignalEvents.stream()
            #expect(Self.currentHandler(SIGTERM) != before)
            _ = stream
        }
        #expect(Self.currentHandler(SIGTERM) == before)
    }

    @Test func mapsSignalNumbers() {
        #expect(SignalEvent(signal: SIGTERM) == .terminate)
        #expect(SignalEvent(signal: SIGINT) == .terminate)
        #expect(SignalEvent(signal: SIGHUP) == .reload)
        #expect(SignalEvent(signal: SIGUSR1) == nil)
    }

    /// The address of the handler currently installed for `signal` (0 for SIG_DFL).
    static func currentHandler(_ signal: Int32) -> Int {
        var action = sigaction()
        sigaction(signal, nil, &action)
        return unsafeBitCast(action.__sigaction_handler.sa_handler, to: Int.self)
    }
}
