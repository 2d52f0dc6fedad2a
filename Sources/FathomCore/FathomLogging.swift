import Logging

/// Logs go to standard error only: on stdio, standard output belongs to the MCP protocol.
public enum FathomLogging {
    /// Installs the stderr log handler once per process.
    public static func bootstrap(level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
