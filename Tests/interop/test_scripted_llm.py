"""The scripted OpenAI-compatible server (fixtures/scripted_llm_server.py), judged by the official
`openai` Python client: if that client reads its replies, streams, tool calls and errors, the agent
tests that script it exercise the same wire format a real provider sends. Its flavor ollama (Ollama's
native /api/chat, /api/tags, /api/show) is judged the same way by the official `ollama` client, and its
flavor anthropic (Anthropic's Messages API) by the official `anthropic` client."""

from __future__ import annotations

import json
import socket
import time
from pathlib import Path

import anthropic
import httpx  # the transport the ollama client raises through
import httpx2
import ollama
import openai
import pydantic
import pytest

from realparts import ScriptedLLM, start_scripted_llm

KEY = "sk-test-scripted"
MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "What pods are crashing?"}]
TOOLS = [{"type": "function", "function": {"name": "pods_list", "description": "List pods",
                                           "parameters": {"type": "object", "properties": {"namespace": {"type": "string"}}}}}]


@pytest.fixture(scope="module")
def llm(tmp_path_factory: pytest.TempPathFactory):
    server = start_scripted_llm(tmp_path_factory.mktemp("scripted-llm"), flavor="plain")
    yield server
    server.stop()


def client(server: ScriptedLLM, key: str = KEY, timeout: float = 10) -> openai.OpenAI:
    # max_retries=0: the client would otherwise retry 429/5xx and eat the next scripted replies.
    return openai.OpenAI(base_url=server.base_url, api_key=key, max_retries=0, timeout=timeout)


def test_plain_content(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "Two pods are crashing."}]})
    reply = client(llm).chat.completions.create(model="my-model", messages=MESSAGES)
    assert reply.object == "chat.completion" and reply.model == "my-model"
    choice = reply.choices[0]
    assert choice.message.role == "assistant" and choice.message.content == "Two pods are crashing."
    assert choice.finish_reason == "stop" and not choice.message.tool_calls
    assert reply.usage.completion_tokens == 6 and reply.usage.prompt_tokens > 0
    assert reply.usage.total_tokens == reply.usage.prompt_tokens + reply.usage.completion_tokens


def test_streamed_content_reassembled(llm: ScriptedLLM):
    text = "The checkout pod is in CrashLoopBackOff: payment gateway timeout. ✓"
    llm.set_script({"replies": [{"content": text}]})
    chunks = list(client(llm).chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant" and chunks[0].choices[0].delta.content == ""
    body = chunks[1:-1]
    assert len(body) > 10 and all(3 <= len(c.choices[0].delta.content) <= 5 for c in body[:-1])
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == text
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].choices[0].delta.content is None
    assert len({c.id for c in chunks}) == 1


def test_stream_wire_format_is_chunked_sse_with_done(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "hello world"}]})
    with httpx2.Client() as http:
        for _ in range(2):  # the same keep-alive connection serves the next request
            with http.stream("POST", f"{llm.base_url}/chat/completions",
                             json={"model": "m", "messages": MESSAGES, "stream": True}) as response:
                assert response.headers["content-type"].startswith("text/event-stream")
                assert response.headers["transfer-encoding"] == "chunked"
                lines = [line for line in response.iter_lines() if line]
        assert all(line.startswith("data: ") for line in lines) and lines[-1] == "data: [DONE]"
        assert json.loads(lines[0][6:])["choices"][0]["delta"] == {"role": "assistant", "content": "", "refusal": None}


def test_streamed_tool_calls_accumulate(llm: ScriptedLLM):
    llm.set_script({"replies": [{"tool_calls": [
        {"name": "pods_list", "arguments": {"namespace": "shop", "label_selector": "app=checkout"}},
        {"name": "events_list", "arguments": {"namespace": "shop"}},
    ]}]})
    stream = client(llm).chat.completions.create(model="m", messages=MESSAGES, tools=TOOLS, stream=True)
    calls: dict[int, dict] = {}
    finish = None
    pieces = 0
    for chunk in stream:
        if not chunk.choices:
            continue
        delta = chunk.choices[0].delta
        for tc in delta.tool_calls or []:
            call = calls.setdefault(tc.index, {"id": None, "name": "", "arguments": ""})
            if tc.id:
                assert call["id"] is None, "id is sent once, on the first delta of a call"
                call["id"] = tc.id
                assert tc.type == "function" and tc.function.arguments == ""
            call["name"] += (tc.function.name or "") if tc.function else ""
            call["arguments"] += (tc.function.arguments or "") if tc.function else ""
            pieces += 1
        finish = chunk.choices[0].finish_reason or finish
    assert finish == "tool_calls"
    assert [calls[i]["name"] for i in sorted(calls)] == ["pods_list", "events_list"]
    assert [calls[i]["id"] for i in sorted(calls)] == ["call_1", "call_2"]
    assert json.loads(calls[0]["arguments"]) == {"namespace": "shop", "label_selector": "app=checkout"}
    assert json.loads(calls[1]["arguments"]) == {"namespace": "shop"}
    assert pieces > 8, "arguments arrive in several pieces"


def test_non_streamed_tool_calls_and_verbatim_malformed_arguments(llm: ScriptedLLM):
    llm.set_script({"replies": [
        {"tool_calls": [{"name": "pods_list", "arguments": {"namespace": "shop"}}]},
        {"tool_calls": [{"name": "pods_list", "arguments": "{\"namespace\": \"shop\""}]},
    ]})
    c = client(llm)
    first = c.chat.completions.create(model="m", messages=MESSAGES, tools=TOOLS).choices[0]
    assert first.finish_reason == "tool_calls" and first.message.content is None
    call = first.message.tool_calls[0]
    assert call.id == "call_1" and call.type == "function" and call.function.name == "pods_list"
    assert json.loads(call.function.arguments) == {"namespace": "shop"}
    second = c.chat.completions.create(model="m", messages=MESSAGES, tools=TOOLS).choices[0]
    assert second.message.tool_calls[0].function.arguments == "{\"namespace\": \"shop\""
    with pytest.raises(json.JSONDecodeError):
        json.loads(second.message.tool_calls[0].function.arguments)


