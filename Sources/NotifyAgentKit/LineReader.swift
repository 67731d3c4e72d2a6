#if canImport(Glibc)
import Glibc
#endif

/// Lines from a file descriptor as an AsyncStream, read by a dedicated thread so that a
/// blocking `read(2)` never holds a thread of the cooperative pool. Each element is the
/// complete lines of one read; the stream ends at EOF or on a read error.
enum LineReader {
    static func lines(fd: Int32) -> AsyncStream<[Substring]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [Substring].self, bufferingPolicy: .unbounded)
        let box = Unmanaged.passRetained(ReaderContext(fd: fd, continuation: continuation))
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let context = Unmanaged<ReaderContext>.fromOpaque(argument!).takeRetainedValue()
            context.run()
            return nil
        }, box.toOpaque())
        if result != 0 {
            box.release()
            continuation.finish()
        } else {
            pthread_detach(thread)
        }
        return stream
    }
}

private final class ReaderContext: @unchecked Sendable {
    let fd: Int32
    let continuation: AsyncStream<[Substring]>.Continuation

    init(fd: Int32, continuation: AsyncStream<[Substring]>.Continuation) {
        self.fd = fd
        self.continuation = continuation
    }

    func run() {
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            pending.append(contentsOf: chunk[0..<n])
            guard let lastNewline = pending.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            let text = String(decoding: pending[...lastNewline], as: UTF8.self)
            pending.removeSubrange(...lastNewline)
            continuation.yield(text.split(separator: "\n"))
        }
        continuation.finish()
    }
}
