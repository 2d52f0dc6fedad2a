import Foundation

/// Where a session writes its outgoing JSON-RPC messages. Transports provide one.
public protocol MessageSink: Sendable {
    /// Writes one complete JSON-RPC message (or batch). Safe to call from any task.
    func send(_ message: Data)
}
