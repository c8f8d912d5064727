"""The fake Ollama server works with the real ``ollama.Client``, and pins down how that client behaves
(what it sends, what it raises) so ``luna_core.chat.llm`` can rely on it."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import ollama
import pytest

from tests.fake_ollama import DEFAULT_REPLY, FakeOllama, split_into_pieces

MODEL = "llama3.2:latest"
MESSAGES = [
    {"role": "system", "content": "You are Luna, a calm CBT companion."},
    {"role": "user", "content": "I keep thinking I will fail my exam."},
]


@pytest.fixture(autouse=True)
def no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """httpx honours *_PROXY variables even for 127.0.0.1; a developer's proxy must not intercept."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def server() -> Iterator[FakeOllama]:
    with FakeOllama(models=[MODEL]) as running:
        yield running


@pytest.fixture
def client(server: FakeOllama) -> Iterator[ollama.Client]:
    with ollama.Client(host=server.url, timeout=5) as real_client:
        yield real_client


def stream_chat(client: ollama.Client, **kwargs: object) -> list[ollama.ChatResponse]:
    """Run a streamed chat to the end and return every chunk."""
    return list(client.chat(model=kwargs.pop("model", MODEL), messages=MESSAGES, stream=True, **kwargs))


# --- happy paths -----------------------------------------------------------------------------------


def test_binds_loopback_on_an_os_chosen_port(server: FakeOllama) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert int(server.url.rsplit(":", 1)[1]) > 0


def test_list_returns_the_configured_models(server: FakeOllama, client: ollama.Client) -> None:
    models = client.list().models
    assert [m.model for m in models] == [MODEL]
    assert models[0].details is not None and models[0].details.family == "llama"
    server.models.append("qwen2.5:7b")  # mutable at runtime
    assert [m.model for m in client.list().models] == [MODEL, "qwen2.5:7b"]


def test_root_version_and_unknown_paths(server: FakeOllama) -> None:
    with httpx.Client(base_url=server.url) as raw:
        assert raw.get("/").text == "Ollama is running"
        assert raw.get("/api/version").json() == {"version": "0.12.0"}
        missing = raw.get("/api/nope")
        assert missing.status_code == 404 and missing.json() == {"error": "not found"}


def test_show_known_and_unknown_model(client: ollama.Client) -> None:
    shown = client.show(MODEL)
    assert shown.details is not None and shown.details.quantization_level == "Q4_K_M"
    with pytest.raises(ollama.ResponseError) as caught:
        client.show("nope:1b")
    assert caught.value.status_code == 404
    assert caught.value.error == "model 'nope:1b' not found"


def test_streamed_chat_yields_the_reply_in_pieces(client: ollama.Client) -> None:
    chunks = stream_chat(client)
    pieces = [c.message.content for c in chunks[:-1]]
    assert len(pieces) > 1 and pieces == split_into_pieces(DEFAULT_REPLY)
    assert "".join(c.message.content or "" for c in chunks) == DEFAULT_REPLY
    assert all(c.done is False for c in chunks[:-1])
    final = chunks[-1]
    assert final.done is True and final.done_reason == "stop" and final.message.content == ""
    assert final.eval_count == len(pieces) and (final.prompt_eval_count or 0) > 0


def test_request_records_messages_options_and_model(server: FakeOllama, client: ollama.Client) -> None:
    stream_chat(client, options={"temperature": 0.3, "num_predict": 64, "top_p": 0.8})
    (sent,) = server.requests
    assert sent["model"] == MODEL and sent["stream"] is True
    assert sent["messages"] == MESSAGES
    assert sent["options"] == {"temperature": 0.3, "num_predict": 64, "top_p": 0.8}


def test_unstreamed_chat_returns_the_whole_message(server: FakeOllama, client: ollama.Client) -> None:
    response = client.chat(model=MODEL, messages=MESSAGES, stream=False)
    assert response.message.content == DEFAULT_REPLY and response.done is True
    assert server.requests[-1]["stream"] is False


def test_reply_and_reply_fn_set_the_answer(server: FakeOllama, client: ollama.Client) -> None:
    server.reply = "Short answer."
    assert "".join(c.message.content or "" for c in stream_chat(client)) == "Short answer."
    server.reply_fn = lambda request: f"You said: {request['messages'][-1]['content']}"
    text = "".join(c.message.content or "" for c in stream_chat(client))
    assert text == "You said: I keep thinking I will fail my exam."


