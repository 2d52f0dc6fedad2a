"""The cluster tools against the fixture Kubernetes API server (fixtures/kube_api_server.py, over the
scenario in fixtures/kube/default), through the official MCP SDK. No kube-apiserver can run here;
the fixture is judged by the real kubectl in test_kube_fixture.py, and kubectl is used here too: to
check each kubeconfig before Fathom reads it, to say what STATUS and rollout status should read,
and to see what a write really changed. Expected values come from the scenario files.

Assumptions where the spec (cluster toolset) leaves room; adjust the Swift or the test:
- `tools/cluster.yaml` is the toolset file (section `cluster`), like the other toolsets.
- Tool errors are results with isError; the pod table's text has one line per pod, so the line that
  names a pod holds its STATUS, and pods_list's structuredContent is as specified (items, continue).
- pods_list's `ready` and `restarts` read as kubectl's READY column and RESTARTS count.
- A `tokenFile` may end in a newline, which is not part of the token (client-go trims it).
- Relative `client-certificate`/`client-key` paths in a kubeconfig are relative to the kubeconfig's
  folder (client-go's rule).
- An exec plugin's credential with an expirationTimestamp in the future is reused: two calls, one run.
  A failing plugin's error names the plugin (its file name) and quotes what it wrote to stderr.
  KUBERNETES_EXEC_INFO is what client-go sends: kind ExecCredential, the plugin's apiVersion, and
  spec.interactive false (Fathom has no terminal to lend the plugin).
- In-cluster: the token is read again when the file changes (kubelet swaps the `..data` symlink), so
  the call after a rotation uses the new token without restarting Fathom. The swap comes well within
  a second of the first read, so a whole-second mtime check would miss it. A namespaced tool given
  no namespace uses the ServiceAccount's namespace.
- Kubeconfigs carry what real ones do: `preferences: {}`, `interactiveMode: Never` on a v1 exec
  plugin (client-go requires it), an empty `user: {}` for anonymous access.
- A `cluster` that names no configured cluster is a tool error that names it and lists the clusters.
- A TLS failure with an untrusted CA says "certificate" and names the CA (its file, the
  `certificate-authority` field, or "CA"). A 401 says 401 or Unauthorized and never shows the token.
- pods_log: the first line is the header (pod, container, number of lines); "contains" is
  case-insensitive; `level: "error"` keeps ERROR and FATAL lines; a capped result says "truncated".
- nodes_list shows requested CPU in millicores as kubectl describe does ("600m").
- cluster_health counts as failing a pod that is not ready or was restarted after a failure
  (payment: Running, but its last state is OOMKilled); healthy pods are not listed.
- events_list: one line per event, holding its message (start) and count.
- Elicitation: Fathom asks with a form whose schema has a boolean field (accept → answer true); the
  message names the pod and the tool (its name or the word "delete"); a declined request is a tool
  error saying "declined". A client without the elicitation capability is not asked.
- A malformed kubeconfig is a config error: `fathom mcp` exits 78 (as for other config errors) and
  `fathom doctor` exits 1; both say the kubeconfig path and the field.
- `fathom doctor` names each cluster, its server's gitVersion and the access review (which mentions
  secrets, denied in kube-system by the scenario).
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest

from conftest import Approver, Workspace, everything_of, open_session, text_of, write_tools_config
from realparts import CertificateAuthority, KubeFixture, http_json

pytestmark = pytest.mark.anyio

SCENARIO = Path(__file__).resolve().parent / "fixtures" / "kube" / "default"
CRASHING = "checkout-7d9f8b6c5-x2x7q"
OOM = "payment-5c6d7e8f9-abcde"
PULL = "images-6b7c8d9e0-fghij"
TOKEN = "fathom-fixture-token-6f1c2e9a7b"
READ_TOKEN = "read-only-token-4d8e1b7c3a"
WRITE_TOOLS = ["workloads_scale", "workloads_restart", "pods_delete", "nodes_cordon"]


def scenario(resource: str) -> list[dict[str, Any]]:
    return json.loads((SCENARIO / f"{resource}.json").read_text())


def named(resource: str, name: str) -> dict[str, Any]:
    return next(o for o in scenario(resource) if o["metadata"]["name"] == name)


ALL_PODS = {(p["metadata"]["namespace"], p["metadata"]["name"]) for p in scenario("pods")}
SHOP_PODS = {name for ns, name in ALL_PODS if ns == "shop"}


def log_messages(pod: str, container: str, previous: bool = False) -> list[str]:
    """The scenario's log lines without their leading timestamp, as the API server returns them."""
    path = SCENARIO / "logs" / "shop" / pod / f"{container}{'.previous' if previous else ''}.log"
    return [line.partition(" ")[2] for line in path.read_text().splitlines()]


def millicores(quantity: str) -> int:
    return int(quantity[:-1]) if quantity.endswith("m") else int(float(quantity) * 1000)


# --- kubeconfig and config files ------------------------------------------------------------


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(value) if isinstance(value, str) else str(value)


