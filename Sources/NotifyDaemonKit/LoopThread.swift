#if canImport(Glibc)
import Glibc
#endif

/// Runs a daemon's blocking poll(2) loop on a thread of its own, so that it never holds a
/// thread of Swift's cooperative pool, and resumes the caller when it returns (notifyd,
/// notify-statsd).
public enum LoopThread {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let context = Unmanaged.passRetained(Context(body: { continuation.resume(returning: body()) }))
            var thread = pthread_t()
            let result = pthread_create(&thread, nil, { argument in
                Unmanaged<Context>.fromOpaque(argument!).takeRetainedValue().body()
                return nil
            }, context.toOpaque())
            precondition(result == 0, "pthread_create failed: \(result)")
            pthread_detach(thread)
        }
    }

    private final class Context: Sendable {
        let body: @Sendable () -> Void
        init(body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
