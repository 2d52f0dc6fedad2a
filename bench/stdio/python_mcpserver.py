"""Python baseline for the stdio benchmark: the official MCP Python SDK's
MCPServer (formerly FastMCP; `mcp.server.mcpserver.MCPServer` in mcp 2.x) over
stdio, with the two tools the benchmark calls on Fathom:

- list_allowed_directories() -> "Allowed directories:\\n" + root
- read_text_file(path)       -> the text of a file under the root

The root comes from BENCH_ROOT (or FATHOM_FILESYSTEM_ROOTS, first entry, or
the first argument, or the cwd). SDK defaults are kept (log level, etc.): this
is the server a user gets from the SDK's documented quick start.

Run: .venv/bin/python bench/stdio/python_mcpserver.py [ROOT]          (stdio)
     .venv/bin/python bench/stdio/python_mcpserver.py --http PORT ROOT  (Streamable HTTP on
     127.0.0.1:PORT/mcp with uvicorn, SDK defaults: SSE replies, sessions, INFO logging)
"""

from __future__ import annotations

import os
import sys

from mcp.server.mcpserver import MCPServer


HTTP_PORT = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[1] == "--http" else None
ARGS = sys.argv[3:] if HTTP_PORT is not None else sys.argv[1:]


def _root() -> str:
    r = os.environ.get("BENCH_ROOT") or (os.environ.get("FATHOM_FILESYSTEM_ROOTS") or "").split(",")[0]
    if not r and ARGS:
        r = ARGS[0]
    return os.path.realpath(r or os.getcwd())


ROOT = _root()

mcp = MCPServer("python-mcpserver-bench")


@mcp.tool(description="Returns the list of directories this server may access.")
def list_allowed_directories() -> str:
    return "Allowed directories:\n" + ROOT


@mcp.tool(description="Reads a UTF-8 text file under the allowed directories.")
def read_text_file(path: str) -> str:
    real = os.path.realpath(path)
    if real != ROOT and not real.startswith(ROOT + os.sep):
        raise ValueError(f"Access denied - path outside the allowed directories: {path}")
    with open(real, encoding="utf-8") as f:
        return f.read()


if __name__ == "__main__":
    if HTTP_PORT is not None:
        mcp.run("streamable-http", host="127.0.0.1", port=HTTP_PORT)
    else:
        mcp.run()  # stdio transport
