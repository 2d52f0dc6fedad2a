"""Real Prometheus, node-exporter, Alertmanager and PostgreSQL, started on loopback for tests and benches.

Each part runs from the Debian packages (scripts/install-deps.sh installs them) in its own temporary
folder, on ports picked free at start, and is stopped by PID. Waits poll a readiness URL or
command and are bounded; nothing sleeps blindly. See ../shared/REAL-PARTS.md for the flags.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as exc:  # noqa: BLE001 - readiness probes fail until the part is up
            last = exc
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready within {timeout}s (last: {last!r})")


def http_json(url: str, method: str = "GET", body: Any = None, timeout: float = 10) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        raw = response.read()
        return json.loads(raw) if raw else None


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class Part:
    name: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""


def start(name: str, argv: list[str], folder: Path) -> Part:
    exe = shutil.which(argv[0])
    if exe is None:
        raise RuntimeError(f"{argv[0]} is not installed; run scripts/install-deps.sh")
    log = folder / f"{name}.log"
    handle = open(log, "wb")
    process = subprocess.Popen([exe, *argv[1:]], stdout=handle, stderr=subprocess.STDOUT, cwd=folder, start_new_session=True)
    handle.close()
    return Part(name, process, log)


ALERT_RULES = """
groups:
  - name: fathom-test
    interval: 1s
    rules:
      - alert: FathomTestHigh
        expr: fathom_test_value > 5
        labels: {severity: warning, team: sre}
        annotations: {summary: "fathom_test_value is {{ $value }} on {{ $labels.instance }}"}
      - alert: FathomTestAlwaysFiring
        expr: vector(1)
        labels: {severity: info}
        annotations: {summary: "always firing, for tests"}
      - record: fathom:node_cpu:rate1m
        expr: sum by (mode) (rate(node_cpu_seconds_total[1m]))
"""


@dataclass
class ObservabilityStack:
    """node-exporter (textfile collector) → Prometheus (1 s scrape, test rules) → Alertmanager."""

    folder: Path
    prometheus_port: int = 0
    alertmanager_port: int = 0
    node_port: int = 0
    webhook_url: str = ""
    parts: list[Part] = field(default_factory=list)

    @property
    def prometheus_url(self) -> str:
        return f"http://127.0.0.1:{self.prometheus_port}"

    @property
    def alertmanager_url(self) -> str:
        return f"http://127.0.0.1:{self.alertmanager_port}"

    @property
    def textfile(self) -> Path:
        return self.folder / "textfile"

    def set_metric(self, text: str, name: str = "fathom_test.prom") -> None:
        """Writes node-exporter textfile lines (`name{labels} value`), atomically."""
        tmp = self.textfile / f".{name}.tmp"
        tmp.write_text(text if text.endswith("\n") else text + "\n")
        os.replace(tmp, self.textfile / name)

    def start(self) -> "ObservabilityStack":
        self.folder.mkdir(parents=True, exist_ok=True)
        self.textfile.mkdir(exist_ok=True)
        self.prometheus_port, self.alertmanager_port, self.node_port = free_port(), free_port(), free_port()
        self.set_metric("fathom_test_value 1")
        receiver = (
            f"receivers:\n  - name: hook\n    webhook_configs:\n      - url: {self.webhook_url}\n        send_resolved: true\n"
            if self.webhook_url
            else "receivers:\n  - name: hook\n"
        )
        (self.folder / "alertmanager.yml").write_text(
            "route:\n  receiver: hook\n  group_by: [alertname]\n  group_wait: 0s\n  group_interval: 1s\n  repeat_interval: 1h\n"
            + receiver
        )
        (self.folder / "rules.yml").write_text(ALERT_RULES)
        (self.folder / "prometheus.yml").write_text(
            f"""global: {{scrape_interval: 1s, evaluation_interval: 1s, external_labels: {{cluster: test}}}}
rule_files: [rules.yml]
alerting:
  alertmanagers:
    - static_configs: [{{targets: ['127.0.0.1:{self.alertmanager_port}']}}]
