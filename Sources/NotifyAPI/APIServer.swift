#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NotifyCore
import Synchronization

/// notify-apid's HTTP/1.1 server on a Unix stream socket: SwiftNIO's HTTP codec, one
/// `APIConnectionHandler` per connection with the peer's SO_PEERCRED, the limits of
/// `APISettings`, and a thread pool for the handlers that touch the disk.
public final class APIServer: Sendable {
    let service: APIService
    /// The limits as configured now (a reload changes them for new requests and connections).
    var limits: APISettings { service.settings.api }
    let group: MultiThreadedEventLoopGroup
    let threadPool: NIOThreadPool
    let connections = Atomic<Int>(0)
    private let listener = Mutex<(any NIOCore.Channel)?>(nil)
    let logger: Logger

    public init(service: APIService, logger: Logger) {
        self.service = service
        self.logger = logger
        group = MultiThreadedEventLoopGroup(numberOfThreads: max(2, System.coreCount))
        threadPool = NIOThreadPool(numberOfThreads: max(4, System.coreCount * 2))
        threadPool.start()
    }

    /// Binds `path` (replacing a stale socket file), gives it `api_socket_mode` and the
    /// socket group, or adopts an inherited listening socket (socket activation).
    public func start(path: String?, inherited: Int32?) async throws {
        let channel = try await bind(path: path, inherited: inherited)
        listener.withLock { $0 = channel }
    }

    /// Stops accepting connections, lets the requests in flight finish, and stops.
    public func shutdown() async {
        if let channel = listener.withLock({ $0 }) { try? await channel.close() }
        try? await group.shutdownGracefully()
        try? await threadPool.shutdownGracefully()
    }

    private func bind(path: String?, inherited: Int32?) async throws -> any NIOCore.Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .childChannelOption(.maxMessagesPerRead, value: 16)
            .childChannelInitializer { [self] channel in initialize(channel) }
        if let inherited {
            return try await bootstrap.withBoundSocket(inherited).get()
        }
        guard let path else { throw APIServerError("no socket path") }
        let channel = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        if chmod(path, mode_t(limits.socketMode)) != 0 {
            throw APIServerError("chmod \(path): \(String(cString: strerror(errno)))")
        }
        let groupName = limits.socketGroup.isEmpty ? service.settings.submitGroup : limits.socketGroup
        if let entry = getgrnam(groupName) {
            if chown(path, uid_t.max, entry.pointee.gr_gid) != 0 {
                logger.warning("cannot give the socket its group", metadata: ["GROUP": "\(groupName)", "ERRNO": "\(errno)"])
            }
        } else {
            logger.warning("socket group does not exist; the socket keeps the daemon's group", metadata: ["GROUP": "\(groupName)"])
        }
        return channel
    }

    private func initialize(_ channel: any NIOCore.Channel) -> EventLoopFuture<Void> {
        let open = connections.wrappingAdd(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { [self] _ in _ = connections.wrappingSubtract(1, ordering: .relaxed) }
        let overloaded = open > limits.connectionLimit
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeFailedFuture(APIServerError("not a socket"))
        }
        let credentials: EventLoopFuture<KernelCredentials> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET), name: SocketOptionName(17 /* SO_PEERCRED */))
        return credentials.flatMap { [self] raw in
            channel.eventLoop.makeCompletedFuture {
                let peer = PeerCredentials(pid: raw.pid, uid: raw.uid, gid: raw.gid)
                try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: false)
                try channel.pipeline.syncOperations.addHandler(
                    APIConnectionHandler(server: self, peer: peer, overloaded: overloaded))
            }
        }
    }
}

