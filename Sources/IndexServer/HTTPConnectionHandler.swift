import Foundation
import NIOCore
import PackageIndex

/// One client connection: collects a request head under a deadline, answers it with
/// StaticResponse, and then either waits for the next request (keep-alive) or closes
/// gracefully. Runs entirely on its channel's event loop.
final class HTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private enum State {
        case waitingForHead
        case responding
        /// Output closed after the last response; input is read and dropped until EOF.
        case draining
    }

    /// Files go out in pieces this size, each after the previous one was written, so a
    /// large file never sits in memory whole and a slow reader holds back the reading.
    private static let chunkSize = 256 * 1024

    private let settings: ConnectionSettings
    private let admitted: Bool
    private var state = State.waitingForHead
    private var pending: [UInt8] = []
    /// How much of `pending` was searched for the end of the head already.
    private var scanned = 0
    private var inputClosed = false
    private var readingPaused = false
    private var timer: Scheduled<Void>?
    private var peer = "?"

    init(settings: ConnectionSettings, admitted: Bool) {
        self.settings = settings
        self.admitted = admitted
    }

    func channelActive(context: ChannelHandlerContext) {
        peer = context.remoteAddress?.ipAddress ?? "?"
        guard admitted else {
            // Over the ceiling: a real 503, then a graceful close (not a reset).
            send(.error(.serviceUnavailable, logLine: "-"), context: context)
            return
        }
        arm(settings.headTimeout, context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        if admitted { settings.connections.release() }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard state != .draining else { return }
        let bytes = unwrapInboundIn(data)
        pending.append(contentsOf: bytes.readableBytesView)
        if state == .waitingForHead {
            answerPending(context: context)
        } else if pending.count > HTTPRequestHead.maximumSize && !readingPaused {
            // Pipelined requests pile up behind a response still going out: stop reading
            // until it is done, rather than buffer without bound.
            readingPaused = true
            context.channel.setOption(ChannelOptions.autoRead, value: false).whenFailure { _ in }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case ChannelEvent.inputClosed = event else { return context.fireUserInboundEventTriggered(event) }
        inputClosed = true
        switch state {
        case .draining: context.close(promise: nil)
        case .waitingForHead: answerPending(context: context)
        case .responding: break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    /// Answers the head in `pending` if it is complete; refuses one that grew too large.
    private func answerPending(context: ChannelHandlerContext) {
        guard state == .waitingForHead else { return }
        if let end = HTTPRequestHead.endOfHead(in: pending, from: scanned) {
            guard end <= HTTPRequestHead.maximumSize else {
                return send(.error(.requestHeaderTooLarge, logLine: "-"), context: context)
            }
            let head = Array(pending[..<end])
            pending.removeFirst(end)
            scanned = 0
            // A 404 says which level of the index is a mip index (NotFoundHint); an installer
            // published without --base-url gets the address this client reached us by.
            let root = settings.root
            let address = Self.httpAddress(context.channel.localAddress)
            var response = StaticResponse.answer(head: head, root: root,
                                                 notFoundText: { NotFoundHint.body(forTarget: $0, root: root) },
                                                 rewrite: { target, path in
                                                     address.flatMap { ServedInstaller.bytes(target: target, path: path, address: $0) }
                                                 })
            if inputClosed { response.keepAlive = false }
            return send(response, context: context)
        }
        scanned = pending.count
        if pending.count > HTTPRequestHead.maximumSize {
            send(.error(.requestHeaderTooLarge, logLine: "-"), context: context)
        } else if inputClosed {
            // The client finished sending without completing a head.
            if pending.isEmpty { context.close(promise: nil) } else { send(.error(.badRequest, logLine: "-"), context: context) }
        }
    }

    private func send(_ response: StaticResponse, context: ChannelHandlerContext) {
        state = .responding
        arm(settings.responseTimeout, context: context)
        var buffer = context.channel.allocator.buffer(capacity: 512)
        buffer.writeBytes(response.headBytes)
        switch response.body {
        case .text(let bytes):
            if response.sendsBody { buffer.writeBytes(bytes) }
            let sent = response.sendsBody ? bytes.count : 0
            context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { result in
                self.finished(response, bytes: (try? result.get()) != nil ? sent : 0, context: context)
            }
        case .file(let path, let size):
            guard response.sendsBody else {
                context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { _ in
                    self.finished(response, bytes: 0, context: context)
                }
                return
            }
            let file = open(path, O_RDONLY | O_CLOEXEC)
            guard file >= 0 else {
                var missing = StaticResponse.error(.notFound, logLine: response.logLine, keepAlive: response.keepAlive)
                missing.sendsBody = true
                return send(missing, context: context)
            }
            sendFile(file, remaining: size, sent: 0, first: buffer, response: response, context: context)
        }
    }

    /// Reads the next piece of the file behind whatever is in `first` (the head), writes it,
    /// and continues once the write is done.
    private func sendFile(_ file: Int32, remaining: Int, sent: Int, first: ByteBuffer,
                          response: StaticResponse, context: ChannelHandlerContext) {
        var buffer = first
        let want = min(remaining, Self.chunkSize)
        var got = 0
        if want > 0 {
            got = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: want) { raw in
                max(0, read(file, raw.baseAddress, want))
            }
        }
        let complete = got == remaining
        if got == 0 && !complete {
            // The file shrank since it was looked up: the promised length cannot be kept.
            close(file)
            return abort(response, bytes: sent, context: context)
        }
        context.writeAndFlush(wrapOutboundOut(buffer)).assumeIsolated().whenComplete { result in
            guard (try? result.get()) != nil else {
                close(file)
                return self.abort(response, bytes: sent, context: context)
            }
            if complete {
                close(file)
                self.finished(response, bytes: sent + got, context: context)
            } else {
                self.sendFile(file, remaining: remaining - got, sent: sent + got, first: context.channel.allocator.buffer(capacity: 0),
                              response: response, context: context)
            }
        }
    }

    private func finished(_ response: StaticResponse, bytes: Int, context: ChannelHandlerContext) {
        log(response, bytes: bytes)
        guard context.channel.isActive else { return }
        if response.keepAlive && !inputClosed {
            state = .waitingForHead
            arm(settings.idleTimeout, context: context)
            if readingPaused {
                readingPaused = false
                context.channel.setOption(ChannelOptions.autoRead, value: true).whenFailure { _ in }
            }
            answerPending(context: context)
        } else {
            closeGracefully(context: context)
        }
    }

    private func abort(_ response: StaticResponse, bytes: Int, context: ChannelHandlerContext) {
        log(response, bytes: bytes)
        context.close(promise: nil)
    }

    private func closeGracefully(context: ChannelHandlerContext) {
        state = .draining
        pending = []
        if inputClosed { return context.close(promise: nil) }
        context.close(mode: .output, promise: nil)
        arm(settings.lingerTimeout, context: context)
    }

    /// One deadline at a time: for the head, the response, the idle wait or the linger.
    private func arm(_ timeout: TimeAmount, context: ChannelHandlerContext) {
        timer?.cancel()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) {
            self.timedOut(context: context)
        }
    }

    private func timedOut(context: ChannelHandlerContext) {
        timer = nil
        switch state {
        case .waitingForHead where !pending.isEmpty:
            // Part of a head arrived, too slowly: say so, then close.
            send(.error(.requestTimeout, logLine: "-"), context: context)
        case .waitingForHead, .responding, .draining:
            context.close(promise: nil)
        }
    }

    private func log(_ response: StaticResponse, bytes: Int) {
        settings.log("\(peer) \"\(response.logLine)\" \(response.status.rawValue) \(bytes)")
    }

    /// "http://ip:port" of the socket a client connected to (the client's own view of our
    /// address; the Host header is no help: MicroPython's requests leaves the port out).
    static func httpAddress(_ address: SocketAddress?) -> String? {
        guard let address, let ip = address.ipAddress, let port = address.port else { return nil }
        if case .v6 = address { return "http://[\(ip)]:\(port)" }
        return "http://\(ip):\(port)"
    }
}