def test_error_statuses_surface_as_api_status_errors(llm: ScriptedLLM):
    llm.set_script({"replies": [
        {"status": 429, "headers": {"Retry-After": "7"}, "message": "Rate limit reached"},
        {"status": 503, "body": "upstream overloaded", "content_type": "text/plain"},
        {"status": 400, "code": "context_length_exceeded", "message": "This model's maximum context length is 8192 tokens."},
    ]})
    c = client(llm)
    with pytest.raises(openai.APIStatusError) as limited:
        c.chat.completions.create(model="m", messages=MESSAGES)
    assert isinstance(limited.value, openai.RateLimitError) and limited.value.status_code == 429
    assert limited.value.response.headers["retry-after"] == "7" and "Rate limit reached" in limited.value.message
    with pytest.raises(openai.APIStatusError) as overloaded:
        c.chat.completions.create(model="m", messages=MESSAGES)
    assert overloaded.value.status_code == 503 and overloaded.value.response.text == "upstream overloaded"
    with pytest.raises(openai.BadRequestError) as too_long:
        c.chat.completions.create(model="m", messages=MESSAGES, stream=True)
    assert too_long.value.code == "context_length_exceeded" and too_long.value.status_code == 400


def test_include_usage_chunk(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "Done.", "usage": {"prompt_tokens": 120, "completion_tokens": 3}}]})
    chunks = list(client(llm).chat.completions.create(model="m", messages=MESSAGES, stream=True,
                                                      stream_options={"include_usage": True}))
    assert chunks[-2].choices[0].finish_reason == "stop" and chunks[-2].usage is None
    last = chunks[-1]
    assert last.choices == [] and last.usage.prompt_tokens == 120 and last.usage.completion_tokens == 3
    assert last.usage.total_tokens == 123
    without = list(client(llm).chat.completions.create(model="m", messages=MESSAGES, stream=True))
    assert all(c.usage is None and c.choices for c in without)


def test_requests_are_recorded_with_authorization(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "a"}, {"content": "b"}]})
    c = client(llm, key="sk-recorded")
    c.chat.completions.create(model="m1", messages=MESSAGES, tools=TOOLS, temperature=0)
    c.chat.completions.create(model="m2", messages=[*MESSAGES, {"role": "assistant", "content": "a"}], stream=True).close()
    seen = llm.requests()
    assert [r["body"]["model"] for r in seen] == ["m1", "m2"]
    assert seen[0]["body"]["tools"] == TOOLS and seen[0]["body"]["temperature"] == 0
    assert seen[1]["body"]["stream"] is True and seen[1]["body"]["messages"][-1]["content"] == "a"
    assert all(r["authorization"] == "Bearer sk-recorded" and r["path"] == "/v1/chat/completions" for r in seen)
    llm.set_script({"replies": [{"content": "c"}]})
    assert llm.requests() == []


def test_repeat_last_loops_and_then_error(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "thinking"}, {"tool_calls": [{"name": "pods_list", "arguments": {}}]}]})
    c = client(llm)
    assert c.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "thinking"
    names = [c.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.tool_calls[0].function.name
             for _ in range(4)]
    assert names == ["pods_list"] * 4
    llm.set_script({"replies": [{"content": "once"}], "then": "error"})
    assert c.chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "once"
    with pytest.raises(openai.InternalServerError) as used_up:
        c.chat.completions.create(model="m", messages=MESSAGES)
    assert used_up.value.status_code == 500


def test_bad_requests_get_400(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "unused"}]})
    with httpx2.Client() as http:
        bad_json = http.post(f"{llm.base_url}/chat/completions", content=b"{not json",
                             headers={"Content-Type": "application/json"})
        no_messages = http.post(f"{llm.base_url}/chat/completions", json={"model": "m"})
    for response in (bad_json, no_messages):
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["type"] == "invalid_request_error" and error["message"]


def test_raw_body_and_delay_and_broken_streams(llm: ScriptedLLM):
    llm.set_script({"replies": [
        {"raw": "{\"id\": \"x\", \"choices\": [{"},
        {"content": "slow", "delay": 2},
        {"content": "a long answer that will stall midway", "stall_after_chunks": 3},
        {"content": "a long answer that will be cut midway", "truncate_after_chunks": 3},
    ]})
    with httpx2.Client() as http:
        raw = http.post(f"{llm.base_url}/chat/completions", json={"model": "m", "messages": MESSAGES})
    assert raw.status_code == 200 and raw.text == "{\"id\": \"x\", \"choices\": [{"
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client(llm, timeout=0.5).chat.completions.create(model="m", messages=MESSAGES)
    assert time.monotonic() - started < 1.9
    time.sleep(2)  # let the delayed reply finish on the server before the next one is taken
    stalled = client(llm, timeout=1).chat.completions.create(model="m", messages=MESSAGES, stream=True)
    got = []
    with pytest.raises(openai.APITimeoutError):
        for chunk in stalled:
            got.append(chunk)
    assert len(got) == 3
    truncated = client(llm).chat.completions.create(model="m", messages=MESSAGES, stream=True)
    got = []
    with pytest.raises(openai.APIConnectionError) as cut:
        for chunk in truncated:
            got.append(chunk)
    assert len(got) == 3 and "incomplete chunked read" in str(cut.value.__cause__)


def test_stall_ends_when_the_client_goes_away(llm: ScriptedLLM):
    llm.set_script({"replies": [{"content": "never finished", "stall_after_chunks": 1}, {"content": "next"}]})
    request = json.dumps({"model": "m", "messages": MESSAGES, "stream": True}).encode()
    with socket.create_connection(("127.0.0.1", llm.port), timeout=5) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n%s" % (len(request), request))
        head = sock.recv(65536)
        assert b"200 OK" in head
    # The server is not stuck: the next request is answered at once.
    assert client(llm, timeout=5).chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "next"