def yaml_lines(value: Any, indent: str = "") -> list[str]:
    """Block-style YAML (strings double-quoted), the way a kubeconfig looks."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{indent}{key}:")
                lines += yaml_lines(item, indent + "  ")
            else:
                lines.append(f"{indent}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, (dict, list)) and item:
                sub = yaml_lines(item, indent + "  ")
                lines.append(f"{indent}- {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{indent}- {_scalar(item)}")
    return lines


def write_kubeconfig(path: Path, server: str, user: dict[str, Any], cluster: dict[str, Any] | None = None,
                     namespace: str | None = None, name: str = "fixture") -> Path:
    context: dict[str, Any] = {"cluster": name, "user": f"{name}-user"}
    if namespace:
        context["namespace"] = namespace
    doc = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": name, "cluster": {"server": server, **(cluster or {})}}],
        "users": [{"name": f"{name}-user", "user": user}],
        "contexts": [{"name": name, "context": context}],
        "current-context": name,
        "preferences": {},
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(yaml_lines(doc)) + "\n")
    return path


def use_cluster(ws: Workspace, kubeconfig: Path, name: str = "fixture", extra: str = "") -> None:
    """tools/cluster.yaml with one cluster from a kubeconfig; `extra` is more top-level YAML."""
    write_tools_config(ws, "cluster", f"clusters:\n  - name: {name}\n    kubeconfig: {kubeconfig}\n{extra}")


def allow_writes(ws: Workspace) -> None:
    (ws.project / "fathom.yaml").write_text(f"policy:\n  read_only: false\n  allow: [{', '.join(WRITE_TOOLS)}]\n")


def kubectl_with(kubeconfig: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """The real kubectl reading a kubeconfig: it must accept what Fathom is given."""
    home = kubeconfig.parent
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home)}
    result = subprocess.run(["kubectl", f"--kubeconfig={kubeconfig}", f"--cache-dir={home / 'kubectl-cache'}", *args],
                            capture_output=True, text=True, timeout=60, env=env, stdin=subprocess.DEVNULL)
    if check:
        assert result.returncode == 0, f"kubectl {' '.join(args)} with {kubeconfig}: {result.stderr}"
    return result


def server_error(result: subprocess.CompletedProcess) -> str:
    """The API server's Status message, from kubectl's `Error from server (Reason): message`."""
    line = next(l for l in result.stderr.splitlines() if l.startswith("Error from server"))
    return line.split("): ", 1)[1]


def b64file(path: Path) -> str:
    return base64.b64encode(path.read_bytes()).decode()


def run_fathom(fathom_bin: Path, ws: Workspace, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(fathom_bin), *args], env=ws.env(**env), cwd=ws.project, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL)


def assert_lists_shop_pods(result: types.CallToolResult) -> None:
    text = text_of(result)
    for name in SHOP_PODS:
        assert name in text, f"{name} missing from:\n{text}"
    row = next(line for line in text.splitlines() if CRASHING in line)
    assert "CrashLoopBackOff" in row, row
    items = {item["name"]: item for item in result.structured_content["items"]}
    assert set(items) == SHOP_PODS
    assert items[CRASHING]["status"] == "CrashLoopBackOff" and items[CRASHING]["namespace"] == "shop"


# --- real parts -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def kube(tmp_path_factory: pytest.TempPathFactory):
    """Plain HTTP, anonymous, only read from: shared by the read tests."""
    fixture = KubeFixture(tmp_path_factory.mktemp("kube-read")).start()
    yield fixture
    fixture.stop()


@pytest.fixture(scope="module")
def secure_kube(tmp_path_factory: pytest.TempPathFactory, test_ca: CertificateAuthority):
    """HTTPS with the test CA's certificate for 127.0.0.1; a bearer token or a client certificate signed by the CA."""
    flags = ["--tls-cert", str(test_ca.path("server.crt")), "--tls-key", str(test_ca.path("server.key")),
             "--token", TOKEN, "--client-ca", str(test_ca.path("ca.crt"))]
    fixture = KubeFixture(tmp_path_factory.mktemp("kube-secure"), flags, tls=True).start()
    yield fixture
    fixture.stop()


@pytest.fixture
def kube_rw(tmp_path: Path):
    """A fresh fixture for each write test, so writes never reach the shared one."""
    fixture = KubeFixture(tmp_path / "kube-rw").start()
    yield fixture
    fixture.stop()


@pytest.fixture
def read_config(ws: Workspace, kube: KubeFixture, tmp_path: Path):
    """Points Fathom at the read fixture (with a token the fixture does not need, for leak checks);
    call it with extra top-level YAML, e.g. `denied_resources: []`."""
    kubeconfig = write_kubeconfig(tmp_path / "kube" / "config", kube.url, {"token": READ_TOKEN})

    def write(extra: str = "") -> Path:
        use_cluster(ws, kubeconfig, extra=extra)
        return kubeconfig

    write()
    return write


# --- 1. authentication ----------------------------------------------------------------------


