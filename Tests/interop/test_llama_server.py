"""The real llama.cpp server (fixtures/llama_server.py: xllamacpp + SmolLM2-135M-Instruct Q4_1), read
by the official `openai` client. It proves the wire format Fathom's model client must speak against
real code; behaviour (loops, errors, stalls) is tested with the scripted server instead.

The forced tool-call recipe (Swift code replicates it). SmolLM2-135M writes prose unless all of these
hold; then llama.cpp parses the <tool_call> JSON into OpenAI `tool_calls`, finish_reason "tool_calls":
  - the server's chat template is ChatML with tools in <tools> and calls in <tool_call> tags
    (fixtures/llama_server.py CHAT_TEMPLATE, started with use_jinja);
  - the request:
    POST /v1/chat/completions
    {"model": "SmolLM2-135M-Instruct",
     "messages": [{"role": "system", "content": "You are an SRE assistant."},
                  {"role": "user", "content": "Which pods are crashing in namespace shop?"},
                  {"role": "assistant", "content": "<tool_call>\\n"}],
     "tools": [{"type": "function", "function": {"name": "pods_list", "description": "...",
                "parameters": {"type": "object", "properties": {"namespace": {"type": "string"}}}}}, ...],
     "tool_choice": "required", "stop": ["</tool_call>"], "max_tokens": 128, "temperature": 0}
    (the last assistant message is a prefill: llama.cpp continues it.)
  - non-streamed answer: message {"role": "assistant", "content": "", "tool_calls": [{"type": "function",
    "function": {"name": "pods_list", "arguments": "{\\n    \\"namespace\\": \\"pods_list\\"\\n}"}, "id": "<32
    random chars>"}]}; the argument values are nonsense (the 135M model), the name is always an offered tool.
  - streamed (stream: true): first delta {"role": "assistant", "content": null}, then
    {"tool_calls": [{"index": 0, "id": "...", "type": "function", "function": {"name": "pods_list",
    "arguments": "{"}}]}, then {"tool_calls": [{"index": 0, "function": {"arguments": "\\n    \\""}}]} ...,
    a last chunk with delta {} and finish_reason "tool_calls", with include_usage a chunk with
    choices [] and usage (plus llama.cpp's "timings"), then data: [DONE]. Transfer-Encoding: chunked.
Measured on this 2-core machine (a Swift build running on the other core): the model loads and /health
answers in about 0.9 s; one forced tool call takes 1.5-3 s (prompt ~250 tokens at ~200 tok/s, then
~35 tokens at ~20 tok/s); a 16-token streamed reply about 1 s; this whole file about 10 s.
"""

from __future__ import annotations

import json
import time

import httpx2
import openai
import pytest

from realparts import LlamaServer, start_llama_server

MODEL = "SmolLM2-135M-Instruct"
TOOLS = [
    {"type": "function", "function": {
        "name": "pods_list", "description": "List the Kubernetes pods of a namespace",
        "parameters": {"type": "object", "properties": {"namespace": {"type": "string"}}, "required": ["namespace"]}}},
    {"type": "function", "function": {
        "name": "prometheus_query", "description": "Run a PromQL query",
        "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}},
]
TOOL_NAMES = {t["function"]["name"] for t in TOOLS}
FORCED_TOOL_CALL = {
    "model": MODEL,
    "messages": [
        {"role": "system", "content": "You are an SRE assistant."},
        {"role": "user", "content": "Which pods are crashing in namespace shop?"},
        {"role": "assistant", "content": "<tool_call>\n"},
    ],
    "tools": TOOLS,
    "tool_choice": "required",
    "stop": ["</tool_call>"],
    "max_tokens": 128,
    "temperature": 0,
}


@pytest.fixture(scope="module")
def llama(tmp_path_factory: pytest.TempPathFactory):
    started = time.monotonic()
    server = start_llama_server(tmp_path_factory.mktemp("llama"))
    print(f"llama.cpp server up in {time.monotonic() - started:.2f}s")
    yield server
    server.stop()


def client(server: LlamaServer) -> openai.OpenAI:
    return openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=0, timeout=120)


def test_props_reports_the_context_size(llama: LlamaServer):
    props = httpx2.get(f"{llama.url}/props", timeout=10).json()
    assert props["default_generation_settings"]["n_ctx"] == 4096
    assert props["total_slots"] == 1 and props["model_path"].endswith(".gguf")
    assert "<tool_call>" in props["chat_template"] and props["chat_template_caps"]["supports_tool_calls"] is True
    assert httpx2.get(f"{llama.url}/health", timeout=10).json() == {"status": "ok"}


def test_models_lists_the_model(llama: LlamaServer):
    models = client(llama).models.list()
    assert [m.id for m in models.data] == [MODEL]
    assert models.data[0].owned_by == "llamacpp" and models.data[0].model_extra["meta"]["n_ctx"] == 4096


def test_streamed_completion_produces_text(llama: LlamaServer):
    started = time.monotonic()
    stream = client(llama).chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "Say hello in one short sentence."}],
        max_tokens=16, temperature=0, stream=True, stream_options={"include_usage": True})
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    print(f"streamed {len(chunks)} chunks in {time.monotonic() - started:.2f}s: {text!r}")
    assert text.strip()
    assert chunks[0].choices[0].delta.role == "assistant"
    finish = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finish in (["stop"], ["length"])
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens > 0


def test_forced_tool_call(llama: LlamaServer):
    started = time.monotonic()
    response = httpx2.post(f"{llama.base_url}/chat/completions", json=FORCED_TOOL_CALL, timeout=120)
    print(f"forced tool call in {time.monotonic() - started:.2f}s: {response.text[:400]}")
    assert response.status_code == 200, response.text
    choice = response.json()["choices"][0]
    assert choice["finish_reason"] == "tool_calls", choice
    call = choice["message"]["tool_calls"][0]
    assert call["type"] == "function" and call["function"]["name"] in TOOL_NAMES and call["id"]
    assert isinstance(json.loads(call["function"]["arguments"]), dict)


def test_forced_tool_call_through_the_openai_client_streamed(llama: LlamaServer):
    request = {k: v for k, v in FORCED_TOOL_CALL.items() if k != "model"}
    stream = client(llama).chat.completions.create(model=MODEL, stream=True, **request)
    name, arguments, ids, finish = "", "", set(), None
    for chunk in stream:
        if not chunk.choices:
            continue
        for tc in chunk.choices[0].delta.tool_calls or []:
            assert tc.index == 0
            if tc.id:
                ids.add(tc.id)
            name += (tc.function.name or "") if tc.function else ""
            arguments += (tc.function.arguments or "") if tc.function else ""
        finish = chunk.choices[0].finish_reason or finish
    assert finish == "tool_calls" and name in TOOL_NAMES and len(ids) == 1
    assert isinstance(json.loads(arguments), dict)