def test_api_key_is_required_when_set(tmp_path_factory: pytest.TempPathFactory):
    server = start_scripted_llm(tmp_path_factory.mktemp("scripted-llm-key"), api_key=KEY,
                                script={"replies": [{"content": "authorized"}]})
    try:
        with pytest.raises(openai.AuthenticationError) as denied:
            client(server, key="sk-wrong").chat.completions.create(model="m", messages=MESSAGES)
        assert denied.value.status_code == 401 and denied.value.code == "invalid_api_key"
        with pytest.raises(openai.AuthenticationError):
            client(server, key="sk-wrong").models.list()
        assert client(server).chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "authorized"
        assert [r["authorization"] for r in server.requests()] == ["Bearer sk-wrong", f"Bearer {KEY}"]
        assert httpx2.get(f"{server.url}/health").json() == {"status": "ok"}
    finally:
        server.stop()


@pytest.mark.parametrize("flavor", ["llamacpp", "vllm", "plain"])
def test_flavor_context_endpoints(tmp_path_factory: pytest.TempPathFactory, flavor: str):
    server = start_scripted_llm(tmp_path_factory.mktemp(f"scripted-llm-{flavor}"), flavor=flavor, context=16384)
    try:
        models = client(server).models.list()
        entry = models.data[0]
        assert entry.id == "scripted-model" and entry.object == "model"
        props = httpx2.get(f"{server.url}/props")
        assert httpx2.get(f"{server.url}/health").json() == {"status": "ok"}
        if flavor == "llamacpp":
            assert props.status_code == 200
            body = props.json()
            assert body["default_generation_settings"]["n_ctx"] == 16384 and body["total_slots"] == 1
            assert {"model_path", "chat_template", "build_info"} <= body.keys()
            assert entry.model_extra["meta"]["n_ctx"] == 16384
        elif flavor == "vllm":
            assert props.status_code == 404
            assert entry.model_extra["max_model_len"] == 16384 and entry.owned_by == "vllm"
        else:
            assert props.status_code == 404 and "error" in props.json()
            assert "max_model_len" not in entry.model_extra and "meta" not in entry.model_extra
    finally:
        server.stop()


def test_script_file_and_default_reply(tmp_path: Path):
    default = start_scripted_llm(tmp_path / "default")
    try:
        assert client(default).chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "ok"
    finally:
        default.stop()


# -- flavor ollama: Ollama's native API (https://github.com/ollama/ollama/blob/main/docs/api.md), judged by
# the official `ollama` Python client.

OLLAMA_TOOLS = [{"type": "function", "function": {
    "name": "pods_list", "description": "List pods",
    "parameters": {"type": "object", "properties": {"namespace": {"type": "string", "description": "namespace"}}}}}]


@pytest.fixture(scope="module")
def ollama_llm(tmp_path_factory: pytest.TempPathFactory):
    server = start_scripted_llm(tmp_path_factory.mktemp("scripted-ollama"), flavor="ollama", context=16384)
    yield server
    server.stop()


def ollama_client(server: ScriptedLLM, **kwargs) -> ollama.Client:
    return ollama.Client(host=server.url, **kwargs)


def test_ollama_chat_not_streamed(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [{"content": "Two pods are crashing."}]})
    reply = ollama_client(ollama_llm).chat(model="llama3.2", messages=MESSAGES, stream=False,
                                           options={"num_ctx": 16384, "num_predict": 512, "temperature": 0,
                                                    "stop": ["<|eot_id|>"]}, keep_alive="10m")
    assert isinstance(reply, ollama.ChatResponse) and reply.model == "llama3.2" and reply.created_at
    assert reply.message.role == "assistant" and reply.message.content == "Two pods are crashing."
    assert not reply.message.tool_calls
    assert reply.done is True and reply.done_reason == "stop"
    assert reply.eval_count == 6 and reply.prompt_eval_count > 0
    assert reply.total_duration >= reply.load_duration + reply.prompt_eval_duration + reply.eval_duration > 0
    [seen] = ollama_llm.requests()
    assert seen["path"] == "/api/chat" and seen["body"]["stream"] is False and seen["body"]["keep_alive"] == "10m"
    assert seen["body"]["options"] == {"num_ctx": 16384, "num_predict": 512, "temperature": 0, "stop": ["<|eot_id|>"]}
    assert seen["body"]["messages"] == MESSAGES


def test_ollama_chat_streamed(ollama_llm: ScriptedLLM):
    text = "The checkout pod is in CrashLoopBackOff: payment gateway <timeout> & retries. ✓"
    ollama_llm.set_script({"replies": [{"content": text, "usage": {"prompt_tokens": 120, "completion_tokens": 19}}]})
    parts = list(ollama_client(ollama_llm).chat(model="llama3.2", messages=MESSAGES, stream=True))
    assert all(isinstance(p, ollama.ChatResponse) and p.model == "llama3.2" for p in parts)
    body, last = parts[:-1], parts[-1]
    assert len(body) > 10 and all(p.done is False and 3 <= len(p.message.content) <= 5 for p in body[:-1])
    assert all(p.done_reason is None and p.eval_count is None for p in body)
    assert "".join(p.message.content for p in parts) == text
    assert last.done is True and last.done_reason == "stop" and last.message.content == ""
    assert last.message.role == "assistant" and last.prompt_eval_count == 120 and last.eval_count == 19