def auth_mode(mode: str, ca: CertificateAuthority, folder: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(cluster fields, user) of a kubeconfig for each way of reaching the HTTPS fixture."""
    folder.mkdir(parents=True, exist_ok=True)
    if mode == "token+certificate-authority":
        return {"certificate-authority": str(ca.path("ca.crt"))}, {"token": TOKEN}
    if mode == "tokenFile+certificate-authority-data":
        (folder / "token").write_text(TOKEN + "\n")
        return {"certificate-authority-data": b64file(ca.path("ca.crt"))}, {"tokenFile": str(folder / "token")}
    if mode == "client-certificate-data":
        return ({"certificate-authority-data": b64file(ca.path("ca.crt"))},
                {"client-certificate-data": b64file(ca.path("client.crt")), "client-key-data": b64file(ca.path("client.key"))})
    if mode == "client-certificate-files":
        for name in ("client.crt", "client.key"):
            shutil.copy(ca.path(name), folder / name)
        # Relative to the kubeconfig's folder, as client-go resolves them.
        return {"certificate-authority": str(ca.path("ca.crt"))}, {"client-certificate": "client.crt", "client-key": "client.key"}
    if mode == "insecure-skip-tls-verify":
        return {"insecure-skip-tls-verify": True}, {"token": TOKEN}
    raise ValueError(mode)


AUTH_MODES = ["token+certificate-authority", "tokenFile+certificate-authority-data", "client-certificate-data",
              "client-certificate-files", "insecure-skip-tls-verify"]


@pytest.mark.parametrize("mode", AUTH_MODES)
async def test_each_kubeconfig_auth_mode_lists_the_shop_pods(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                                            test_ca: CertificateAuthority, tmp_path: Path, mode: str):
    folder = tmp_path / "kube"
    cluster, user = auth_mode(mode, test_ca, folder)
    kubeconfig = write_kubeconfig(folder / "config", secure_kube.url, user, cluster)
    assert CRASHING in kubectl_with(kubeconfig, "get", "pods", "-n", "shop").stdout
    use_cluster(ws, kubeconfig)
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call_ok("pods_list", {"namespace": "shop"})
    assert_lists_shop_pods(result)


async def test_an_untrusted_ca_is_a_tls_error_naming_the_ca(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                                           test_ca: CertificateAuthority, tmp_path: Path):
    kubeconfig = write_kubeconfig(tmp_path / "kube" / "config", secure_kube.url, {"token": TOKEN},
                                  {"certificate-authority": str(test_ca.path("other-ca.crt"))})
    assert kubectl_with(kubeconfig, "get", "pods", "-n", "shop", check=False).returncode != 0
    use_cluster(ws, kubeconfig)
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call("pods_list", {"namespace": "shop"})
    message = text_of(result)
    assert result.is_error, message
    assert "certificate" in message.lower(), message
    assert "other-ca.crt" in message or "certificate-authority" in message or "CA" in message, message
    assert CRASHING not in message


async def test_a_wrong_token_is_a_401_that_does_not_show_the_token(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                                                  test_ca: CertificateAuthority, tmp_path: Path):
    wrong = "wrong-token-93c1d7e2b8a4"
    kubeconfig = write_kubeconfig(tmp_path / "kube" / "config", secure_kube.url, {"token": wrong},
                                  {"certificate-authority": str(test_ca.path("ca.crt"))})
    refused = kubectl_with(kubeconfig, "get", "pods", "-n", "shop", check=False)
    assert refused.returncode != 0 and "provide credentials" in refused.stderr, refused.stderr  # client-go's words for a 401
    use_cluster(ws, kubeconfig)
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call("pods_list", {"namespace": "shop"})
    message = text_of(result)
    assert result.is_error, message
    assert "401" in message or "unauthorized" in message.lower(), message
    assert wrong not in everything_of(result) and TOKEN not in everything_of(result)


EXEC_PLUGIN = """#!@PYTHON@
# A kubectl credential plugin (client.authentication.k8s.io/v1): records how it was run, prints a token.
import datetime, json, os, sys
with open(@RECORD@, "a") as record:
    record.write(json.dumps({"argv": sys.argv[1:], "exec_info": os.environ.get("KUBERNETES_EXEC_INFO"),
                             "profile": os.environ.get("CREDENTIAL_PROFILE")}) + "\\n")
expires = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
print(json.dumps({"apiVersion": "client.authentication.k8s.io/v1", "kind": "ExecCredential",
                  "status": {"token": @TOKEN@, "expirationTimestamp": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}}))
"""

EXPIRED_PLUGIN = """#!@PYTHON@
import sys
sys.stderr.write("error: SSO session for profile fixture-profile has expired; run corp-sso login\\n")
sys.exit(1)
"""


def write_plugin(path: Path, template: str, record: Path | None = None) -> Path:
    text = template.replace("@PYTHON@", sys.executable).replace("@TOKEN@", json.dumps(TOKEN))
    path.write_text(text.replace("@RECORD@", json.dumps(str(record))))
    path.chmod(0o755)
    return path


def exec_user(plugin: Path) -> dict[str, Any]:
    return {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                     "args": ["get-token", "--cluster", "fixture"],
                     "env": [{"name": "CREDENTIAL_PROFILE", "value": "fixture-profile"}],
                     "interactiveMode": "Never"}}


async def test_exec_plugin_credentials(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                       test_ca: CertificateAuthority, tmp_path: Path):
    folder = tmp_path / "kube"
    folder.mkdir()
    record = folder / "plugin-runs.jsonl"
    plugin = write_plugin(folder / "kube-token-helper", EXEC_PLUGIN, record)
    kubeconfig = write_kubeconfig(folder / "config", secure_kube.url, exec_user(plugin),
                                  {"certificate-authority": str(test_ca.path("ca.crt"))})
    assert CRASHING in kubectl_with(kubeconfig, "get", "pods", "-n", "shop").stdout
    kubectl_info = json.loads(json.loads(record.read_text().splitlines()[0])["exec_info"])
    record.unlink()

    use_cluster(ws, kubeconfig)
    async with open_session(fathom_bin, ws) as conn:
        assert_lists_shop_pods(await conn.call_ok("pods_list", {"namespace": "shop"}))
        await conn.call_ok("pods_get", {"name": CRASHING, "namespace": "shop"})
    runs = [json.loads(line) for line in record.read_text().splitlines()]
    assert len(runs) == 1, f"a credential valid for an hour is reused; the plugin ran {len(runs)} times"
    assert runs[0]["argv"] == ["get-token", "--cluster", "fixture"]
    assert runs[0]["profile"] == "fixture-profile"
    assert runs[0]["exec_info"], "the plugin got no KUBERNETES_EXEC_INFO"
    info = json.loads(runs[0]["exec_info"])
    assert info["kind"] == kubectl_info["kind"] == "ExecCredential"
    assert info["apiVersion"] == kubectl_info["apiVersion"] == "client.authentication.k8s.io/v1"
    assert info.get("spec", {}).get("interactive") is False, info


async def test_a_failing_exec_plugin_is_a_tool_error_quoting_its_stderr(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                                                       test_ca: CertificateAuthority, tmp_path: Path):
    folder = tmp_path / "kube"
    folder.mkdir()
    plugin = write_plugin(folder / "kube-token-helper-expired", EXPIRED_PLUGIN)
    kubeconfig = write_kubeconfig(folder / "config", secure_kube.url, exec_user(plugin),
                                  {"certificate-authority": str(test_ca.path("ca.crt"))})
    assert "SSO session" in kubectl_with(kubeconfig, "get", "pods", "-n", "shop", check=False).stderr
    use_cluster(ws, kubeconfig)
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("pods_list", {"namespace": "shop"})
        await conn.alive()
    assert "kube-token-helper-expired" in message, message
    assert "SSO session for profile fixture-profile has expired" in message, message


def write_service_account(folder: Path, token: str, ca: Path, namespace: str) -> None:
    """kubelet's projected volume: token, ca.crt and namespace are symlinks into `..data`, which is
    swapped atomically to a fresh timestamped folder when the token rotates."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / f"..{uuid.uuid4().hex}"
    stamp.mkdir()
    (stamp / "token").write_text(token)
    (stamp / "ca.crt").write_bytes(ca.read_bytes())
    (stamp / "namespace").write_text(namespace)
    old = os.readlink(folder / "..data") if (folder / "..data").is_symlink() else None
    os.symlink(stamp.name, folder / "..data_tmp")
    os.replace(folder / "..data_tmp", folder / "..data")
    for name in ("token", "ca.crt", "namespace"):
        if not (folder / name).is_symlink():
            os.symlink(f"..data/{name}", folder / name)
    if old:
        shutil.rmtree(folder / old)


async def test_in_cluster_service_account_with_token_rotation(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                                              test_ca: CertificateAuthority, tmp_path: Path):
    sa = tmp_path / "serviceaccount"
    stale = "stale-token-5e0a9c3f1d"
    write_service_account(sa, stale, test_ca.path("ca.crt"), "shop")
    write_tools_config(ws, "cluster", f"clusters:\n  - name: incluster\n    in_cluster: true\n    service_account_dir: {sa}\n")
    env = ws.env(KUBERNETES_SERVICE_HOST="127.0.0.1", KUBERNETES_SERVICE_PORT=str(secure_kube.port))
    async with open_session(fathom_bin, ws, env=env) as conn:
        refused = await conn.call("pods_list", {"namespace": "shop"})
        message = text_of(refused)
        assert refused.is_error, message
        assert "401" in message or "unauthorized" in message.lower(), message
        assert stale not in everything_of(refused)

        write_service_account(sa, TOKEN, test_ca.path("ca.crt"), "shop")
        assert_lists_shop_pods(await conn.call_ok("pods_list", {"namespace": "shop"}))
        # No namespace: the ServiceAccount's.
        described = text_of(await conn.call_ok("pods_get", {"name": CRASHING}))
        assert CRASHING in described and "CrashLoopBackOff" in described, described
        listed = text_of(await conn.call_ok("clusters_list", {}))
        assert "incluster" in listed and f"127.0.0.1:{secure_kube.port}" in listed, listed
        assert TOKEN not in listed


async def test_clusters_list_shows_every_cluster_and_no_credentials(fathom_bin: Path, ws: Workspace, secure_kube: KubeFixture,
                                                                    test_ca: CertificateAuthority, tmp_path: Path):
    entries = []
    secrets = [TOKEN, b64file(test_ca.path("client.key")), test_ca.path("client.key").read_text().splitlines()[1]]
    for i, mode in enumerate(AUTH_MODES):
        folder = tmp_path / f"kube-{i}"
        cluster, user = auth_mode(mode, test_ca, folder)
        kubeconfig = write_kubeconfig(folder / "config", secure_kube.url, user, cluster)
        entries.append(f"  - name: c{i}\n    kubeconfig: {kubeconfig}\n")
    write_tools_config(ws, "cluster", "clusters:\n" + "".join(entries))
    async with open_session(fathom_bin, ws) as conn:
        listed = await conn.call_ok("clusters_list", {})
        for i in range(len(AUTH_MODES)):
            assert_lists_shop_pods(await conn.call_ok("pods_list", {"namespace": "shop", "cluster": f"c{i}"}))
        unknown = await conn.call_err("pods_list", {"namespace": "shop", "cluster": "nope"})
    text = text_of(listed)
    for i in range(len(AUTH_MODES)):
        assert f"c{i}" in text, text
    assert secure_kube.url in text
    dump = everything_of(listed)
    for secret in secrets:
        assert secret not in dump
    assert "nope" in unknown and "c0" in unknown, unknown


# --- 2. reading -----------------------------------------------------------------------------


def kubectl_pod_rows(kube: KubeFixture) -> dict[tuple[str, str], list[str]]:
    """(namespace, name) -> [READY, STATUS, RESTARTS] as kubectl get pods -A prints them."""
    rows = {}
    for line in kube.kubectl("get", "pods", "-A", "--no-headers").stdout.splitlines():
        ns, name, ready, status, restarts = line.split()[:5]
        rows[(ns, name)] = [ready, status, restarts]
    return rows


async def test_pods_list_all_namespaces_matches_kubectl(fathom_bin: Path, ws: Workspace, kube: KubeFixture, read_config):
    expected = kubectl_pod_rows(kube)
    assert set(expected) == ALL_PODS
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call_ok("pods_list", {})
        namespaces = await conn.call_ok("namespaces_list", {})
    text = text_of(result)
    header = ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "NODE"]
    assert any(line.split()[:7] == header for line in text.splitlines()), text
    items = {(i["namespace"], i["name"]): i for i in result.structured_content["items"]}
    assert set(items) == ALL_PODS and ("kube-system", "coredns-668d6bf9bc-7lqzp") in items
    assert "continue" not in result.structured_content or not result.structured_content["continue"]
    nodes = {(p["metadata"]["namespace"], p["metadata"]["name"]): p["spec"].get("nodeName") for p in scenario("pods")}
    for key, (ready, status, restarts) in expected.items():
        item = items[key]
        assert (item["status"], item["ready"]) == (status, ready), (key, item)
        assert str(item["restarts"]).split()[0] == restarts, (key, item)
        assert item["node"] == nodes[key]
    for ns in scenario("namespaces"):
        assert ns["metadata"]["name"] in text_of(namespaces)


