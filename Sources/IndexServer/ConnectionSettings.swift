import NIOCore

/// What every connection of one server shares.
struct ConnectionSettings: Sendable {
    let root: String
    /// From the first byte of a request head (or the connection's start) to its blank line.
    let headTimeout: TimeAmount
    /// A kept-alive connection waiting for its next request.
    let idleTimeout: TimeAmount
    /// Sending one response to a client that does not read.
    let responseTimeout: TimeAmount
    /// After the last response: how long the client's remaining input is read and dropped
    /// before the socket closes (closing with unread input makes the kernel send a reset,
    /// which could reach the client before the response it was meant to read).
    let lingerTimeout: TimeAmount
    let connections: ConnectionCount
    /// Must not block: it is called on the event loops.
    let log: @Sendable (String) -> Void
}
