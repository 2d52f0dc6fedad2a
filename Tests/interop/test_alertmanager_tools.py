"""The Alertmanager tools against a real Alertmanager 0.25 that a real Prometheus sends alerts to.
A silence created through Fathom is read back from Alertmanager's own API."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Workspace, open_session, text_of, write_tools_config
from realparts import ObservabilityStack, http_json, wait_for

pytestmark = pytest.mark.anyio

WRITES = {"FATHOM_POLICY_READ_ONLY": "false", "FATHOM_POLICY_ALLOW": "alertmanager_create_silence,alertmanager_expire_silence"}


def config(obs: ObservabilityStack) -> str:
    return f"alertmanager:\n  - name: am\n    url: {obs.alertmanager_url}\n    cluster: test\n"


def am_alerts(obs: ObservabilityStack) -> list[dict]:
    return http_json(obs.alertmanager_url + "/api/v2/alerts")


def wait_always_firing(obs: ObservabilityStack) -> None:
    wait_for(lambda: any(a["labels"]["alertname"] == "FathomTestAlwaysFiring" for a in am_alerts(obs)), 60,
             "FathomTestAlwaysFiring in alertmanager", interval=0.2)


async def test_alerts_status_and_filters(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    wait_always_firing(obs)
    write_tools_config(ws, "observability", config(obs))
    async with open_session(fathom_bin, ws) as conn:
        tools = {t.name: t for t in (await conn.session.list_tools()).tools}
        assert {"alertmanager_alerts", "alertmanager_silences", "alertmanager_status"} <= set(tools)
        # Writes are not even listed while Fathom is read-only.
        assert "alertmanager_create_silence" not in tools

        alerts = await conn.call_ok("alertmanager_alerts", {"filter": ['severity="info"']})
        names = {a["labels"]["alertname"] for a in alerts.structured_content["items"]}
        assert names == {"FathomTestAlwaysFiring"}
        assert "[active] FathomTestAlwaysFiring" in text_of(alerts) and "always firing, for tests" in text_of(alerts)
        none = await conn.call_ok("alertmanager_alerts", {"filter": ['alertname=~"NoSuch.*"']})
        assert none.structured_content["count"] == 0

        status = await conn.call_ok("alertmanager_status", {})
        assert status.structured_content["version"].startswith("0.25")
        assert "original" not in str(status.structured_content), "the config (with receiver secrets) must not be returned"

        for bad, expected in [('alertname="unterminated', "no closing quote"), ("=x", "must start with a label name"),
                              ("alertname", "needs one of"), ('a=~"(("', "invalid regular expression")]:
            message = await conn.call_err("alertmanager_alerts", {"filter": [bad]})
            assert expected in message, (bad, message)


async def test_silence_writes_are_denied_in_read_only_mode(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    write_tools_config(ws, "observability", config(obs))
    before = http_json(obs.alertmanager_url + "/api/v2/silences")
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("alertmanager_create_silence", {"matchers": ['alertname="X"'], "comment": "no"})
    assert "read-only" in message
    assert http_json(obs.alertmanager_url + "/api/v2/silences") == before
    row = ws.wait_audit_row(tool="alertmanager_create_silence")
    assert row["outcome"] == "denied"


async def test_a_silence_created_through_fathom_is_alertmanagers_own(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    wait_always_firing(obs)
    write_tools_config(ws, "observability", config(obs))
    async with open_session(fathom_bin, ws, env=ws.env(**WRITES)) as conn:
        tools = {t.name: t for t in (await conn.session.list_tools()).tools}
        assert tools["alertmanager_create_silence"].annotations.destructive_hint is True
        assert tools["alertmanager_expire_silence"].annotations.destructive_hint is True
        created = await conn.call_ok("alertmanager_create_silence", {
            "matchers": ['alertname="FathomTestAlwaysFiring"', 'severity=~"info|debug"'],
            "comment": "maintenance window (interop test)", "duration": "30m",
        })
        silence_id = created.structured_content["silenceID"]

        # Alertmanager's own API has it, as we sent it.
        silence = http_json(f"{obs.alertmanager_url}/api/v2/silence/{silence_id}")
        assert silence["status"]["state"] == "active"
        assert silence["comment"] == "maintenance window (interop test)"
        assert silence["createdBy"].startswith("fathom (") and "fathom-interop" in silence["createdBy"]
        assert sorted((m["name"], m["value"], m["isRegex"], m["isEqual"]) for m in silence["matchers"]) == [
            ("alertname", "FathomTestAlwaysFiring", False, True), ("severity", "info|debug", True, True)]

        # The alert is now suppressed by that silence, and Fathom says so.
        wait_for(lambda: any(silence_id in a["status"]["silencedBy"] for a in am_alerts(obs)), 30, "alert silenced")
        alerts = await conn.call_ok("alertmanager_alerts", {"filter": ['alertname="FathomTestAlwaysFiring"']})
        assert f"silenced by {silence_id}" in text_of(alerts)
        silences = await conn.call_ok("alertmanager_silences", {"state": "active"})
        assert silence_id in {s["id"] for s in silences.structured_content["items"]}

        await conn.call_ok("alertmanager_expire_silence", {"silence_id": silence_id})
        assert http_json(f"{obs.alertmanager_url}/api/v2/silence/{silence_id}")["status"]["state"] == "expired"
        expired = await conn.call_ok("alertmanager_silences", {"state": "expired"})
        assert silence_id in {s["id"] for s in expired.structured_content["items"]}

        # Alertmanager's own validation comes back in its words.
        message = await conn.call_err("alertmanager_create_silence", {"matchers": ['alertname=""'], "comment": "empty"})
        assert "HTTP 400" in message and "empty" in message
        message = await conn.call_err("alertmanager_expire_silence", {"silence_id": "00000000-0000-0000-0000-000000000000"})
        assert "HTTP 404" in message or "not found" in message.lower()
        message = await conn.call_err("alertmanager_create_silence", {"matchers": ['a="b"'], "comment": "c", "duration": "-1h"})
        assert "duration" in message
    rows = ws.wait_audit(lambda rs: sum(r["tool"] == "alertmanager_create_silence" for r in rs) >= 3)
    assert any(r["tool"] == "alertmanager_create_silence" and r["outcome"] == "ok" for r in rows)
