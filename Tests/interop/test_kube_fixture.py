"""The fixture Kubernetes API server that the cluster tools are tested against, judged by the real
kubectl: if kubectl reads, writes and describes through it, it speaks the API (v1.32)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from realparts import CertificateAuthority, KubeFixture

CRASHING = "checkout-7d9f8b6c5-x2x7q"


@pytest.fixture(scope="module")
def kube(tmp_path_factory: pytest.TempPathFactory):
    fixture = KubeFixture(tmp_path_factory.mktemp("kube")).start()
    yield fixture
    fixture.stop()


def test_kubectl_reads_pods_events_deployments_and_nodes(kube: KubeFixture):
    pods = kube.kubectl("get", "pods", "-A").stdout
    header = pods.splitlines()[0].split()
    assert header[:6] == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"], pods
    line = next(line for line in pods.splitlines() if CRASHING in line)
    assert "CrashLoopBackOff" in line and line.split()[0] == "shop", line
    assert any("OOMKilled" in l or "ImagePullBackOff" in l for l in pods.splitlines()), pods
    events = kube.kubectl("get", "events", "-A").stdout
    assert "BackOff" in events and "Warning" in events, events
    deployments = json.loads(kube.kubectl("get", "deploy", "-n", "shop", "-o", "json").stdout)
    assert deployments["kind"].endswith("List"), deployments["kind"]
    checkout = next(d for d in deployments["items"] if d["metadata"]["name"] == "checkout")
    assert checkout["spec"]["replicas"] == 3
    nodes = kube.kubectl("get", "nodes").stdout
    assert "NotReady" in nodes, nodes


def test_kubectl_logs_and_describe(kube: KubeFixture):
    logs = kube.kubectl("logs", "-n", "shop", CRASHING).stdout
    assert "payment gateway timeout" in logs
    previous = kube.kubectl("logs", "-n", "shop", CRASHING, "--previous").stdout
    assert previous and previous != logs
    tail = kube.kubectl("logs", "-n", "shop", CRASHING, "--tail=2").stdout
    assert len(tail.strip().splitlines()) == 2
    described = kube.kubectl("describe", "pod", "-n", "shop", CRASHING).stdout
    assert "CrashLoopBackOff" in described and "Events:" in described and "BackOff" in described, described
    missing = kube.kubectl("get", "pod", "-n", "shop", "no-such-pod", check=False)
    assert missing.returncode != 0 and 'pods "no-such-pod" not found' in missing.stderr


def test_kubectl_writes_create_scale_restart_delete(kube: KubeFixture, tmp_path: Path):
    manifest = tmp_path / "pod.json"
    manifest.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Pod", "metadata": {"name": "scratch", "namespace": "shop"},
        "spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]},
    }))
    kube.kubectl("create", "-f", str(manifest))
    again = kube.kubectl("create", "-f", str(manifest), check=False)
    assert again.returncode != 0 and ("AlreadyExists" in again.stderr or "already exists" in again.stderr), again.stderr
    kube.kubectl("scale", "deploy", "checkout", "-n", "shop", "--replicas=5")
    scaled = json.loads(kube.kubectl("get", "deploy", "checkout", "-n", "shop", "-o", "json").stdout)
    assert scaled["spec"]["replicas"] == 5
    kube.kubectl("rollout", "restart", "deploy/checkout", "-n", "shop")
    restarted = json.loads(kube.kubectl("get", "deploy", "checkout", "-n", "shop", "-o", "json").stdout)
    assert "kubectl.kubernetes.io/restartedAt" in restarted["spec"]["template"]["metadata"]["annotations"]
    kube.kubectl("delete", "pod", "scratch", "-n", "shop")
    gone = kube.kubectl("get", "pod", "scratch", "-n", "shop", check=False)
    assert gone.returncode != 0 and ("NotFound" in gone.stderr or "not found" in gone.stderr), gone.stderr


def test_kubectl_over_https_with_a_token_and_with_a_client_certificate(tmp_path: Path):
    ca = CertificateAuthority(tmp_path / "ca").make()
    token = "fixture-token-0123456789"
    server = KubeFixture(tmp_path / "secure", ["--tls-cert", str(ca.path("server.crt")), "--tls-key", str(ca.path("server.key")),
                                               "--token", token, "--client-ca", str(ca.path("ca.crt"))], tls=True).start()
    try:
        trust = [f"--certificate-authority={ca.path('ca.crt')}"]
        assert "checkout" in server.kubectl("get", "deploy", "-n", "shop", extra=[*trust, f"--token={token}"]).stdout
        cert = [f"--client-certificate={ca.path('client.crt')}", f"--client-key={ca.path('client.key')}"]
        assert "checkout" in server.kubectl("get", "deploy", "-n", "shop", extra=[*trust, *cert]).stdout
        refused = server.kubectl("get", "pods", "-A", extra=[*trust, "--token=wrong-token-0000000000"], check=False)
        assert refused.returncode != 0 and "unauthorized" in refused.stderr.lower(), refused.stderr
        untrusted = server.kubectl("get", "pods", "-A", extra=[f"--certificate-authority={ca.path('other-ca.crt')}", f"--token={token}"],
                                   check=False)
        assert untrusted.returncode != 0 and "certificate" in untrusted.stderr
    finally:
        server.stop()
