import FathomCore
import Synchronization

/// The configured connections, each opened on first use and kept.
public final class Databases: Sendable {
    public let settings: FathomConfig.DatabaseSettings
    private let opened = Mutex<[String: any SQLDatabase]>([:])

    public init(settings: FathomConfig.DatabaseSettings) {
        self.settings = settings
    }

    public var isEmpty: Bool { settings.connections.isEmpty }

    /// The connection named `name`, or the first one.
    public func database(_ name: String?) throws -> any SQLDatabase {
        guard let first = settings.connections.first else { throw DatabaseError.notConfigured }
        let wanted = name.flatMap { $0.isEmpty ? nil : $0 } ?? first.name
        guard let connection = settings.connections.first(where: { $0.name == wanted }) else {
            throw DatabaseError.unknownConnection(wanted, known: settings.connections.map(\.name))
        }
        if let database = opened.withLock({ $0[wanted] }) { return database }
        let database: any SQLDatabase =
            switch connection.kind {
            case .sqlite: try SQLiteDatabase(connection, settings: settings)
            case .postgres: try PostgresDatabase(connection, settings: settings)
            }
        return opened.withLock { opened in
            if let existing = opened[wanted] { return existing }
            opened[wanted] = database
            return database
        }
    }
}