scrape_configs:
  - job_name: prometheus
    static_configs: [{{targets: ['127.0.0.1:{self.prometheus_port}']}}]
  - job_name: node
    static_configs: [{{targets: ['127.0.0.1:{self.node_port}']}}]
  - job_name: missing
    static_configs: [{{targets: ['127.0.0.1:{free_port()}']}}]
"""
        )
        try:
            self.parts.append(start("node-exporter", [
                "prometheus-node-exporter", f"--web.listen-address=127.0.0.1:{self.node_port}",
                f"--collector.textfile.directory={self.textfile}", "--no-collector.systemd",
            ], self.folder))
            self.parts.append(start("alertmanager", [
                "prometheus-alertmanager", f"--config.file={self.folder}/alertmanager.yml",
                f"--storage.path={self.folder}/am-data", f"--web.listen-address=127.0.0.1:{self.alertmanager_port}",
                "--cluster.listen-address=",
            ], self.folder))
            self.parts.append(start("prometheus", [
                "prometheus", f"--config.file={self.folder}/prometheus.yml", f"--storage.tsdb.path={self.folder}/data",
                f"--web.listen-address=127.0.0.1:{self.prometheus_port}", "--web.enable-lifecycle",
                "--rules.alert.resend-delay=1s",
            ], self.folder))
            wait_for(lambda: http_ok(f"http://127.0.0.1:{self.node_port}/metrics"), 30, "node-exporter")
            wait_for(lambda: http_ok(f"{self.alertmanager_url}/-/ready"), 30, "alertmanager")
            wait_for(lambda: http_ok(f"{self.prometheus_url}/-/ready"), 30, "prometheus")
            # Targets are discovered about 5 s after start; wait until all three have been scraped once.
            wait_for(self._all_scraped, 60, "prometheus scraping its three targets", interval=0.2)
        except BaseException:
            self.stop()
            raise
        return self

    def _all_scraped(self) -> bool:
        return len(self.query("up")) == 3 and bool(self.query("fathom_test_value"))

    def query(self, promql: str) -> list[dict[str, Any]]:
        url = f"{self.prometheus_url}/api/v1/query?" + urllib.parse.urlencode({"query": promql})
        return http_json(url)["data"]["result"]

    def stop(self) -> None:
        for part in reversed(self.parts):
            part.stop()
        self.parts.clear()


@dataclass
class PostgresServer:
    """PostgreSQL 15 in a temporary cluster, trust auth on loopback, run as the postgres user."""

    folder: Path
    port: int = 0

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _as_postgres(self, argv: list[str], check: bool = True) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            argv = ["su", "postgres", "-c", " ".join(_quote(a) for a in argv)]
        return subprocess.run(argv, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> "PostgresServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            os.chmod(self.folder, 0o755)
            parent = self.folder.parent
            # su postgres must be able to reach the folder.
            while parent != parent.parent:
                os.chmod(parent, os.stat(parent).st_mode | 0o011)
                parent = parent.parent
        self.port = self.port or free_port()
        if not self.data.exists():
            self._as_postgres([str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                               "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"])
        self.resume()
        return self

    def resume(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"), "-w",
                           "-o", options, "start"])

    def stop(self, mode: str = "fast") -> None:
        if self.data.exists():
            self._as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-w", "-m", mode, "stop"], check=False)

    def restart(self) -> None:
        self.stop("immediate")
        self.resume()

    def psql(self, sql: str, database: str = "postgres") -> str:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1",
             "-At", "-c", sql],
            capture_output=True, text=True, timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed: {result.stderr}")
        return result.stdout


@dataclass
class CertificateAuthority:
    """A certificate authority made with openssl at test time, a server certificate for 127.0.0.1, and a client one."""

    folder: Path

    def path(self, name: str) -> Path:
        return self.folder / name

    def make(self) -> "CertificateAuthority":
        self.folder.mkdir(parents=True, exist_ok=True)

        def run(*argv: str) -> None:
            subprocess.run(["openssl", *argv], cwd=self.folder, check=True, capture_output=True, timeout=60)

        run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=fathom-test-ca", "-keyout", "ca.key", "-out", "ca.crt")
        (self.folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        (self.folder / "client.ext").write_text("extendedKeyUsage=clientAuth\n")
        for name, ext in (("server", "san.ext"), ("client", "client.ext")):
            run("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", f"/CN=fathom-test-{name}",
                "-keyout", f"{name}.key", "-out", f"{name}.csr")
            run("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", ext, "-out", f"{name}.crt")
        # A second CA that signed nothing here: trusting it must fail verification.
        run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=fathom-other-ca", "-keyout", "other-ca.key", "-out", "other-ca.crt")
        return self


@dataclass
class SecurePrometheus:
    """Prometheus behind its own web config: TLS with the test CA, client certificates required, basic auth."""

    folder: Path
    ca: CertificateAuthority
    username: str = "fathom"
    password: str = "s3cret-pass-for-tests"
    port: int = 0
    part: Part | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def start(self) -> "SecurePrometheus":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import crypt  # deprecated in 3.11 but present; Debian's libcrypt does bcrypt

        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        hashed = crypt.crypt(self.password, crypt.mksalt(crypt.METHOD_BLOWFISH))
        (self.folder / "web.yml").write_text(
            f"""tls_server_config:
  cert_file: {self.ca.path('server.crt')}
  key_file: {self.ca.path('server.key')}
  client_auth_type: RequireAndVerifyClientCert
  client_ca_file: {self.ca.path('ca.crt')}