def test_ollama_stream_is_the_default_and_ndjson(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [{"content": "hello world"}]})
    with httpx2.Client() as http:
        for _ in range(2):  # no "stream" key: Ollama streams; the keep-alive connection serves the next request
            with http.stream("POST", f"{ollama_llm.url}/api/chat",
                             json={"model": "m", "messages": MESSAGES}) as response:
                assert response.status_code == 200
                assert response.headers["content-type"] == "application/x-ndjson"
                assert response.headers["transfer-encoding"] == "chunked"
                lines = [line for line in response.iter_lines() if line]
    objects = [json.loads(line) for line in lines]
    assert objects[0] == {"model": "m", "created_at": objects[0]["created_at"],
                          "message": {"role": "assistant", "content": "hel"}, "done": False}
    assert objects[0]["created_at"].endswith("Z")
    final = objects[-1]
    assert final["done"] is True and final["done_reason"] == "stop" and final["message"] == {"role": "assistant", "content": ""}
    assert {"total_duration", "load_duration", "prompt_eval_count", "prompt_eval_duration", "eval_count",
            "eval_duration"} <= final.keys()
    assert all(o["done"] is False for o in objects[:-1])
    assert [r["body"].get("stream") for r in ollama_llm.requests()] == [None, None]


def test_ollama_tool_calls_have_object_arguments(ollama_llm: ScriptedLLM):
    calls = [{"name": "pods_list", "arguments": {"namespace": "shop", "label_selector": "app=checkout"}},
             {"name": "events_list", "arguments": "{\"namespace\": \"shop\"}"}]  # a JSON string goes out as an object
    ollama_llm.set_script({"replies": [{"tool_calls": calls}, {"content": "Checking.", "tool_calls": calls}]})
    c = ollama_client(ollama_llm)
    reply = c.chat(model="llama3.2", messages=MESSAGES, tools=OLLAMA_TOOLS, stream=False)
    assert reply.message.content == "" and reply.done_reason == "stop"
    got = [(t.function.name, dict(t.function.arguments)) for t in reply.message.tool_calls]
    assert got == [("pods_list", {"namespace": "shop", "label_selector": "app=checkout"}),
                   ("events_list", {"namespace": "shop"})]
    parts = list(c.chat(model="llama3.2", messages=MESSAGES, tools=OLLAMA_TOOLS, stream=True))
    with_calls = [p for p in parts if p.message.tool_calls]
    assert len(with_calls) == 1 and with_calls[0].done is False and with_calls[0].message.content == ""
    assert [t.function.arguments["namespace"] for t in with_calls[0].message.tool_calls] == ["shop", "shop"]
    assert "".join(p.message.content for p in parts) == "Checking." and parts[-1].done is True
    assert parts.index(with_calls[0]) == len(parts) - 2, "content first, then the calls, then the final line"
    seen = ollama_llm.requests()
    assert seen[0]["body"]["tools"][0]["function"]["name"] == "pods_list" and seen[0]["body"]["stream"] is False


def test_ollama_malformed_arguments_are_sent_verbatim(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [{"tool_calls": [{"name": "pods_list", "arguments": "{\"namespace\": \"shop\""}]}]})
    with httpx2.Client() as http:
        reply = http.post(f"{ollama_llm.url}/api/chat", json={"model": "m", "messages": MESSAGES, "stream": False}).json()
    assert reply["message"]["tool_calls"] == [{"function": {"name": "pods_list", "arguments": "{\"namespace\": \"shop\""}}]
    with pytest.raises(pydantic.ValidationError):  # the official client insists on an object, as Ollama's Go types do
        ollama_client(ollama_llm).chat(model="m", messages=MESSAGES, stream=False)


def test_ollama_history_with_tool_results_is_recorded(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [{"content": "Two pods crash."}]})
    history = [*MESSAGES,
               {"role": "assistant", "content": "",
                "tool_calls": [{"function": {"name": "pods_list", "arguments": {"namespace": "shop"}}}]},
               {"role": "tool", "content": "[{\"name\": \"checkout\"}]", "tool_name": "pods_list"}]
    assert ollama_client(ollama_llm).chat(model="m", messages=history, stream=False).message.content == "Two pods crash."
    sent = ollama_llm.requests()[0]["body"]["messages"]
    assert sent[2]["tool_calls"] == [{"function": {"name": "pods_list", "arguments": {"namespace": "shop"}}}]
    assert sent[3] == {"role": "tool", "content": "[{\"name\": \"checkout\"}]", "tool_name": "pods_list"}


def test_ollama_list_show_version(ollama_llm: ScriptedLLM):
    c = ollama_client(ollama_llm)
    [model] = c.list().models
    assert model.model == "scripted-model:latest" and model.size > 0 and len(model.digest) == 64
    assert model.modified_at.year == 2025 and model.details.family == "llama" and model.details.format == "gguf"
    for name in ("scripted-model", "scripted-model:latest"):
        shown = c.show(name)
        assert shown.modelinfo["general.architecture"] == "llama"
        assert shown.modelinfo["llama.context_length"] == 131072
        params = dict(line.split(None, 1) for line in shown.parameters.splitlines() if line.startswith("num_ctx"))
        assert params == {"num_ctx": "16384"}
        assert 'stop                           "<|eot_id|>"' in shown.parameters.splitlines()
        assert "PARAMETER num_ctx 16384" in shown.modelfile and shown.template and "tools" in shown.capabilities
    with pytest.raises(ollama.ResponseError) as missing:
        c.show("llama3.2")
    assert missing.value.status_code == 404 and missing.value.error == "model 'llama3.2' not found"
    assert httpx2.get(f"{ollama_llm.url}/api/version").json() == {"version": "0.6.5"}
    assert httpx2.get(f"{ollama_llm.url}/").text == "Ollama is running"
    assert c.ps().models[0].context_length == 16384
    unknown = httpx2.post(f"{ollama_llm.url}/api/generate", json={"model": "m"})
    assert unknown.status_code == 404 and unknown.text == "404 page not found"


