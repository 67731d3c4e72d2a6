import NotifyStats
#if canImport(Glibc)
import Glibc
#endif

/// The live event hub on `state/events.sock` (contracts: "Live events"): every subscriber
/// gets every record folded from its connection on, one JSON line each. Writes never
/// block: a subscriber whose socket buffer is full keeps up to `pendingLimit` bytes
/// waiting, and beyond that it is dropped.
final class EventHub {
    let listenFD: Int32
    private var subscribers: [Int32: [UInt8]] = [:]
    static let pendingLimit = 4 << 20

    init(listenFD: Int32) { self.listenFD = listenFD }

    deinit {
        for fd in subscribers.keys { close(fd) }
        close(listenFD)
    }

    var subscriberCount: Int { subscribers.count }

    /// Takes every waiting connection.
    func acceptAll() {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            subscribers[fd] = []
        }
    }

    /// Sends the records' lines to every subscriber.
    func publish(_ records: [StatsRecord]) {
        guard !subscribers.isEmpty, !records.isEmpty else { return }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(records.count * 160)
        for record in records { buffer += LiveEvent.line(record) }
        for fd in Array(subscribers.keys) {
            subscribers[fd]! += buffer
            flush(fd)
        }
    }

    /// Writes what is pending for one subscriber; drops it when it is gone or too slow.
    private func flush(_ fd: Int32) {
        guard var pending = subscribers[fd], !pending.isEmpty else { return }
        while !pending.isEmpty {
            let n = pending.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n > 0 {
                pending.removeFirst(n)
                continue
            }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            if n < 0 && errno == EINTR { continue }
            drop(fd)
            return
        }
        if pending.count > Self.pendingLimit { drop(fd); return }
        subscribers[fd] = pending
    }

    /// Flushes every subscriber with something pending, and notices closed ones.
    func service() {
        for fd in Array(subscribers.keys) {
            var probe: UInt8 = 0
            let n = recv(fd, &probe, 1, Int32(MSG_DONTWAIT))
            if n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) { drop(fd); continue }
            flush(fd)
        }
    }

    private func drop(_ fd: Int32) {
        close(fd)
        subscribers[fd] = nil
    }
}