basic_auth_users:
  {self.username}: {hashed}
"""
        )
        (self.folder / "prometheus.yml").write_text("global: {evaluation_interval: 1s}\n")
        self.part = start("prometheus-secure", [
            "prometheus", f"--config.file={self.folder}/prometheus.yml", f"--storage.tsdb.path={self.folder}/data",
            f"--web.listen-address=127.0.0.1:{self.port}", f"--web.config.file={self.folder}/web.yml",
        ], self.folder)
        wait_for(lambda: _tls_ready(self.port), 30, "secure prometheus")
        return self

    def stop(self) -> None:
        if self.part:
            self.part.stop()


def _tls_ready(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def _quote(arg: str) -> str:
    import shlex

    return shlex.quote(arg)



def read_ready_line(process: subprocess.Popen, word: str, timeout: float, what: str) -> int:
    """Waits (bounded) for the `WORD <port>` line a fixture prints on stdout when it listens; returns the port."""
    import select

    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = b""
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None and not select.select([process.stdout], [], [], 0)[0]:
            break
        if select.select([process.stdout], [], [], min(left, 0.2))[0]:
            byte = os.read(process.stdout.fileno(), 1)  # unbuffered: select() sees the rest
            if not byte:
                break
            line += byte
    text = line.decode(errors="replace").strip()
    if not text.startswith(word + " "):
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        raise RuntimeError(f"{what} did not start within {timeout}s: {text!r}")
    return int(text.split()[1])


def start_fixture_script(script: str, flags: list[str], folder: Path, ready: str = "READY",
                         timeout: float = 60) -> tuple[subprocess.Popen, int]:
    """Starts fixtures/SCRIPT --port 0 and reads the `READY <port>` line (or `<ready> <port>`) it prints
    when listening; its stderr goes to FOLDER/<script>.log."""
    import sys

    folder.mkdir(parents=True, exist_ok=True)
    log = open(folder / f"{Path(script).stem}.log", "wb")
    process = subprocess.Popen([sys.executable, str(Path(__file__).parent / "fixtures" / script), "--port", "0", *flags],
                               stdout=subprocess.PIPE, stderr=log, start_new_session=True)
    log.close()
    return process, read_ready_line(process, ready, timeout, script)


@dataclass
class LokiTempoFixture:
    """Tests/interop/fixtures/loki_tempo_server.py: the documented Loki 3.x and Tempo 2.x HTTP APIs
    over fixed data (neither server can be installed here; see REAL-PARTS.md)."""

    folder: Path
    flags: list[str] = field(default_factory=list)
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "LokiTempoFixture":
        self.process, self.port = start_fixture_script("loki_tempo_server.py", self.flags, self.folder)
        return self

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class KubeFixture:
    """Tests/interop/fixtures/kube_api_server.py: a Kubernetes API server for tests (none can run here;
    see REAL-PARTS.md), judged by the preinstalled kubectl."""

    folder: Path
    flags: list[str] = field(default_factory=list)
    tls: bool = False
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> "KubeFixture":
        self.process, self.port = start_fixture_script("kube_api_server.py", self.flags, self.folder)
        return self

    def kubectl(self, *args: str, extra: list[str] | None = None, check: bool = True) -> subprocess.CompletedProcess:
        """kubectl with its own cache folder, so discovery is read from this server every time."""
        argv = ["kubectl", f"--server={self.url}", f"--cache-dir={self.folder / 'kubectl-cache'}", *(extra or []), *args]
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.folder), "KUBECONFIG": str(self.folder / "none")}
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
        if check and result.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        return result

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@dataclass
class LlamaServer(Part):
    """Tests/interop/fixtures/llama_server.py: the real llama.cpp server (xllamacpp) with SmolLM2-135M-Instruct."""

    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as base URL."""
        return f"{self.url}/v1"