def test_ollama_errors_surface_as_response_errors(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [
        {"status": 404},
        {"status": 429, "message": "too many requests", "headers": {"Retry-After": "3"}},
        {"status": 500, "message": "llama runner process has terminated: exit status 2"},
        {"content": "partial answer that fails", "error_after_chunks": 2, "message": "unexpected EOF"},
    ], "then": "error"})
    c = ollama_client(ollama_llm)
    with pytest.raises(ollama.ResponseError) as not_found:
        c.chat(model="llama3.2", messages=MESSAGES, stream=False)
    assert not_found.value.status_code == 404
    assert not_found.value.error == 'model "llama3.2" not found, try pulling it first'
    with pytest.raises(ollama.ResponseError) as limited:
        list(c.chat(model="m", messages=MESSAGES, stream=True))
    assert limited.value.status_code == 429 and limited.value.error == "too many requests"
    with pytest.raises(ollama.ResponseError) as crashed:
        c.chat(model="m", messages=MESSAGES, stream=False)
    assert crashed.value.status_code == 500 and "llama runner" in crashed.value.error
    got = []
    with pytest.raises(ollama.ResponseError) as midway:
        for part in c.chat(model="m", messages=MESSAGES, stream=True):
            got.append(part)
    assert len(got) == 2 and midway.value.error == "unexpected EOF"
    with pytest.raises(ollama.ResponseError) as used_up:
        c.chat(model="m", messages=MESSAGES, stream=False)
    assert used_up.value.status_code == 500
    with httpx2.Client() as http:
        bad = http.post(f"{ollama_llm.url}/api/chat", content=b"{not json")
        no_model = http.post(f"{ollama_llm.url}/api/chat", json={"messages": MESSAGES})
    assert bad.status_code == 400 and no_model.status_code == 400 and no_model.json() == {"error": "model is required"}


def test_ollama_load_without_messages_takes_no_reply(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [{"content": "real answer"}]})
    c = ollama_client(ollama_llm)
    loaded = c.chat(model="m", messages=[])
    assert loaded.done is True and loaded.done_reason == "load" and loaded.message.content == ""
    assert c.chat(model="m", messages=[], keep_alive=0).done_reason == "unload"
    assert c.chat(model="m", messages=MESSAGES).message.content == "real answer"


def test_ollama_delay_and_broken_streams(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [
        {"raw": "{\"model\": \"m\", \"message\": {"},
        {"content": "a long answer that will stall midway", "stall_after_chunks": 3},
        {"content": "a long answer that will be cut midway", "truncate_after_chunks": 3},
    ]})
    with httpx2.Client() as http:
        raw = http.post(f"{ollama_llm.url}/api/chat", json={"model": "m", "messages": MESSAGES, "stream": False})
    assert raw.status_code == 200 and raw.text == "{\"model\": \"m\", \"message\": {"
    got = []
    with pytest.raises(httpx.ReadTimeout):
        for part in ollama_client(ollama_llm, timeout=1).chat(model="m", messages=MESSAGES, stream=True):
            got.append(part)
    assert len(got) == 3
    got = []
    with pytest.raises(httpx.RemoteProtocolError):
        for part in ollama_client(ollama_llm).chat(model="m", messages=MESSAGES, stream=True):
            got.append(part)
    assert len(got) == 3


def test_ollama_flavor_keeps_the_openai_endpoints(ollama_llm: ScriptedLLM):
    ollama_llm.set_script({"replies": [{"content": "compat"}, {"content": "native"}]})
    assert client(ollama_llm).chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "compat"
    assert ollama_client(ollama_llm).chat(model="m", messages=MESSAGES).message.content == "native"
    assert [r["path"] for r in ollama_llm.requests()] == ["/v1/chat/completions", "/api/chat"]
    entry = client(ollama_llm).models.list().data[0]
    assert entry.id == "scripted-model:latest" and entry.owned_by == "library"


def test_ollama_api_key(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("OLLAMA_API_KEY", raising=False)  # the client would send it as a bearer token
    server = start_scripted_llm(tmp_path_factory.mktemp("scripted-ollama-key"), flavor="ollama", api_key=KEY,
                                script={"replies": [{"content": "authorized"}]})
    try:
        with pytest.raises(ollama.ResponseError) as denied:
            ollama_client(server).chat(model="m", messages=MESSAGES, stream=False)
        assert denied.value.status_code == 401 and denied.value.error == "unauthorized"
        authorized = ollama_client(server, headers={"Authorization": f"Bearer {KEY}"})
        assert authorized.chat(model="m", messages=MESSAGES, stream=False).message.content == "authorized"
        assert [r["authorization"] for r in server.requests()] == [None, f"Bearer {KEY}"]
    finally:
        server.stop()


# -- flavor anthropic: Anthropic's Messages API (https://docs.anthropic.com/en/api/messages,
# https://docs.anthropic.com/en/api/messages-streaming), judged by the official `anthropic` Python client.

SYSTEM = [{"type": "text", "text": "You are terse."}]
USER = [{"role": "user", "content": "What pods are crashing?"}]
CLAUDE_TOOLS = [{"name": "pods_list", "description": "List pods",
                 "input_schema": {"type": "object", "properties": {"namespace": {"type": "string"}}}}]


@pytest.fixture(scope="module")
def anthropic_llm(tmp_path_factory: pytest.TempPathFactory):
    server = start_scripted_llm(tmp_path_factory.mktemp("scripted-anthropic"), flavor="anthropic", api_key=KEY,
                                context=200000, model="claude-scripted-4")
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _no_anthropic_environment(monkeypatch: pytest.MonkeyPatch):
    # The client would otherwise take credentials, headers or a base URL from these.
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL", "ANTHROPIC_CUSTOM_HEADERS",
                 "ANTHROPIC_PROFILE", "ANTHROPIC_CONFIG_DIR"):
        monkeypatch.delenv(name, raising=False)


def claude(server: ScriptedLLM, key: str = KEY, timeout: float = 10) -> anthropic.Anthropic:
    # max_retries=0: the client would otherwise retry 429/5xx/529 and eat the next scripted replies.
    return anthropic.Anthropic(base_url=server.url, api_key=key, max_retries=0, timeout=timeout)


