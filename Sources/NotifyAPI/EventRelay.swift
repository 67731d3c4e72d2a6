import NIOCore
import NIOPosix

/// One SSE subscriber's link to notify-statsd's event socket: connects on the subscriber's
/// event loop, forwards matching lines as SSE frames, reconnects with a doubling backoff
/// (0.2 s to 5 s) while statsd is down, and sends a comment every 15 s so that proxies and
/// clients see a live stream. Everything runs on the one event loop.
final class EventRelay {
    private let path: String
    private let filter: EventFilter
    private let eventLoop: any EventLoop
    private let send: ([UInt8]) -> Bool
    private var upstream: (any NIOCore.Channel)?
    private var backoff: TimeAmount = .milliseconds(200)
    private var stopped = false
    private var keepalive: RepeatedTask?
    private var connectedOnce = false

    /// `send` writes a frame to the subscriber; it returns false when the subscriber is gone
    /// or too slow, and the relay stops.
    init(path: String, filter: EventFilter, eventLoop: any EventLoop, send: @escaping ([UInt8]) -> Bool) {
        self.path = path
        self.filter = filter
        self.eventLoop = eventLoop
        self.send = send
    }

    func start() {
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        keepalive = eventLoop.scheduleRepeatedTask(initialDelay: .seconds(15), delay: .seconds(15)) { _ in
            if !bound.value.send(Array(": keepalive\n\n".utf8)) { bound.value.stop() }
        }
        connect()
    }

    func stop() {
        stopped = true
        keepalive?.cancel()
        upstream?.close(promise: nil)
        upstream = nil
    }

    private func connect() {
        guard !stopped else { return }
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        ClientBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RelayLineHandler(relay: bound))
                }
            }
            .connect(unixDomainSocketPath: path)
            .hop(to: eventLoop)
            .assumeIsolated()
            .whenComplete { result in
                let relay = bound.value
                switch result {
                case .success(let channel):
                    if relay.stopped { channel.close(promise: nil); return }
                    relay.upstream = channel
                    relay.backoff = .milliseconds(200)
                    if relay.connectedOnce { _ = relay.send(Array(": event hub reconnected\n\n".utf8)) }
                    relay.connectedOnce = true
                case .failure:
                    relay.retryLater()
                }
            }
    }

    fileprivate func upstreamClosed() {
        upstream = nil
        guard !stopped else { return }
        if !send(Array(": event hub unavailable; reconnecting\n\n".utf8)) { stop(); return }
        retryLater()
    }

    private func retryLater() {
        guard !stopped else { return }
        let delay = backoff
        backoff = min(backoff * 2, .seconds(5))
        let bound = NIOLoopBound(self, eventLoop: eventLoop)
        eventLoop.scheduleTask(in: delay) { bound.value.connect() }
    }

    fileprivate func forward(_ line: [UInt8]) {
        guard let frame = filter.frame(for: line) else { return }
        if !send(frame) { stop() }
    }
}

private final class RelayLineHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    private let relay: NIOLoopBound<EventRelay>
    private var splitter = LineSplitter()

    init(relay: NIOLoopBound<EventRelay>) { self.relay = relay }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        for line in splitter.feed(buffer.readableBytesView) { relay.value.forward(line) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        relay.value.upstreamClosed()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