def start_llama_server(tmp_dir: Path, ctx: int = 4096, timeout: float = 120) -> LlamaServer:
    """Starts the real llama.cpp server on a free port and waits (bounded) until /health answers.
    Loading takes about 1 s; llama.cpp's log is in TMP_DIR/llama-server.log."""
    import sys

    tmp_dir.mkdir(parents=True, exist_ok=True)
    log = tmp_dir / "llama-server.log"
    handle = open(log, "wb")
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    process = subprocess.Popen(
        [sys.executable, str(Path(__file__).parent / "fixtures" / "llama_server.py"), "--port", "0", "--ctx", str(ctx)],
        stdout=subprocess.PIPE, stderr=handle, cwd=tmp_dir, env=env, start_new_session=True,
    )
    handle.close()
    try:
        port = read_ready_line(process, "PORT", timeout, "llama_server.py")
    except RuntimeError as exc:
        raise RuntimeError(f"{exc}\n{log.read_text(errors='replace')[-3000:]}") from None
    return LlamaServer("llama-server", process, log, port)


@dataclass
class ScriptedLLM:
    """Tests/interop/fixtures/scripted_llm_server.py: an OpenAI-compatible server that replays a script
    (see that file for the script format), for deterministic agent tests."""

    folder: Path
    flavor: str = "plain"
    context: int = 8192
    script: dict | None = None
    api_key: str | None = None
    model: str = "scripted-model"
    port: int = 0
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as base URL."""
        return f"{self.url}/v1"

    def start(self) -> "ScriptedLLM":
        self.folder.mkdir(parents=True, exist_ok=True)
        flags = ["--flavor", self.flavor, "--context", str(self.context), "--model", self.model]
        if self.script is not None:
            path = self.folder / "script.json"
            path.write_text(json.dumps(self.script))
            flags += ["--script", str(path)]
        if self.api_key:
            flags += ["--api-key", self.api_key]
        self.process, self.port = start_fixture_script("scripted_llm_server.py", flags, self.folder, ready="PORT")
        return self

    def set_script(self, script: dict) -> None:
        """Replaces the script and clears the request log."""
        http_json(f"{self.url}/_script", "POST", script)

    def requests(self) -> list[dict[str, Any]]:
        """Every chat request since the last set_script: [{"body", "authorization", "path"}]."""
        return http_json(f"{self.url}/_requests")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start_scripted_llm(tmp_dir: Path, flavor: str = "plain", context: int = 8192, script: dict | None = None,
                       api_key: str | None = None, model: str = "scripted-model") -> ScriptedLLM:
    return ScriptedLLM(tmp_dir, flavor, context, script, api_key, model).start()