struct APIServerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One connection: collects a request within the limits, routes it, answers it, and
/// closes connections that stall (api_idle_timeout) or break the limits.
final class APIConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let server: APIServer
    private let peer: PeerCredentials
    private let overloaded: Bool
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    /// After a refusal that ends the connection: ignore what else arrives.
    private var closing = false
    /// A response is being prepared or streamed: the idle timer is off.
    private var busy = false
    private var timer: Scheduled<Void>?
    private var relay: EventRelay?
    /// The limits this request is held to: read once per request, so a reload applies
    /// from the next one.
    private var limits: APISettings

    init(server: APIServer, peer: PeerCredentials, overloaded: Bool) {
        self.server = server
        self.peer = peer
        self.overloaded = overloaded
        limits = server.limits
    }

    func handlerAdded(context: ChannelHandlerContext) { armTimer(context) }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        relay?.stop()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        relay?.stop()
        relay = nil
        context.fireChannelInactive()
    }

    private func armTimer(_ context: ChannelHandlerContext) {
        timer?.cancel()
        let idle = TimeAmount.nanoseconds(Int64(limits.idleTimeout.milliseconds) * 1_000_000)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: idle) {
            let this = handler.value
            guard !this.busy, !this.closing else { return }
            if this.head != nil {
                this.refuse(boundContext.value, .error(408, "timeout", "the request was not complete within api_idle_timeout"))
            } else {
                boundContext.value.close(promise: nil)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body.clear()
            limits = server.limits
            if overloaded {
                refuse(context, .error(503, "overloaded", "too many connections (api_connection_limit \(limits.connectionLimit))",
                                       headers: [("Retry-After", "1")]))
                return
            }
            var size = requestHead.uri.utf8.count + 16
            for header in requestHead.headers { size += header.name.utf8.count + header.value.utf8.count + 4 }
            if size > limits.headerSizeLimit {
                refuse(context, .error(431, "headers_too_large", "request line and headers are \(size) bytes; the limit is \(limits.headerSizeLimit) (api_header_size_limit)"))
                return
            }
            if let length = requestHead.headers.first(name: "content-length").flatMap(Int.init), length > limits.bodySizeLimit {
                refuse(context, tooLarge(length))
                return
            }
        case .body(var chunk):
            guard head != nil else { return }
            if body.readableBytes + chunk.readableBytes > limits.bodySizeLimit {
                refuse(context, tooLarge(body.readableBytes + chunk.readableBytes))
                return
            }
            body.writeBuffer(&chunk)
        case .end:
            guard let requestHead = head else { return }
            busy = true
            timer?.cancel()
            dispatch(context, requestHead)
        }
    }

    private func tooLarge(_ size: Int) -> APIResponse {
        .error(413, "body_too_large", "the body is \(size) bytes or more; the limit is \(limits.bodySizeLimit) (api_body_size_limit)")
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !closing else { context.close(promise: nil); return }
        if let parser = error as? HTTPParserError {
            if case .headerOverflow = parser {
                refuse(context, .error(431, "headers_too_large", "request headers too large"))
            } else {
                refuse(context, .error(400, "bad_request", "not an HTTP/1.1 request: \(parser)"))
            }
            return
        }
        context.close(promise: nil)
    }

    /// Answers and closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ response: APIResponse) {
        closing = true
        let version = head?.version ?? .http1_1
        server.logger.debug("connection refused", metadata: ["PEER_UID": "\(peer.uid)", "STATUS": "\(response.status)"])
        write(context, response, version: version, keepAlive: false)
    }

    private func dispatch(_ context: ChannelHandlerContext, _ requestHead: HTTPRequestHead) {
        let uri = requestHead.uri
        let question = uri.firstIndex(of: "?")
        let path = String(uri[..<(question ?? uri.endIndex)])
        let query = question.map { APIRouter.query(uri[uri.index(after: $0)...]) } ?? [:]
        var headers: [String: String] = [:]
        for header in requestHead.headers { headers[header.name.lowercased()] = header.value }
        let keepAlive = requestHead.isKeepAlive
        var request = APIRequest(method: requestHead.method.rawValue, path: path, query: query, headers: headers,
                                 body: Array(body.readableBytesView), peer: peer)
        body.clear()
        head = nil
        switch APIRouter.match(method: request.method, path: path) {
        case .notFound:
            finish(context, .notFound("no route for \(path)"), requestHead, keepAlive)
        case .methodNotAllowed(let allowed):
            finish(context, .error(405, "method_not_allowed", "\(request.method) is not allowed on \(path)",
                                   headers: [("Allow", allowed.joined(separator: ", "))]), requestHead, keepAlive)
        case .route(.events, let parameters):
            request.parameters = parameters
            startEvents(context, request, requestHead)
        case .route(let route, let parameters):
            request.parameters = parameters
            let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
            let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            let service = server.service
            let respond: APIService.Respond = { response in
                eventLoop.execute { handler.value.finish(boundContext.value, response, requestHead, keepAlive) }
            }
            if route == .submitNotification {
                // Parsing and validation are CPU only: on the event loop; the commit thread answers.
                service.handle(route, request, respond: respond)
            } else {
                let routed = request
                server.threadPool.submit { state in
                    guard case .active = state else {
                        respond(.error(503, "unavailable", "shutting down"))
                        return
                    }
                    service.handle(route, routed, respond: respond)
                }
            }
        }
    }

    private func finish(_ context: ChannelHandlerContext, _ response: APIResponse, _ requestHead: HTTPRequestHead, _ keepAlive: Bool) {
        guard context.channel.isActive else { return }
        write(context, response, version: requestHead.version, keepAlive: keepAlive && !closing)
    }

    private func write(_ context: ChannelHandlerContext, _ response: APIResponse, version: HTTPVersion, keepAlive: Bool) {
        var headers = HTTPHeaders()
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let status = HTTPResponseStatus(statusCode: response.status, reasonPhrase: StatusText.phrase(response.status))
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            let this = handler.value
            if keepAlive {
                this.busy = false
                this.armTimer(boundContext.value)
            } else {
                boundContext.value.close(promise: nil)
            }
        }
    }

    /// GET /v1/events: an SSE stream relayed from notify-statsd's event socket.
    private func startEvents(_ context: ChannelHandlerContext, _ request: APIRequest, _ requestHead: HTTPRequestHead) {
        let rights = server.service.policy.rights(for: peer)
        guard rights.readStats || rights.admin else {
            finish(context, server.service.refuse(request, "uid \(peer.uid) may not read live events (api_access: read_stats)"), requestHead, false)
            return
        }
        let filter: EventFilter
        do { filter = try EventFilter(query: request.query) } catch {
            finish(context, .invalid(error), requestHead, requestHead.isKeepAlive)
            return
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-cache")
        headers.add(name: "Connection", value: "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: requestHead.version, status: .ok, headers: headers))), promise: nil)
        var first = context.channel.allocator.buffer(capacity: 32)
        first.writeString(": notify-apid events\n\n")
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(first))), promise: nil)
        let boundContext = NIOLoopBound(context, eventLoop: context.eventLoop)
        let handler = NIOLoopBound(self, eventLoop: context.eventLoop)
        let relay = EventRelay(path: server.service.spool.eventHubSocketPath, filter: filter, eventLoop: context.eventLoop) { frame in
            let context = boundContext.value
            // A subscriber that cannot keep up is dropped, as statsd drops slow subscribers.
            guard context.channel.isActive, context.channel.isWritable else {
                context.close(promise: nil)
                return false
            }
            var buffer = context.channel.allocator.buffer(capacity: frame.count)
            buffer.writeBytes(frame)
            context.writeAndFlush(handler.value.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            return true
        }
        self.relay = relay
        relay.start()
    }
}
