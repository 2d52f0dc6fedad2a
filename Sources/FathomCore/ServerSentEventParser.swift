/// The client side of Server-Sent Events, for LLM streams: bytes in, each event's `data` out.
///
/// Fed whole network chunks, not bytes; events may span chunks and lines may end in LF, CRLF or CR.
/// Only `data` matters to the LLM APIs we read, so `event`, `id` and `retry` are skipped.
public struct ServerSentEventParser: Sendable {
    /// A single line longer than this is an error rather than unbounded memory.
    public static let maxLineBytes = 4 * 1024 * 1024

    private var line: [UInt8] = []
    private var data: [UInt8] = []
    private var hasData = false
    private var lastWasCR = false

    public init() {}

    public struct LineTooLong: Error, CustomStringConvertible {
        public var description: String { "an event stream line is longer than \(ServerSentEventParser.maxLineBytes) bytes" }
    }

    /// Feeds bytes; returns the data of every event they complete.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [String] {
        var events: [String] = []
        for byte in bytes {
            if byte == 0x0A && lastWasCR {  // the LF of a CRLF
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = endLine() { events.append(event) }
            } else {
                guard line.count < Self.maxLineBytes else { throw LineTooLong() }
                line.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: an event not closed by a blank line is still delivered, as browsers do not but servers that
    /// forget the last blank line need.
    public mutating func finish() -> String? {
        if !line.isEmpty { _ = endLine() }
        return endLine()
    }

    private mutating func endLine() -> String? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard hasData else { return nil }
            defer {
                data.removeAll(keepingCapacity: true)
                hasData = false
            }
            return String(decoding: data, as: UTF8.self)
        }
        guard line.starts(with: "data".utf8) else { return nil }
        var value = line.dropFirst(4)
        if let colon = value.first {
            guard colon == UInt8(ascii: ":") else { return nil }  // a field named "datax"
            value = value.dropFirst()
            if value.first == UInt8(ascii: " ") { value = value.dropFirst() }
        }
        if hasData { data.append(0x0A) }
        data.append(contentsOf: value)
        hasData = true
        return nil
    }
}