async def test_pods_list_selectors(fathom_bin: Path, ws: Workspace, read_config):
    pods = scenario("pods")
    checkout = {p["metadata"]["name"] for p in pods if p["metadata"].get("labels", {}).get("app") == "checkout"}
    on_worker1 = {(p["metadata"]["namespace"], p["metadata"]["name"]) for p in pods if p["spec"].get("nodeName") == "worker-1"}
    assert len(checkout) == 3
    async with open_session(fathom_bin, ws) as conn:
        by_label = await conn.call_ok("pods_list", {"namespace": "shop", "label_selector": "app=checkout"})
        by_field = await conn.call_ok("pods_list", {"field_selector": "spec.nodeName=worker-1"})
    assert {i["name"] for i in by_label.structured_content["items"]} == checkout
    assert "payment" not in text_of(by_label) and "frontend" not in text_of(by_label)
    assert {(i["namespace"], i["name"]) for i in by_field.structured_content["items"]} == on_worker1


async def test_pods_list_pages_with_continue(fathom_bin: Path, ws: Workspace, read_config):
    seen: list[tuple[str, str]] = []
    arguments: dict[str, Any] = {"limit": 5}
    pages = 0
    async with open_session(fathom_bin, ws) as conn:
        while True:
            page = await conn.call_ok("pods_list", arguments)
            data = page.structured_content
            assert len(data["items"]) <= 5
            seen += [(i["namespace"], i["name"]) for i in data["items"]]
            pages += 1
            token = data.get("continue")
            if not token:
                break
            assert token in text_of(page), "the text must carry the continue token too"
            arguments = {"limit": 5, "continue": token}
            assert pages < 10
    assert pages == math.ceil(len(ALL_PODS) / 5)
    assert len(seen) == len(set(seen)) and set(seen) == ALL_PODS


