import NotifyTestSupport
import Glibc
import Testing
@testable import NotifyDaemonKit

extension ProcessEnvironmentTests {
    @Suite struct ServiceNotifierTests {
        @Test func sendsReadyStatusAndWatchdogToNotifySocket() async throws {
            let listener = try DatagramListener()
            await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
                let notifier = ServiceNotifier()
                #expect(notifier.ready())
                #expect(listener.receive() == "READY=1")
                #expect(notifier.status("x"))
                #expect(listener.receive() == "STATUS=x")
                #expect(notifier.watchdogPing())
                #expect(listener.receive() == "WATCHDOG=1")
                #expect(notifier.stopping())
                #expect(listener.receive() == "STOPPING=1")
            }
        }

        @Test func reloadingCarriesMonotonicTimestamp() async throws {
            let listener = try DatagramListener()
            try await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
                let before = ServiceNotifier.monotonicMicroseconds()
                #expect(ServiceNotifier().reloading())
                let after = ServiceNotifier.monotonicMicroseconds()
                let lines = try #require(listener.receive()).split(separator: "\n")
                #expect(lines.count == 2)
                #expect(lines.first == "RELOADING=1")
                let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
                #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
                #expect((before...after).contains(stamp))
            }
        }

        @Test func statusTextStaysOnOneLine() async throws {
            let listener = try DatagramListener()
            await withEnvironment(["NOTIFY_SOCKET": listener.path]) {
                ServiceNotifier().status("queued: 3\ndeferred: 1")
                #expect(listener.receive() == "STATUS=queued: 3 deferred: 1")
            }
        }

        @Test func withoutNotifySocketEverythingIsAQuietNoOp() async {
            await withEnvironment(["NOTIFY_SOCKET": nil, "WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                let notifier = ServiceNotifier()
                #expect(!notifier.ready())
                #expect(!notifier.status("x"))
                #expect(!notifier.reloading())
                #expect(!notifier.stopping())
                #expect(!notifier.watchdogPing())
                #expect(notifier.watchdogInterval == nil)
            }
        }
    }
}
