import Foundation
import Logging

/// Logs go to standard error only: on stdio, standard output belongs to the MCP protocol.
public enum FathomLogging {
    /// Installs the stderr log handler once per process.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in StderrLogHandler(label: label, logLevel: level) }
    }
}

/// One line per message on stderr. Metadata is kept as given and formatted only when a message is
/// written: the HTTP server sets a request id on every request's logger, and swift-log's
/// `StreamLogHandler` re-formats all metadata on each such set, which showed in profiles.
public struct StderrLogHandler: LogHandler {
    public let label: String
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, logLevel: Logger.Level) {
        self.label = label
        self.logLevel = logLevel
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "\(Self.timestamp()) \(event.level) \(label): \(event.message)"
        if !merged.isEmpty {
            line += " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        }
        line += "\n"
        FileHandle.standardError.write(Data(line.utf8))
    }

    private static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var time = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &time)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(time.tm_year) + 1900, Int(time.tm_mon) + 1, Int(time.tm_mday),
            Int(time.tm_hour), Int(time.tm_min), Int(time.tm_sec), Int(now.tv_nsec / 1_000_000))
    }
}