async def test_pods_get_describes_the_oomkilled_pod_with_its_events(fathom_bin: Path, ws: Workspace, read_config):
    pod = named("pods", OOM)
    last = pod["status"]["containerStatuses"][0]["lastState"]["terminated"]
    events = [e for e in scenario("events") if e["involvedObject"]["name"] == OOM]
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("pods_get", {"name": OOM, "namespace": "shop"}))
        missing = await conn.call_err("pods_get", {"name": "no-such-pod", "namespace": "shop"})
    assert last["reason"] == "OOMKilled" and last["reason"] in text, text
    assert str(last["exitCode"]) in text, text
    assert pod["spec"]["nodeName"] in text and pod["spec"]["containers"][0]["image"] in text
    assert pod["spec"]["containers"][0]["resources"]["limits"]["memory"] in text
    for event in events:
        assert event["reason"] in text and event["message"][:40] in text, text
    assert "not found" in missing and "no-such-pod" in missing, missing


async def test_pods_log_tail_previous_and_filters(fathom_bin: Path, ws: Workspace, read_config):
    current = log_messages(CRASHING, "checkout")
    previous = log_messages(CRASHING, "checkout", previous=True)
    pod = {"name": CRASHING, "namespace": "shop"}
    async with open_session(fathom_bin, ws) as conn:
        tail = text_of(await conn.call_ok("pods_log", {**pod, "tail_lines": 3}))
        before = text_of(await conn.call_ok("pods_log", {**pod, "previous": True}))
        gateway = text_of(await conn.call_ok("pods_log", {**pod, "contains": "gateway"}))
        errors = text_of(await conn.call_ok("pods_log", {**pod, "level": "error"}))
        capped = text_of(await conn.call_ok("pods_log", {**pod, "max_bytes": 256}))

    header = tail.splitlines()[0]
    assert CRASHING in header and "checkout" in header and re.search(r"\b3\b", header), header
    for message in current[-3:]:
        assert message in tail, tail
    for message in current[:-3]:
        assert message not in tail, tail

    assert re.search(rf"\b{len(previous)}\b", before.splitlines()[0]), before
    for message in previous:
        if "password" not in message:  # a log line with a password may be masked
            assert message in before, before
    for message in set(current) - set(previous):
        assert message not in before, before

    matching = [m for m in current if "gateway" in m]
    assert len(matching) == 4
    for message in current:
        assert (message in gateway) == (message in matching), (message, gateway)
    assert re.search(rf"\b{len(matching)}\b", gateway.splitlines()[0]), gateway

    for message in current:
        if "password" not in message:
            severe = message.startswith(("ERROR", "FATAL"))
            assert (message in errors) == severe, (message, errors)

    full = sum(len(m) + 1 for m in current)
    assert "truncated" in capped.lower(), capped
    assert len(capped.encode()) < full and len(capped.encode()) <= 256 + 400, capped
    assert not all(m in capped for m in current)


async def test_events_list_warnings_newest_first_and_by_object(fathom_bin: Path, ws: Workspace, read_config):
    events = scenario("events")
    warnings = sorted((e for e in events if e["type"] == "Warning"), key=lambda e: float(e["lastTimestamp"][1:-1]))
    normals = [e for e in events if e["type"] == "Normal"]
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("events_list", {"type": "Warning"}))
        by_object = text_of(await conn.call_ok("events_list", {"namespace": "shop", "object_name": OOM}))
    lines = text.splitlines()
    assert any("LAST SEEN" in line and "REASON" in line and "MESSAGE" in line for line in lines), text
    positions = []
    for event in warnings:
        row = next((i for i, line in enumerate(lines) if event["message"][:30] in line), None)
        assert row is not None, f"{event['reason']} missing:\n{text}"
        assert event["reason"] in lines[row], lines[row]
        if event["count"] > 1:
            assert re.search(rf"\b{event['count']}\b", lines[row]), f"count {event['count']} missing: {lines[row]}"
        positions.append(row)
    assert positions == sorted(positions), "events must be newest first"
    for event in normals:
        assert event["message"][:30] not in text, text
    assert "Normal" not in text

    oom = [e for e in events if e["involvedObject"]["name"] == OOM]
    for event in oom:
        assert event["message"][:30] in by_object, by_object
    for event in events:
        if event["involvedObject"]["name"] != OOM:
            assert event["message"][:30] not in by_object, by_object


async def test_workloads_list_and_rollout_status(fathom_bin: Path, ws: Workspace, kube: KubeFixture, read_config):
    deployments = [d for d in scenario("deployments") if d["metadata"]["namespace"] == "shop"]
    rollout = kube.kubectl("rollout", "status", "deployment/checkout", "-n", "shop", "--watch=false").stdout.strip()
    revisions = {r["metadata"]["name"]: r["metadata"]["annotations"]["deployment.kubernetes.io/revision"]
                 for r in scenario("replicasets")
                 if any(o["name"] == "checkout" for o in r["metadata"].get("ownerReferences", []))}
    assert rollout and len(revisions) == 3
    async with open_session(fathom_bin, ws) as conn:
        listed = text_of(await conn.call_ok("workloads_list", {"kind": "deployments", "namespace": "shop"}))
        checkout = text_of(await conn.call_ok("workloads_get", {"kind": "deployments", "name": "checkout", "namespace": "shop"}))
    for deployment in deployments:
        name = deployment["metadata"]["name"]
        row = next(line for line in listed.splitlines() if re.search(rf"\b{name}\b", line))
        ready = f"{deployment['status'].get('readyReplicas', 0)}/{deployment['spec']['replicas']}"
        assert ready in row, row
    assert "coredns" not in listed
    assert rollout in checkout, f"expected kubectl's words {rollout!r} in:\n{checkout}"
    lines = checkout.splitlines()
    for name, revision in revisions.items():
        assert any(name in line and re.search(rf"\b{revision}\b", line) for line in lines), (name, revision, checkout)
    assert named("deployments", "checkout")["spec"]["template"]["spec"]["containers"][0]["image"] in checkout