def test_anthropic_text_message(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [{"content": "Two pods are crashing."}]})
    reply = claude(anthropic_llm).messages.create(
        model="claude-scripted-4", max_tokens=1024, system=SYSTEM, messages=USER, tools=CLAUDE_TOOLS,
        tool_choice={"type": "auto"}, stop_sequences=["</answer>"],
        extra_body={"temperature": 0})  # anthropic 2.12 has no temperature argument; the body still carries it
    assert isinstance(reply, anthropic.types.Message)
    assert reply.id.startswith("msg_") and reply.type == "message" and reply.role == "assistant"
    assert reply.model == "claude-scripted-4" and reply.stop_reason == "end_turn" and reply.stop_sequence is None
    [block] = reply.content
    assert block.type == "text" and block.text == "Two pods are crashing."
    assert reply.usage.output_tokens == 6 and reply.usage.input_tokens > 0
    assert reply._request_id and reply._request_id.startswith("req_")
    [seen] = anthropic_llm.requests()
    # anthropic 2.12 sends the API key as a bearer token; x-api-key (the documented header) is tested with httpx2.
    assert seen["path"] == "/v1/messages" and seen["authorization"] == f"Bearer {KEY}" and seen["x-api-key"] is None
    assert seen["anthropic-version"]  # the client's own version date
    body = seen["body"]
    assert body["system"] == SYSTEM and body["messages"] == USER and body["tools"] == CLAUDE_TOOLS
    assert body["max_tokens"] == 1024 and body["tool_choice"] == {"type": "auto"} and body["temperature"] == 0
    assert body["stop_sequences"] == ["</answer>"] and "stream" not in body


def test_anthropic_tool_use_blocks(anthropic_llm: ScriptedLLM):
    calls = [{"name": "pods_list", "arguments": {"namespace": "shop", "label_selector": "app=checkout"}},
             {"name": "events_list", "arguments": "{\"namespace\": \"shop\"}"},   # a JSON string goes out as an object
             {"name": "logs_get", "arguments": "{\"pod\": \"checkout"}]          # not JSON: input {}
    anthropic_llm.set_script({"replies": [
        {"content": "Let me check.", "tool_calls": calls},
        {"content": "cut", "finish_reason": "length"},
        {"content": "done", "finish_reason": "stop_sequence"},
    ]})
    c = claude(anthropic_llm)
    reply = c.messages.create(model="m", max_tokens=512, messages=USER, tools=CLAUDE_TOOLS, tool_choice={"type": "any"})
    assert reply.stop_reason == "tool_use"
    assert [b.type for b in reply.content] == ["text", "tool_use", "tool_use", "tool_use"]
    assert reply.content[0].text == "Let me check."
    uses = reply.content[1:]
    assert all(isinstance(u, anthropic.types.ToolUseBlock) for u in uses)
    assert [(u.id, u.name, u.input) for u in uses] == [
        ("toolu_1", "pods_list", {"namespace": "shop", "label_selector": "app=checkout"}),
        ("toolu_2", "events_list", {"namespace": "shop"}),
        ("toolu_3", "logs_get", {}),
    ]
    assert c.messages.create(model="m", max_tokens=3, messages=USER).stop_reason == "max_tokens"
    stopped = c.messages.create(model="m", max_tokens=64, messages=USER, stop_sequences=["</answer>", "STOP"])
    assert stopped.stop_reason == "stop_sequence" and stopped.stop_sequence == "</answer>"


