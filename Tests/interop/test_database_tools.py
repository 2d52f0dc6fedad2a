"""The database tools against real SQLite files and a real PostgreSQL 15, through the official MCP SDK.
The read-only escape suite tries every trick we know; each must fail and leave the data as it was."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from conftest import Workspace, open_session, text_of, write_tools_config
from realparts import PostgresServer

pytestmark = pytest.mark.anyio

WRITES = {"FATHOM_POLICY_READ_ONLY": "false", "FATHOM_POLICY_ALLOW": "db_execute"}


def make_sqlite(path: Path) -> Path:
    con = sqlite3.connect(path)
    con.executescript(
        """
        CREATE TABLE services (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, tier TEXT DEFAULT 'gold', cpu REAL, blob BLOB);
        CREATE INDEX services_tier ON services(tier);
        CREATE VIEW gold AS SELECT name FROM services WHERE tier = 'gold';
        """
    )
    con.executemany("INSERT INTO services(name, tier, cpu, blob) VALUES (?, ?, ?, ?)",
                    [(f"svc-{i:03d}", "gold" if i % 3 == 0 else "silver", i / 10, bytes([i % 256, 255])) for i in range(1, 121)])
    con.commit()
    con.close()
    return path


def sqlite_config(path: Path, **extra: str) -> str:
    lines = [f"connections:\n  - name: app\n    sqlite: {path}\n"]
    if extra.get("allow_writes"):
        lines = [f"connections:\n  - name: app\n    sqlite: {path}\n    allow_writes: true\n"]
    for key in ("max_rows", "statement_timeout_ms"):
        if key in extra:
            lines.append(f"{key}: {extra[key]}\n")
    return "".join(lines)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_sqlite_schema_query_and_row_cap(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    db = make_sqlite(tmp_path / "app.db")
    write_tools_config(ws, "database", sqlite_config(db, max_rows="50"))
    async with open_session(fathom_bin, ws) as conn:
        tools = {t.name: t for t in (await conn.session.list_tools()).tools}
        assert {"db_connections", "db_list_tables", "db_describe_table", "db_query", "db_explain"} <= set(tools)
        assert "db_execute" not in tools  # a write: not listed while read-only

        tables = await conn.call_ok("db_list_tables", {})
        assert {(t["name"], t["type"]) for t in tables.structured_content["tables"]} == {("services", "table"), ("gold", "view")}

        described = await conn.call_ok("db_describe_table", {"table": "services"})
        columns = {c["name"]: c for c in described.structured_content["columns"]}
        assert columns["id"]["primaryKey"] is True and columns["name"]["nullable"] is False
        assert columns["tier"]["default"] == "'gold'"
        assert any("services_tier" in i for i in described.structured_content["indexes"])
        assert described.structured_content["rowEstimate"] == 120
        message = await conn.call_err("db_describe_table", {"table": "nope"})
        assert "no table or view named 'nope'" in message

        rows = await conn.call_ok("db_query", {"sql": "SELECT id, name, cpu, blob, NULL AS empty FROM services ORDER BY id LIMIT 3"})
        data = rows.structured_content
        assert data["columns"] == ["id", "name", "cpu", "blob", "empty"]
        assert data["rows"][0] == [1, "svc-001", 0.1, "\\x01ff", None]
        assert "1 | svc-001 | 0.1 | \\x01ff | NULL" in text_of(rows)

        capped = await conn.call_ok("db_query", {"sql": "SELECT * FROM services"})
        assert capped.structured_content["rowCount"] == 50 and capped.structured_content["truncated"] is True
        assert "[truncated: more than 50 rows" in text_of(capped)
        fewer = await conn.call_ok("db_query", {"sql": "SELECT * FROM services", "max_rows": 5})
        assert fewer.structured_content["rowCount"] == 5

        plan = await conn.call_ok("db_explain", {"sql": "SELECT * FROM services WHERE tier = 'gold'"})
        assert "services_tier" in text_of(plan)

        message = await conn.call_err("db_query", {"sql": "SELEC 1"})
        assert "refused the statement" in message and "syntax error" in message


SQLITE_ESCAPES = [
    "DROP TABLE services",
    "SELECT 1; DROP TABLE services",
    "SELECT 1; COMMIT; DROP TABLE services",
    "DELETE FROM services",
    "UPDATE services SET name = 'x'",
    "INSERT INTO services(name) VALUES ('evil')",
    "REPLACE INTO services(id, name) VALUES (1, 'evil')",
    "WITH d AS (SELECT 1) DELETE FROM services",
    "CREATE TABLE evil(x)",
    "CREATE TEMP TABLE evil(x)",
    "PRAGMA query_only = OFF",
    "PRAGMA writable_schema = ON",
    "PRAGMA journal_mode = DELETE",
    "ATTACH DATABASE '{dir}/evil.db' AS evil",
    "VACUUM",
    "VACUUM INTO '{dir}/copy.db'",
    "SELECT load_extension('/tmp/evil.so')",
    "BEGIN; DELETE FROM services; COMMIT",
    "/* hidden */ DELETE FROM services",
]


async def test_sqlite_read_only_escape_suite(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    db = make_sqlite(tmp_path / "app.db")
    before = digest(db)
    write_tools_config(ws, "database", sqlite_config(db))
    async with open_session(fathom_bin, ws) as conn:
        for trick in SQLITE_ESCAPES:
            sql = trick.format(dir=tmp_path)
            result = await conn.call("db_query", {"sql": sql})
            assert result.is_error, f"{sql!r} ran: {text_of(result)}"
        # The session still answers, and nothing changed.
        rows = await conn.call_ok("db_query", {"sql": "SELECT count(*) AS n FROM services"})
        assert rows.structured_content["rows"] == [[120]]
    assert digest(db) == before
    assert not (tmp_path / "copy.db").exists() and not (tmp_path / "evil.db").exists()


async def test_sqlite_statement_timeout_interrupts(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    db = make_sqlite(tmp_path / "app.db")
    write_tools_config(ws, "database", sqlite_config(db, statement_timeout_ms="300"))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("db_query", {
            "sql": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c"})
        assert "ran longer than 300 ms and was cancelled" in message
        await conn.call_ok("db_query", {"sql": "SELECT 1"})


async def test_sqlite_execute_needs_policy_and_allow_writes(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    db = make_sqlite(tmp_path / "app.db")
    write_tools_config(ws, "database", sqlite_config(db))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("db_execute", {"sql": "DELETE FROM services"})
        assert "read-only" in message
    async with open_session(fathom_bin, ws, env=ws.env(**WRITES)) as conn:
        message = await conn.call_err("db_execute", {"sql": "DELETE FROM services"})
        assert "Writes to 'app' are off" in message
    assert sqlite3.connect(db).execute("SELECT count(*) FROM services").fetchone()[0] == 120
    write_tools_config(ws, "database", sqlite_config(db, allow_writes="yes"))
    async with open_session(fathom_bin, ws, env=ws.env(**WRITES)) as conn:
        result = await conn.call_ok("db_execute", {"sql": "DELETE FROM services WHERE tier = 'silver'"})
        assert "80 row(s) changed" in text_of(result)
        message = await conn.call_err("db_execute", {"sql": "DELETE FROM services; DROP TABLE services"})
        assert "one statement per call" in message
    assert sqlite3.connect(db).execute("SELECT count(*) FROM services").fetchone()[0] == 40


# --- PostgreSQL ----------------------------------------------------------------------------------


@pytest.fixture
def pg_db(postgres: PostgresServer, request: pytest.FixtureRequest) -> str:
    name = "fathom_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    postgres.psql(f"DROP DATABASE IF EXISTS {name}")
    postgres.psql(f"CREATE DATABASE {name}")
    postgres.psql(
        """
        CREATE TABLE orders (id serial PRIMARY KEY, customer text NOT NULL, total numeric(10,2), paid boolean DEFAULT false,
                             placed timestamptz DEFAULT '2026-11-22 10:00:00+00', tags text[], meta jsonb, ref uuid, raw bytea);
        CREATE INDEX orders_customer ON orders(customer);
        CREATE SEQUENCE audit_seq;
        INSERT INTO orders(customer, total, paid, tags, meta, ref, raw)
        SELECT 'c' || i, i * 1.5, i % 2 = 0, ARRAY['a', 'b'], jsonb_build_object('i', i), ('00000000-0000-0000-0000-00000000000' || (i % 10))::uuid, '\\x00ff'
        FROM generate_series(1, 200) i;
        ANALYZE orders;
        """,
        database=name,
    )
    return name


def pg_config(postgres: PostgresServer, database: str, port: int | None = None, **extra: str) -> str:
    text = (f"connections:\n  - name: pg\n    postgres: {{host: 127.0.0.1, port: {port or postgres.port}, database: {database}, "
            f"user: postgres, tls: disable}}\n")
    if extra.get("allow_writes"):
        text += "    allow_writes: true\n"
    for key in ("max_rows", "statement_timeout_ms"):
        if key in extra:
            text += f"{key}: {extra[key]}\n"
    return text


def pg_state(postgres: PostgresServer, database: str) -> str:
    return postgres.psql(
        "SELECT count(*), sum(total), string_agg(customer, ',' ORDER BY id), (SELECT last_value FROM audit_seq), "
        "(SELECT count(*) FROM pg_tables WHERE schemaname = 'public') FROM orders", database=database)


async def test_postgres_schema_query_types_and_row_cap(fathom_bin: Path, ws: Workspace, postgres: PostgresServer, pg_db: str):
    write_tools_config(ws, "database", pg_config(postgres, pg_db, max_rows="100"))
    async with open_session(fathom_bin, ws) as conn:
        tables = await conn.call_ok("db_list_tables", {})
        assert ("public", "orders", "table") in {(t["schema"], t["name"], t["type"]) for t in tables.structured_content["tables"]}
        described = await conn.call_ok("db_describe_table", {"table": "orders"})
        columns = {c["name"]: c for c in described.structured_content["columns"]}
        assert columns["id"]["primaryKey"] is True and columns["customer"]["nullable"] is False
        assert columns["total"]["type"] == "numeric" and columns["tags"]["type"] == "ARRAY"
        assert any("orders_customer" in i for i in described.structured_content["indexes"])
        assert described.structured_content["rowEstimate"] == 200

        rows = await conn.call_ok("db_query", {"sql": "SELECT id, customer, total, paid, placed, tags, meta, ref, raw, NULL::text AS nothing "
                                                      "FROM orders WHERE id = 2;"})
        data = rows.structured_content
        assert data["columns"] == ["id", "customer", "total", "paid", "placed", "tags", "meta", "ref", "raw", "nothing"]
        assert data["rows"][0] == [2, "c2", "3", True, "2026-11-22T10:00:00Z", ["a", "b"], '{"i": 2}',
                                   "00000000-0000-0000-0000-000000000002", "\\x00ff", None]

        capped = await conn.call_ok("db_query", {"sql": "SELECT * FROM orders ORDER BY id"})
        assert capped.structured_content["rowCount"] == 100 and capped.structured_content["truncated"] is True
        exact = await conn.call_ok("db_query", {"sql": "SELECT id FROM orders ORDER BY id LIMIT 100"})
        assert exact.structured_content["truncated"] is False

        plan = await conn.call_ok("db_explain", {"sql": "SELECT * FROM orders WHERE customer = 'c1'"})
        assert "orders" in text_of(plan)
        analyzed = await conn.call_ok("db_explain", {"sql": "SELECT count(*) FROM orders", "analyze": True})
        assert "actual time" in text_of(analyzed)

        message = await conn.call_err("db_query", {"sql": "SELECT nope FROM orders"})
        assert 'column "nope" does not exist' in message and "42703" in message


PG_ESCAPES = [
    "SELECT 1; COMMIT; DROP TABLE orders",
    "COMMIT; DROP TABLE orders",
    "DROP TABLE orders",
    "DELETE FROM orders",
    "UPDATE orders SET total = 0",
    "INSERT INTO orders(customer) VALUES ('evil')",
    "CREATE TABLE evil(x int)",
    "WITH d AS (DELETE FROM orders RETURNING *) SELECT * FROM d",
    "SELECT nextval('audit_seq')",
    "SET TRANSACTION READ WRITE",
    "SELECT set_config('transaction_read_only', 'off', true)",
    "SELECT set_config('default_transaction_read_only', 'off', false), nextval('audit_seq')",
    "COPY orders TO '/tmp/fathom-escape.csv'",
    "EXPLAIN ANALYZE DELETE FROM orders",
    "DO $$ BEGIN DELETE FROM orders; END $$",
    "TRUNCATE orders",
    "LOCK TABLE orders IN ACCESS EXCLUSIVE MODE",
    "ALTER TABLE orders DROP COLUMN customer",
    "GRANT ALL ON orders TO PUBLIC",
    "SELECT * FROM orders FOR UPDATE",
    "VACUUM orders",
    "CALL nonexistent()",
    "PREPARE p AS DELETE FROM orders",
    "SELECT 1 \\; DELETE FROM orders",
    "/* hidden */ DELETE FROM orders",
    "SELECT lo_import('/etc/hostname')",
]


async def test_postgres_read_only_escape_suite(fathom_bin: Path, ws: Workspace, postgres: PostgresServer, pg_db: str):
    before = pg_state(postgres, pg_db)
    write_tools_config(ws, "database", pg_config(postgres, pg_db))
    async with open_session(fathom_bin, ws) as conn:
        for trick in PG_ESCAPES:
            result = await conn.call("db_query", {"sql": trick})
            assert result.is_error, f"{trick!r} ran: {text_of(result)}"
        # EXPLAIN ANALYZE runs the statement: it must be refused the same way.
        for trick in ["DELETE FROM orders", "UPDATE orders SET total = 0", "SELECT 1; DROP TABLE orders", "SELECT nextval('audit_seq')"]:
            result = await conn.call("db_explain", {"sql": trick, "analyze": True})
            assert result.is_error, f"EXPLAIN ANALYZE {trick!r} ran: {text_of(result)}"
        message = await conn.call_err("db_query", {"sql": "SELECT lo_export(1, '/tmp/fathom-escape.bin')"})
        assert "lo_export() acts on the server" in message
        rows = await conn.call_ok("db_query", {"sql": "SELECT count(*) FROM orders"})
        assert rows.structured_content["rows"] == [[200]]
    assert pg_state(postgres, pg_db) == before
    assert not Path("/tmp/fathom-escape.csv").exists()


async def test_postgres_timeout_restart_and_unreachable(fathom_bin: Path, ws: Workspace, postgres: PostgresServer, pg_db: str):
    write_tools_config(ws, "database", pg_config(postgres, pg_db, statement_timeout_ms="300"))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("db_query", {"sql": "SELECT pg_sleep(10)"})
        assert "ran longer than 300 ms and was cancelled" in message
        await conn.call_ok("db_query", {"sql": "SELECT 1"})
        # The server restarts under the open connection: the next call reconnects and retries once.
        postgres.restart()
        rows = await conn.call_ok("db_query", {"sql": "SELECT count(*) FROM orders"})
        assert rows.structured_content["rows"] == [[200]]
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    write_tools_config(ws, "database", pg_config(postgres, pg_db, port=dead))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("db_query", {"sql": "SELECT 1"})
        assert "Database 'pg' is unreachable" in message and "connect" in message


async def test_postgres_execute_writes_when_allowed(fathom_bin: Path, ws: Workspace, postgres: PostgresServer, pg_db: str):
    write_tools_config(ws, "database", pg_config(postgres, pg_db, allow_writes="yes"))
    async with open_session(fathom_bin, ws, env=ws.env(**WRITES)) as conn:
        result = await conn.call_ok("db_execute", {"sql": "UPDATE orders SET paid = true WHERE id <= 10"})
        assert "done" in text_of(result)
        message = await conn.call_err("db_execute", {"sql": "UPDATE orders SET paid = true; DROP TABLE orders"})
        assert "cannot insert multiple commands" in message
    assert postgres.psql("SELECT count(*) FROM orders WHERE paid", database=pg_db).strip() == "105"