def test_untagged_name_matches_latest_like_ollama(client: ollama.Client) -> None:
    assert stream_chat(client, model="llama3.2")[-1].done is True


def test_streaming_is_incremental(server: FakeOllama, client: ollama.Client) -> None:
    server.reply = "one two three four"
    server.chunk_delay_seconds = 0.2  # three gaps: the last piece leaves >= 0.6 s after the first
    arrivals = [time.monotonic() for _ in client.chat(model=MODEL, messages=MESSAGES, stream=True)]
    assert arrivals[-1] - arrivals[0] >= 0.5  # buffered delivery would land everything at once


# --- failures, and the exception types the client raises for them ----------------------------------


def test_missing_model_is_a_404_response_error(server: FakeOllama, client: ollama.Client) -> None:
    stream = client.chat(model="mistral:7b", messages=MESSAGES, stream=True)
    assert server.requests == []  # a streamed chat is lazy: nothing is sent before iterating
    with pytest.raises(ollama.ResponseError) as caught:
        next(iter(stream))
    assert caught.value.status_code == 404
    assert caught.value.error == 'model "mistral:7b" not found, try pulling it first'
    assert "not found" in str(caught.value)
    with pytest.raises(ollama.ResponseError) as unstreamed:
        client.chat(model="mistral:7b", messages=MESSAGES, stream=False)
    assert unstreamed.value.status_code == 404


def test_server_error_is_a_response_error_with_its_status(server: FakeOllama,
                                                          client: ollama.Client) -> None:
    server.fail_status = 500
    with pytest.raises(ollama.ResponseError) as caught:
        stream_chat(client)
    assert caught.value.status_code == 500 and caught.value.error == "internal server error"
    assert len(server.requests) == 1  # recorded even though it failed
    with pytest.raises(ollama.ResponseError) as listed:
        client.list()
    assert listed.value.status_code == 500


def test_slow_server_raises_httpx_timeout(server: FakeOllama) -> None:
    server.delay_seconds = 2
    with ollama.Client(host=server.url, timeout=0.5) as impatient:
        started = time.monotonic()
        with pytest.raises(httpx.TimeoutException):  # ReadTimeout; the client does not wrap it
            stream_chat(impatient)
        assert time.monotonic() - started < 1.5
        with pytest.raises(httpx.TimeoutException):
            impatient.list()


def test_closed_port_raises_connection_error_but_not_when_streaming() -> None:
    with FakeOllama() as stopped:
        url = stopped.url
    with ollama.Client(host=url, timeout=2) as unreachable:
        # Unstreamed calls go through _request_raw, which turns httpx.ConnectError into the builtin.
        with pytest.raises(ConnectionError, match="Failed to connect to Ollama"):
            unreachable.list()
        # Streamed calls bypass that wrapper: the raw httpx.ConnectError escapes (not a ConnectionError).
        with pytest.raises(httpx.ConnectError):
            stream_chat(unreachable)
    assert not issubclass(httpx.ConnectError, ConnectionError)


def test_stop_is_prompt_even_with_a_sleeping_handler() -> None:
    server = FakeOllama().start()
    server.delay_seconds = 30
    with ollama.Client(host=server.url, timeout=0.2) as impatient:
        with pytest.raises(httpx.TimeoutException):
            impatient.list()
    started = time.monotonic()
    server.stop()
    assert time.monotonic() - started < 1
    with pytest.raises(RuntimeError):
        _ = server.url


def test_closing_the_stream_early_stops_at_once(server: FakeOllama, client: ollama.Client) -> None:
    server.chunk_delay_seconds = 0.5  # the whole reply would take several seconds
    stream = client.chat(model=MODEL, messages=MESSAGES, stream=True)
    first = next(iter(stream))
    started = time.monotonic()
    stream.close()  # what a Stop button does: drops the connection without reading the rest
    assert first.message.content and time.monotonic() - started < 0.2
    assert client.list().models  # the client stays usable afterwards


def test_server_dying_mid_stream_raises_httpx_protocol_error(server: FakeOllama,
                                                             client: ollama.Client) -> None:
    server.chunk_delay_seconds = 0.3
    stream = iter(client.chat(model=MODEL, messages=MESSAGES, stream=True))
    next(stream)
    server.stop()  # abandons the chunked body half-way
    with pytest.raises(httpx.RemoteProtocolError):  # a transport error, not ConnectionError/ResponseError
        list(stream)
