import NotifyTestSupport
import Testing
@testable import NotifyDaemonKit

extension ProcessEnvironmentTests {
    @Suite struct WatchdogLoopTests {
        @Test(.timeLimit(.minutes(1)))
        func pingsRepeatedlyUntilCancelled() async throws {
            let listener = try DatagramListener()
            await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
                let loop = Task { await WatchdogLoop.run(interval: .milliseconds(100), notifier: ServiceNotifier()) }
                for _ in 0..<3 {
                    #expect(listener.receive() == "WATCHDOG=1")
                }
                loop.cancel()
                await loop.value
            }
        }

        @Test(.timeLimit(.minutes(1)))
        func returnsAtOnceWhenWatchdogIsOff() async {
            await withEnvironment(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                await WatchdogLoop.run()
            }
            await WatchdogLoop.run(interval: nil, notifier: ServiceNotifier())
            await WatchdogLoop.run(interval: .zero, notifier: ServiceNotifier())
        }
    }
}
