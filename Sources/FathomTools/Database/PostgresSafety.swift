/// Functions that act on the server rather than read data: they read or write server files, end
/// other sessions, or change settings. A read-only transaction does not stop all of them (`lo_export`
/// writes a file, `pg_terminate_backend` ends a session), so `db_query` refuses them by name. The
/// real boundary is the role: give Fathom one without superuser or `pg_write_server_files`.
enum PostgresSafety {
    static let deniedFunctions: Set<String> = [
        "lo_import", "lo_export", "lo_unlink", "lo_create", "lo_creat", "lo_from_bytea", "lo_put", "lo_truncate",
        "pg_read_file", "pg_read_binary_file", "pg_ls_dir", "pg_stat_file", "pg_ls_logdir", "pg_ls_waldir", "pg_ls_tmpdir",
        "pg_ls_archive_statusdir", "pg_file_write", "pg_file_rename", "pg_file_unlink", "pg_logdir_ls",
        "pg_terminate_backend", "pg_cancel_backend", "pg_reload_conf", "pg_rotate_logfile", "pg_promote", "pg_switch_wal",
        "pg_create_restore_point", "pg_start_backup", "pg_stop_backup", "pg_backup_start", "pg_backup_stop",
        "pg_log_backend_memory_contexts", "set_config", "dblink", "dblink_exec", "dblink_connect", "dblink_send_query",
        "pg_advisory_lock", "pg_advisory_xact_lock", "pg_sleep_for", "pg_sleep_until", "pg_notify",
        "pg_replication_origin_create", "pg_drop_replication_slot", "pg_create_physical_replication_slot",
        "pg_create_logical_replication_slot",
    ]

    /// The first denied function called in `sql`, if any. Identifiers are compared case-insensitively,
    /// quoted or not, schema-qualified or not; a name inside a string literal is a false alarm, and that
    /// is accepted.
    static func deniedFunction(in sql: String) -> String? {
        var identifiers: [String] = []
        var current = ""
        for character in sql.lowercased() {
            if character.isLetter || character.isNumber || character == "_" || character == "$" {
                current.append(character)
                continue
            }
            if !current.isEmpty {
                identifiers.append(current)
                current = ""
            }
            if character == "(", let last = identifiers.last, deniedFunctions.contains(last) {
                return last
            }
            if character != " " && character != "\"" && character != "\t" && character != "\n" && character != "\r" {
                identifiers.append("")
            }
        }
        return nil
    }
}