def test_anthropic_history_with_tool_results(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [{"content": "checkout is crashing"}]})
    history = [*USER,
               {"role": "assistant", "content": [
                   {"type": "text", "text": "Checking."},
                   {"type": "tool_use", "id": "toolu_9", "name": "pods_list", "input": {"namespace": "shop"}}]},
               {"role": "user", "content": [
                   {"type": "tool_result", "tool_use_id": "toolu_9",
                    "content": [{"type": "text", "text": "checkout CrashLoopBackOff"}], "is_error": False}]}]
    c = claude(anthropic_llm)
    assert c.messages.create(model="m", max_tokens=64, system="Be terse.", messages=history).content[0].text == "checkout is crashing"
    assert anthropic_llm.requests()[0]["body"]["messages"] == history
    # The API's own pairing rules, checked before a reply is taken.
    unanswered = [*history[:2], {"role": "user", "content": "and now?"}]
    with pytest.raises(anthropic.BadRequestError) as missing:
        c.messages.create(model="m", max_tokens=64, messages=unanswered)
    assert missing.value.status_code == 400 and missing.value.body["error"]["type"] == "invalid_request_error"
    assert "tool_use` ids were found without `tool_result` blocks immediately after: toolu_9" in missing.value.message
    stray = [*USER, {"role": "assistant", "content": "ok"},
             {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_7", "content": "x"}]}]
    with pytest.raises(anthropic.BadRequestError) as unexpected:
        c.messages.create(model="m", max_tokens=64, messages=stray)
    assert "unexpected `tool_use_id` found in `tool_result` blocks: toolu_7" in unexpected.value.message
    with pytest.raises(anthropic.BadRequestError) as bad_choice:
        c.messages.create(model="m", max_tokens=64, messages=USER, tools=CLAUDE_TOOLS, tool_choice={"type": "some"})
    assert "tool_choice" in bad_choice.value.message
    assert c.messages.create(model="m", max_tokens=64, messages=USER).content[0].text == "checkout is crashing"


def test_anthropic_stream_accumulates_text_and_tool_input(anthropic_llm: ScriptedLLM):
    text = "The checkout pod is in CrashLoopBackOff: payment gateway timeout. ✓"
    anthropic_llm.set_script({"replies": [
        {"content": text, "tool_calls": [{"name": "pods_list", "arguments": {"namespace": "shop", "labels": ["a", "b"]}},
                                         {"name": "events_list", "arguments": {}}],
         "usage": {"prompt_tokens": 120, "completion_tokens": 30}},
    ]})
    c = claude(anthropic_llm)
    with c.messages.stream(model="m", max_tokens=512, messages=USER, tools=CLAUDE_TOOLS) as stream:
        pieces = list(stream.text_stream)
        final = stream.get_final_message()
    assert "".join(pieces) == text and len(pieces) > 10 and all(3 <= len(p) <= 5 for p in pieces[:-1])
    assert final.stop_reason == "tool_use" and final.stop_sequence is None
    assert final.usage.input_tokens == 120 and final.usage.output_tokens == 30
    assert [b.type for b in final.content] == ["text", "tool_use", "tool_use"] and final.content[0].text == text
    assert (final.content[1].id, final.content[1].name, final.content[1].input) == (
        "toolu_1", "pods_list", {"namespace": "shop", "labels": ["a", "b"]})
    assert (final.content[2].name, final.content[2].input) == ("events_list", {})
    events = list(c.messages.create(model="m", max_tokens=512, messages=USER, stream=True))
    kinds = [e.type for e in events]  # the client drops ping itself
    assert kinds[0] == "message_start" and kinds[-2:] == ["message_delta", "message_stop"]
    assert events[0].message.content == [] and events[0].message.usage.input_tokens == 120
    assert kinds.count("content_block_start") == kinds.count("content_block_stop") == 3
    json_deltas = [e.delta for e in events if e.type == "content_block_delta" and e.delta.type == "input_json_delta"]
    assert json_deltas[0].partial_json == "" and len(json_deltas) > 5
    assert events[-2].delta.stop_reason == "tool_use" and events[-2].usage.output_tokens == 30
    assert all(r["body"]["stream"] is True for r in anthropic_llm.requests())


def test_anthropic_stream_wire_format(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [{"tool_calls": [{"name": "pods_list", "arguments": {"namespace": "shop"}}]}]})
    headers = {"x-api-key": KEY, "anthropic-version": "2023-06-01"}
    request = {"model": "m", "max_tokens": 64, "messages": USER, "stream": True}
    with httpx2.Client() as http:
        for _ in range(2):  # the same keep-alive connection serves the next request
            with http.stream("POST", f"{anthropic_llm.url}/v1/messages", json=request, headers=headers) as response:
                assert response.status_code == 200 and response.headers["request-id"].startswith("req_")
                assert response.headers["content-type"].startswith("text/event-stream")
                assert response.headers["transfer-encoding"] == "chunked"
                text = response.read().decode()
    events = [block.split("\n") for block in text.split("\n\n") if block]
    assert all(len(e) == 2 and e[0].startswith("event: ") and e[1].startswith("data: ") for e in events)
    named = [(e[0][7:], json.loads(e[1][6:])) for e in events]
    assert all(name == data["type"] for name, data in named), "the SSE event name matches the JSON type"
    assert [n for n, _ in named][:3] == ["message_start", "content_block_start", "ping"]
    assert named[1][1] == {"type": "content_block_start", "index": 0,
                           "content_block": {"type": "tool_use", "id": "toolu_2", "name": "pods_list", "input": {}}}
    deltas = [d["delta"] for n, d in named if n == "content_block_delta"]
    assert deltas[0] == {"type": "input_json_delta", "partial_json": ""}
    assert json.loads("".join(d["partial_json"] for d in deltas)) == {"namespace": "shop"}
    assert named[-2] == ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "tool_use", "stop_sequence": None},
                                           "usage": {"output_tokens": named[-2][1]["usage"]["output_tokens"]}})
    assert named[-1] == ("message_stop", {"type": "message_stop"})


def test_anthropic_errors_surface_as_api_status_errors(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [
        {"status": 429, "headers": {"retry-after": "7"}, "message": "Number of request tokens has exceeded your rate limit"},
        {"status": 529, "message": "Overloaded"},
        {"status": 500},
        {"status": 400, "message": "prompt is too long: 210000 tokens > 200000 maximum"},
        {"status": 503, "body": "upstream connect error", "content_type": "text/plain"},
        {"content": "a partial answer that fails", "error_after_chunks": 4},
        {"content": "unused", "error_after_chunks": 4},
    ], "then": "error"})
    c = claude(anthropic_llm)
    with pytest.raises(anthropic.RateLimitError) as limited:
        c.messages.create(model="m", max_tokens=64, messages=USER)
    assert limited.value.status_code == 429 and limited.value.response.headers["retry-after"] == "7"
    assert limited.value.body == {"type": "error", "error": {"type": "rate_limit_error",
                                                             "message": "Number of request tokens has exceeded your rate limit"}}
    with pytest.raises(anthropic.OverloadedError) as overloaded:
        c.messages.create(model="m", max_tokens=64, messages=USER, stream=True)
    assert overloaded.value.status_code == 529 and overloaded.value.body["error"]["type"] == "overloaded_error"
    with pytest.raises(anthropic.InternalServerError) as failed:
        c.messages.create(model="m", max_tokens=64, messages=USER)
    assert failed.value.status_code == 500 and failed.value.body["error"]["type"] == "api_error"
    with pytest.raises(anthropic.BadRequestError) as too_long:
        c.messages.create(model="m", max_tokens=64, messages=USER)
    assert too_long.value.status_code == 400 and "prompt is too long" in too_long.value.message
    with pytest.raises(anthropic.APIStatusError) as unavailable:
        c.messages.create(model="m", max_tokens=64, messages=USER)
    assert unavailable.value.status_code == 503 and unavailable.value.response.text == "upstream connect error"
    got = []
    with pytest.raises(anthropic.APIStatusError) as midway:
        with c.messages.stream(model="m", max_tokens=64, messages=USER) as stream:
            for event in stream:
                got.append(event.type)
    assert midway.value.body == {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    assert "message_start" in got and "message_stop" not in got
    with pytest.raises(anthropic.OverloadedError):
        c.messages.create(model="m", max_tokens=64, messages=USER)  # error_after_chunks, not streamed: 529
    with pytest.raises(anthropic.InternalServerError) as used_up:
        c.messages.create(model="m", max_tokens=64, messages=USER)
    assert used_up.value.status_code == 500


def test_anthropic_auth_version_and_required_fields(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [{"content": "authorized"}]})
    with pytest.raises(anthropic.AuthenticationError) as denied:
        claude(anthropic_llm, key="sk-wrong").messages.create(model="m", max_tokens=64, messages=USER)
    assert denied.value.status_code == 401
    assert denied.value.body == {"type": "error", "error": {"type": "authentication_error", "message": "invalid x-api-key"}}
    with pytest.raises(anthropic.AuthenticationError):
        claude(anthropic_llm, key="sk-wrong").models.list()
    url = f"{anthropic_llm.url}/v1/messages"
    request = {"model": "m", "max_tokens": 64, "messages": USER}
    with httpx2.Client() as http:
        no_key = http.post(url, json=request, headers={"anthropic-version": "2023-06-01"})
        no_version = http.post(url, json=request, headers={"x-api-key": KEY})
        no_max_tokens = http.post(url, json={"model": "m", "messages": USER},
                                  headers={"x-api-key": KEY, "anthropic-version": "2023-06-01"})
        bearer = http.post(url, json=request, headers={"Authorization": f"Bearer {KEY}", "anthropic-version": "2023-06-01"})
    assert no_key.status_code == 401 and no_key.json()["error"] == {"type": "authentication_error",
                                                                     "message": "x-api-key header is required"}
    assert no_version.status_code == 400 and no_version.json() == {
        "type": "error", "error": {"type": "invalid_request_error", "message": "anthropic-version: header is required"}}
    assert no_max_tokens.status_code == 400 and no_max_tokens.json()["error"]["message"] == "max_tokens: Field required"
    assert bearer.status_code == 200 and bearer.json()["content"] == [{"type": "text", "text": "authorized"}]
    assert claude(anthropic_llm).messages.create(model="m", max_tokens=64, messages=USER).content[0].text == "authorized"
    assert httpx2.get(f"{anthropic_llm.url}/health").json() == {"status": "ok"}