async def test_nodes_list_conditions_and_requests(fathom_bin: Path, ws: Workspace, read_config):
    requested = sum(millicores(c.get("resources", {}).get("requests", {}).get("cpu", "0"))
                    for p in scenario("pods") if p["spec"].get("nodeName") == "worker-1"
                    for c in p["spec"]["containers"])
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("nodes_list", {}))
        one = text_of(await conn.call_ok("nodes_list", {"name": "worker-2"}))
    worker2 = next(line for line in text.splitlines() if "worker-2" in line)
    assert "NotReady" in worker2, text
    assert "MemoryPressure" in text and "worker-1" in text
    assert f"{requested}m" in text, f"worker-1 requests {requested}m of CPU:\n{text}"
    assert "worker-2" in one and "worker-1" not in one and "NotReady" in one


@pytest.mark.parametrize("resource", ["svc", "services", "Service"])
async def test_resources_list_resolves_names(fathom_bin: Path, ws: Workspace, read_config, resource: str):
    services = scenario("services")
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("resources_list", {"resource": resource, "namespace": "shop"}))
    for svc in services:
        name = svc["metadata"]["name"]
        present = any(re.search(rf"(^|\s){re.escape(name)}(\s|$)", line) for line in text.splitlines())
        assert present == (svc["metadata"]["namespace"] == "shop"), (name, text)


async def test_resources_get_returns_the_object_without_managed_fields(fathom_bin: Path, ws: Workspace, read_config):
    expected = named("configmaps", "checkout-config")
    assert expected["metadata"].get("managedFields")
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("resources_get", {"resource": "configmaps", "name": "checkout-config", "namespace": "shop"}))
        missing = await conn.call_err("resources_get", {"resource": "configmaps", "name": "nope", "namespace": "shop"})
    obj, _ = json.JSONDecoder().raw_decode(text[text.index("{"):])
    assert obj["kind"] == "ConfigMap" and obj["metadata"]["name"] == "checkout-config"
    assert obj["data"] == expected["data"]
    assert "managedFields" not in obj["metadata"] and "kubectl-client-side-apply" not in text
    assert "not found" in missing


async def test_cluster_health_in_one_call(fathom_bin: Path, ws: Workspace, read_config):
    pods = scenario("pods")
    healthy = {p["metadata"]["name"] for p in pods
               if all(s["ready"] and s["restartCount"] == 0 for s in p["status"]["containerStatuses"])}
    warnings = {e["reason"] for e in scenario("events") if e["type"] == "Warning"}
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("cluster_health", {}))
    assert re.search(r"\d", text.splitlines()[0]), f"the first line is a summary with counts:\n{text}"
    for name in (CRASHING, OOM, PULL):
        assert name in text, text
    for name in healthy:
        assert name not in text, f"healthy pod {name} listed:\n{text}"
    for reason in warnings:
        assert reason in text, text
    assert "worker-1" in text and "worker-2" in text and "MemoryPressure" in text and "NotReady" in text


async def test_clusters_list_and_the_environment_kubeconfig(fathom_bin: Path, ws: Workspace, kube: KubeFixture, read_config):
    async with open_session(fathom_bin, ws) as conn:
        listed = await conn.call_ok("clusters_list", {})
    text = text_of(listed)
    assert "fixture" in text and kube.url in text and "default" in text, text
    assert READ_TOKEN not in everything_of(listed)

    kubeconfig = read_config()
    (ws.project / "tools" / "cluster.yaml").unlink()
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_CLUSTER_KUBECONFIG=str(kubeconfig))) as conn:
        listed = await conn.call_ok("clusters_list", {})
        assert_lists_shop_pods(await conn.call_ok("pods_list", {"namespace": "shop", "cluster": "default"}))
    assert "default" in text_of(listed) and kube.url in text_of(listed)
    assert READ_TOKEN not in everything_of(listed)


async def test_context_and_config_namespaces(fathom_bin: Path, ws: Workspace, kube: KubeFixture, tmp_path: Path):
    kubeconfig = write_kubeconfig(tmp_path / "kube" / "config", kube.url, {}, namespace="shop")
    use_cluster(ws, kubeconfig)
    async with open_session(fathom_bin, ws) as conn:
        assert CRASHING in text_of(await conn.call_ok("pods_get", {"name": CRASHING}))
    elsewhere = write_kubeconfig(tmp_path / "kube2" / "config", kube.url, {}, namespace="monitoring")
    write_tools_config(ws, "cluster", f"clusters:\n  - name: fixture\n    kubeconfig: {elsewhere}\n    namespace: shop\n")
    async with open_session(fathom_bin, ws) as conn:
        assert CRASHING in text_of(await conn.call_ok("pods_get", {"name": CRASHING}))


# --- 3. secrets -----------------------------------------------------------------------------


def secret_values() -> list[str]:
    values = []
    for secret in scenario("secrets"):
        for encoded in secret["data"].values():
            values += [encoded, base64.b64decode(encoded).decode()]
    return values


async def test_secrets_are_denied_by_default(fathom_bin: Path, ws: Workspace, read_config):
    calls = [
        ("resources_list", {"resource": "secrets", "namespace": "shop"}),
        ("resources_list", {"resource": "Secret", "namespace": "shop", "api_version": "v1"}),
        ("resources_get", {"resource": "secrets", "name": "payment-credentials", "namespace": "shop"}),
        ("resources_get", {"resource": "Secret", "name": "payment-credentials", "namespace": "shop"}),
    ]
    async with open_session(fathom_bin, ws) as conn:
        for name, arguments in calls:
            result = await conn.call(name, arguments)
            assert result.is_error, f"{name}({arguments}) read a secret: {text_of(result)[:400]}"
            assert "denied_resources" in text_of(result), text_of(result)
            dump = everything_of(result)
            for value in secret_values():
                assert value not in dump, (name, arguments)


async def test_secret_values_are_redacted_when_secrets_are_allowed(fathom_bin: Path, ws: Workspace, read_config):
    read_config("denied_resources: []\n")
    secret = named("secrets", "payment-credentials")
    async with open_session(fathom_bin, ws) as conn:
        got = await conn.call_ok("resources_get", {"resource": "secrets", "name": "payment-credentials", "namespace": "shop"})
        listed = await conn.call_ok("resources_list", {"resource": "secrets", "namespace": "shop"})
    assert "payment-credentials" in text_of(listed) and "registry-pull" in text_of(listed)
    for key in secret["data"]:
        assert key in text_of(got), text_of(got)
    for result in (got, listed):
        dump = everything_of(result)
        for value in secret_values():
            assert value not in dump


