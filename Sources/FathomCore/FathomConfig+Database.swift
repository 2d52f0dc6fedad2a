extension FathomConfig {
    /// Databases the database toolset may reach (`tools/database.yaml`).
    public struct DatabaseSettings: Sendable, Equatable {
        public var connections: [DatabaseConnection] = []
        /// `query` stops reading after this many rows, and says so.
        public var maxRows = 500
        /// A statement that runs longer is cancelled.
        public var statementTimeoutMilliseconds = 10_000
        /// Text cells longer than this are cut, with a marker.
        public var maxCellBytes = 4096
        public init() {}
    }

    public struct DatabaseConnection: Sendable, Equatable {
        public enum Kind: String, Sendable, Equatable {
            case sqlite, postgres
        }

        public enum TLSMode: String, Sendable, Equatable {
            case disable, prefer, require
        }

        public var name: String
        public var kind: Kind
        /// SQLite: the database file, relative to ``FathomConfig/home``.
        public var path: String?
        /// PostgreSQL: where and who.
        public var host = "127.0.0.1"
        public var port = 5432
        public var database = "postgres"
        public var user = "postgres"
        public var password: String?
        public var tls: TLSMode = .prefer
        public var caFile: String?
        /// `execute` (writes) is off unless a connection allows it; Policy gates it too.
        public var allowsWrites = false

        public init(name: String, kind: Kind) {
            self.name = name
            self.kind = kind
        }
    }
}