def test_anthropic_models_and_token_count(anthropic_llm: ScriptedLLM):
    c = claude(anthropic_llm)
    page = c.models.list()
    [model] = page.data
    assert isinstance(model, anthropic.types.ModelInfo) and model.type == "model" and model.id == "claude-scripted-4"
    assert model.display_name and model.created_at.year == 2025 and model.max_input_tokens == 200000
    assert page.has_more is False and page.first_id == page.last_id == "claude-scripted-4"
    assert [m.id for m in c.models.list()] == ["claude-scripted-4"]  # auto-pagination stops
    assert c.models.retrieve("claude-scripted-4").id == "claude-scripted-4"
    with pytest.raises(anthropic.NotFoundError) as missing:
        c.models.retrieve("claude-unknown")
    assert missing.value.body["error"]["type"] == "not_found_error"
    counted = c.messages.count_tokens(model="m", system="Be terse.", messages=USER, tools=CLAUDE_TOOLS)
    assert counted.input_tokens > 10
    unknown = httpx2.get(f"{anthropic_llm.url}/v1/files", headers={"x-api-key": KEY})
    assert unknown.status_code == 404 and unknown.json() == {"type": "error", "error": {"type": "not_found_error", "message": "Not Found"}}


def test_anthropic_delay_and_broken_streams(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [
        {"raw": "{\"id\": \"msg_x\", \"content\": ["},
        {"content": "slow", "delay": 2},
        {"content": "a long answer that will stall midway", "stall_after_chunks": 4},
        {"content": "a long answer that will be cut midway", "truncate_after_chunks": 4},
    ]})
    with httpx2.Client() as http:
        raw = http.post(f"{anthropic_llm.url}/v1/messages", json={"model": "m", "max_tokens": 8, "messages": USER},
                        headers={"x-api-key": KEY, "anthropic-version": "2023-06-01"})
    assert raw.status_code == 200 and raw.text == "{\"id\": \"msg_x\", \"content\": ["
    started = time.monotonic()
    with pytest.raises(anthropic.APITimeoutError):
        claude(anthropic_llm, timeout=0.5).messages.create(model="m", max_tokens=8, messages=USER)
    assert time.monotonic() - started < 1.9
    time.sleep(2)  # let the delayed reply finish on the server before the next one is taken
    # Once the stream has begun, the anthropic client lets its transport's (httpx2) errors through.
    got = []
    with pytest.raises(httpx2.ReadTimeout):
        for event in claude(anthropic_llm, timeout=1).messages.create(model="m", max_tokens=8, messages=USER, stream=True):
            got.append(event.type)
    assert got == ["message_start", "content_block_start", "content_block_delta"]  # 4 events, one of them ping
    got = []
    with pytest.raises(httpx2.RemoteProtocolError):
        for event in claude(anthropic_llm).messages.create(model="m", max_tokens=8, messages=USER, stream=True):
            got.append(event.type)
    assert len(got) == 3


def test_anthropic_flavor_keeps_the_openai_endpoint(anthropic_llm: ScriptedLLM):
    anthropic_llm.set_script({"replies": [{"content": "compat"}, {"content": "native"}]})
    assert client(anthropic_llm).chat.completions.create(model="m", messages=MESSAGES).choices[0].message.content == "compat"
    assert claude(anthropic_llm).messages.create(model="m", max_tokens=8, messages=USER).content[0].text == "native"
    seen = anthropic_llm.requests()
    assert [r["path"] for r in seen] == ["/v1/chat/completions", "/v1/messages"]
    assert all(r["authorization"] == f"Bearer {KEY}" for r in seen)
    assert seen[0]["anthropic-version"] is None and seen[1]["anthropic-version"]
    with pytest.raises(openai.AuthenticationError):
        client(anthropic_llm, key="sk-wrong").chat.completions.create(model="m", messages=MESSAGES)