async def test_secret_looking_env_values_are_masked(fathom_bin: Path, ws: Workspace, read_config):
    env = named("pods", OOM)["spec"]["containers"][0]["env"]
    plain = {e["name"]: e["value"] for e in env if e["name"] == "GATEWAY_REGION"}
    hidden = ["hunter2-inline", "s3cret"]
    assert {e.get("value") for e in env} >= {"hunter2-inline", "postgres://app:s3cret@db:5432/app"}
    async with open_session(fathom_bin, ws) as conn:
        described = await conn.call_ok("pods_get", {"name": OOM, "namespace": "shop"})
        raw = await conn.call_ok("resources_get", {"resource": "pods", "name": OOM, "namespace": "shop"})
    text = text_of(described)
    for e in env:
        assert e["name"] in text, text
    assert plain["GATEWAY_REGION"] in text
    for result in (described, raw):
        dump = everything_of(result)
        for value in hidden:
            assert value not in dump, f"{value} shown:\n{text_of(result)}"
    assert "DB_PASSWORD" in text_of(raw) and plain["GATEWAY_REGION"] in text_of(raw)


# --- 4. RBAC refusals -----------------------------------------------------------------------


async def test_a_403_passes_the_servers_rbac_message_on(fathom_bin: Path, ws: Workspace, kube: KubeFixture, read_config):
    refused = kube.kubectl("get", "secrets", "-n", "kube-system", check=False)
    assert refused.returncode != 0
    expected = server_error(refused)
    read_config("denied_resources: []\n")
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("resources_list", {"resource": "secrets", "namespace": "kube-system"})
        await conn.call_ok("resources_list", {"resource": "secrets", "namespace": "shop"})
    assert "forbidden" in message.lower() and expected in message, f"expected {expected!r} in {message!r}"


async def test_a_403_from_a_scenario_of_our_own(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    folder = tmp_path / "scenario"
    shutil.copytree(SCENARIO, folder)
    (folder / "forbidden.json").write_text(json.dumps(
        [{"verb": "list", "resource": "pods", "namespace": "monitoring", "user": "fathom-readonly"}]))
    fixture = KubeFixture(tmp_path / "kube-rbac", ["--scenario", str(folder)]).start()
    try:
        expected = server_error(fixture.kubectl("get", "pods", "-n", "monitoring", check=False))
        assert 'User "fathom-readonly"' in expected
        use_cluster(ws, write_kubeconfig(tmp_path / "kube" / "config", fixture.url, {}))
        async with open_session(fathom_bin, ws) as conn:
            result = await conn.call("pods_list", {"namespace": "monitoring"})
            assert_lists_shop_pods(await conn.call_ok("pods_list", {"namespace": "shop"}))
    finally:
        fixture.stop()
    assert result.is_error and expected in text_of(result), text_of(result)


# --- 5. writes ------------------------------------------------------------------------------


def replicas(kube: KubeFixture, name: str) -> int:
    return json.loads(kube.kubectl("get", "deployment", name, "-n", "shop", "-o", "json").stdout)["spec"]["replicas"]


def pod_exists(kube: KubeFixture, name: str) -> bool:
    result = kube.kubectl("get", "pod", name, "-n", "shop", check=False)
    assert result.returncode == 0 or "NotFound" in result.stderr or "not found" in result.stderr, result.stderr
    return result.returncode == 0


async def test_writes_are_refused_while_read_only(fathom_bin: Path, ws: Workspace, kube_rw: KubeFixture, tmp_path: Path):
    before = replicas(kube_rw, "frontend")
    use_cluster(ws, write_kubeconfig(tmp_path / "kube" / "config", kube_rw.url, {}))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("workloads_scale", {"kind": "deployments", "name": "frontend", "namespace": "shop", "replicas": 3})
        deleted = await conn.call_err("pods_delete", {"name": CRASHING, "namespace": "shop"})
    assert "read-only" in message and "read-only" in deleted, message
    assert replicas(kube_rw, "frontend") == before
    assert pod_exists(kube_rw, CRASHING)


async def test_scale_restart_delete_and_cordon(fathom_bin: Path, ws: Workspace, kube_rw: KubeFixture, tmp_path: Path):
    before = named("deployments", "frontend")["spec"]["replicas"]
    assert before != 3 and replicas(kube_rw, "frontend") == before
    restarted_at = "kubectl.kubernetes.io/restartedAt"
    use_cluster(ws, write_kubeconfig(tmp_path / "kube" / "config", kube_rw.url, {}))
    allow_writes(ws)

    def template_annotations() -> dict[str, str]:
        deployment = json.loads(kube_rw.kubectl("get", "deployment", "checkout", "-n", "shop", "-o", "json").stdout)
        return deployment["spec"]["template"]["metadata"].get("annotations") or {}

    def unschedulable() -> bool:
        return bool(json.loads(kube_rw.kubectl("get", "node", "worker-1", "-o", "json").stdout)["spec"].get("unschedulable"))

    scale = {"kind": "deployments", "name": "frontend", "namespace": "shop", "replicas": 3}
    async with open_session(fathom_bin, ws) as conn:
        dry = text_of(await conn.call_ok("workloads_scale", {**scale, "dry_run": True}))
        assert "dry run" in dry.lower(), dry
        assert replicas(kube_rw, "frontend") == before
        await conn.call_ok("workloads_scale", scale)
        assert replicas(kube_rw, "frontend") == 3

        restart = {"kind": "deployments", "name": "checkout", "namespace": "shop"}
        assert "dry run" in text_of(await conn.call_ok("workloads_restart", {**restart, "dry_run": True})).lower()
        assert restarted_at not in template_annotations()
        await conn.call_ok("workloads_restart", restart)
        stamp = template_annotations()[restarted_at]
        assert re.match(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}", stamp), stamp

        assert "dry run" in text_of(await conn.call_ok("pods_delete", {"name": CRASHING, "namespace": "shop", "dry_run": True})).lower()
        assert pod_exists(kube_rw, CRASHING)
        deleted = text_of(await conn.call_ok("pods_delete", {"name": CRASHING, "namespace": "shop"}))
        assert CRASHING in deleted
        assert not pod_exists(kube_rw, CRASHING)
        assert "not found" in await conn.call_err("pods_delete", {"name": CRASHING, "namespace": "shop"})

        assert "dry run" in text_of(await conn.call_ok("nodes_cordon", {"name": "worker-1", "dry_run": True})).lower()
        assert not unschedulable()
        await conn.call_ok("nodes_cordon", {"name": "worker-1"})
        assert unschedulable()
        assert "SchedulingDisabled" in kube_rw.kubectl("get", "node", "worker-1").stdout
        await conn.call_ok("nodes_cordon", {"name": "worker-1", "uncordon": True})
        assert not unschedulable()




@pytest.mark.parametrize("transport", ["stdio", "http", "sse"])
async def test_elicitation_asks_before_a_delete(
    fathom_bin: Path, ws: Workspace, kube_rw: KubeFixture, tmp_path: Path, transport: str
):
    """Over stdio, over Streamable HTTP (the question travels on the call's own response stream) and
    over legacy SSE."""
    use_cluster(ws, write_kubeconfig(tmp_path / "kube" / "config", kube_rw.url, {}))
    allow_writes(ws)
    target = {"name": CRASHING, "namespace": "shop"}

    declining = Approver("decline")
    async with open_session(fathom_bin, ws, elicitation_callback=declining, transport=transport) as conn:
        await conn.call_ok("pods_delete", {**target, "dry_run": True})
        assert declining.requests == [], "a dry run does not ask"
        message = await conn.call_err("pods_delete", target)
    assert "declined" in message.lower(), message
    assert pod_exists(kube_rw, CRASHING)
    assert len(declining.requests) == 1
    asked = declining.requests[0].message
    assert CRASHING in asked and ("pods_delete" in asked or "delete" in asked.lower()), asked

    accepting = Approver("accept")
    async with open_session(fathom_bin, ws, elicitation_callback=accepting, transport=transport) as conn:
        await conn.call_ok("pods_delete", target)
    assert len(accepting.requests) == 1 and CRASHING in accepting.requests[0].message
    assert not pod_exists(kube_rw, CRASHING)


# --- 6. malformed kubeconfigs ---------------------------------------------------------------


def valid_kubeconfig(server: str = "http://127.0.0.1:6443") -> dict[str, Any]:
    return {
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "dev", "cluster": {"server": server}}],
        "users": [{"name": "dev", "user": {"token": READ_TOKEN}}],
        "contexts": [{"name": "alpha-ctx", "context": {"cluster": "dev", "user": "dev"}},
                     {"name": "beta-ctx", "context": {"cluster": "dev", "user": "dev", "namespace": "shop"}}],
        "current-context": "alpha-ctx",
    }


