import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One libcurl multi handle driven by a dedicated thread, shared by all the deliveries an
/// agent has in flight. Deliveries `await perform(_:)`; the thread adds their easy
/// handles, runs `curl_multi_perform`/`curl_multi_poll`, and resumes each continuation
/// when its transfer completes. The multi handle's connection cache keeps connections
/// to providers open between deliveries (and HTTP/2 multiplexes where offered).
public final class CurlEngine: Sendable {
    private struct Shared: @unchecked Sendable {
        var submitted: [CurlTransfer] = []
    }

    private let shared = Mutex(Shared())
    // The multi handle is used by the engine thread only, except for curl_multi_wakeup,
    // which libcurl documents as callable from any thread.
    private nonisolated(unsafe) let multi: UnsafeMutableRawPointer

    /// - Parameter hostConnectionLimit: connections at once to one host; more transfers
    ///   queue inside libcurl until one is free.
    public init(hostConnectionLimit: Int = 64) {
        Self.globalInit
        multi = curl_multi_init()
        _ = notifyd_curl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, hostConnectionLimit)
        _ = notifyd_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, max(hostConnectionLimit * 4, 64))
        let context = Unmanaged.passRetained(self)
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { argument in
            let engine = Unmanaged<CurlEngine>.fromOpaque(argument!).takeRetainedValue()
            engine.loop()
            return nil
        }, context.toOpaque())
        precondition(created == 0, "cannot start the curl thread")
        pthread_detach(thread)
    }

    /// curl_global_init is not thread-safe: run it once before any thread uses curl.
    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    /// Runs one transfer to its end and returns what came back. Never throws: transport
    /// failures are in the response's `curlCode`.
    public func perform(_ request: CurlRequest) async -> CurlResponse {
        await withCheckedContinuation { continuation in
            let transfer = CurlTransfer(request: request, continuation: continuation)
            shared.withLock { $0.submitted.append(transfer) }
            _ = curl_multi_wakeup(multi)
        }
    }

    private func loop() {
        var idle: [UnsafeMutableRawPointer] = []  // easy handles kept for reuse
        while true {
            let submitted = shared.withLock { state -> [CurlTransfer] in
                defer { state.submitted.removeAll(keepingCapacity: true) }
                return state.submitted
            }
            for transfer in submitted {
                let easy = idle.popLast() ?? curl_easy_init()!
                transfer.configure(easy)
                curl_multi_add_handle(multi, easy)
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                CurlTransfer.finish(easy, code: code)
                curl_easy_reset(easy)
                if idle.count < 256 { idle.append(easy) } else { curl_easy_cleanup(easy) }
            }
            var ready: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }
}
