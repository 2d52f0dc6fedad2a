/// Why the store could not be opened or used.
public enum StoreError: Error, CustomStringConvertible {
    case cannotCreateDirectory(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case migrationFailed(reason: String)

    public var description: String {
        switch self {
        case .cannotCreateDirectory(let path, let reason):
            "Cannot create the state directory \(path): \(reason). Set state_dir in fathom.yaml or FATHOM_STATE_DIR to a writable folder."
        case .cannotOpen(let path, let reason):
            "Cannot open the database \(path): \(reason). Check that the file is a Fathom SQLite database and is writable."
        case .migrationFailed(let reason):
            "The database schema could not be upgraded: \(reason). Back up the file and report this."
        }
    }
}