def broken(case: str, ca: CertificateAuthority) -> tuple[str, list[str]]:
    """A kubeconfig's text that is wrong in one way, and the words its error must hold."""
    doc = valid_kubeconfig()
    if case == "not-yaml":
        return "apiVersion: v1\nclusters: [\n  - name: {dev\n    cluster: server\n", []
    if case == "cluster-without-server":
        doc["clusters"][0]["cluster"] = {"insecure-skip-tls-verify": True}
        return "\n".join(yaml_lines(doc)), ["server", "dev"]
    if case == "client-key-data-not-base64":
        doc["users"][0]["user"] = {"client-certificate-data": b64file(ca.path("client.crt")), "client-key-data": "not*base64!!"}
        return "\n".join(yaml_lines(doc)), ["client-key-data", "dev"]
    if case == "current-context-missing":
        doc["current-context"] = "nope"
        return "\n".join(yaml_lines(doc)), ["nope", "context", "alpha-ctx", "beta-ctx"]
    raise ValueError(case)


@pytest.mark.parametrize("case", ["not-yaml", "cluster-without-server", "client-key-data-not-base64", "current-context-missing"])
def test_a_malformed_kubeconfig_stops_startup_naming_the_field(fathom_bin: Path, ws: Workspace, test_ca: CertificateAuthority,
                                                               tmp_path: Path, case: str):
    text, words = broken(case, test_ca)
    kubeconfig = tmp_path / "kube" / "config"
    kubeconfig.parent.mkdir()
    kubeconfig.write_text(text + "\n")
    use_cluster(ws, kubeconfig)
    served = run_fathom(fathom_bin, ws, "mcp")
    assert served.returncode == 78, served
    doctor = run_fathom(fathom_bin, ws, "doctor")
    assert doctor.returncode == 1, doctor
    for output in (served.stderr, doctor.stdout + doctor.stderr):
        assert str(kubeconfig) in output, output
        for word in words:
            assert word in output, f"{word!r} not in:\n{output}"


def test_a_cluster_with_both_kubeconfig_and_in_cluster_is_refused(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    kubeconfig = tmp_path / "config"
    kubeconfig.write_text("\n".join(yaml_lines(valid_kubeconfig())) + "\n")
    write_tools_config(ws, "cluster", f"clusters:\n  - name: both\n    kubeconfig: {kubeconfig}\n    in_cluster: true\n")
    served = run_fathom(fathom_bin, ws, "mcp")
    assert served.returncode == 78, served
    doctor = run_fathom(fathom_bin, ws, "doctor")
    assert doctor.returncode == 1, doctor
    for output in (served.stderr, doctor.stdout + doctor.stderr):
        assert "cluster.yaml" in output and "in_cluster" in output and "kubeconfig" in output, output


# --- 7. doctor ------------------------------------------------------------------------------


def test_doctor_reports_the_cluster_version_and_access(fathom_bin: Path, ws: Workspace, kube: KubeFixture, tmp_path: Path):
    version = http_json(kube.url + "/version")["gitVersion"]
    kubeconfig = write_kubeconfig(tmp_path / "kube" / "config", kube.url, {"token": READ_TOKEN})
    use_cluster(ws, kubeconfig, name="shop-fixture")
    doctor = run_fathom(fathom_bin, ws, "doctor")
    out = doctor.stdout + doctor.stderr
    assert "shop-fixture" in out and version in out and "secrets" in out, out
    assert READ_TOKEN not in out
