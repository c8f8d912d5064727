"""A deterministic, loopback-only stand-in for the Ollama HTTP API, for tests.

It speaks just enough of the API (``/api/tags``, ``/api/version``, ``/api/show``, ``/api/chat``) for the
real ``ollama.Client`` to work against it, records every chat request, and has knobs to make it slow,
fail or stream slowly. Standard library only; it binds 127.0.0.1 on an OS-chosen port and nothing else.

    with FakeOllama(models=["llama3.2:latest"]) as server:
        client = ollama.Client(host=server.url)
        server.reply = "Hello there."
        ...
        assert server.requests[-1]["options"]["temperature"] == 0.3
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, cast

DEFAULT_REPLY = "I hear you. Let's try a thought record together."
CREATED_AT = "2025-01-01T00:00:00Z"  # fixed so responses are byte-for-byte reproducible
VERSION = "0.12.0"

JsonObject = dict[str, Any]


def split_into_pieces(text: str) -> list[str]:
    """Word-ish pieces (each word with its trailing whitespace); joined they give back ``text`` exactly."""
    return re.findall(r"\S+\s*|\s+", text)


def full_model_name(name: str) -> str:
    """Ollama treats ``llama3.2`` as ``llama3.2:latest``; normalise so both spellings match."""
    return name if ":" in name else f"{name}:latest"


def model_entry(name: str) -> JsonObject:
    """One model as ``/api/tags`` lists it."""
    return {
        "name": name,
        "model": name,
        "modified_at": CREATED_AT,
        "size": 123,
        "digest": "sha256:" + hashlib.sha256(name.encode()).hexdigest(),
        "details": model_details(),
    }


def model_details() -> JsonObject:
    """The ``details`` block shared by ``/api/tags`` and ``/api/show``."""
    return {
        "parent_model": "",
        "format": "gguf",
        "family": "llama",
        "families": ["llama"],
        "parameter_size": "3B",
        "quantization_level": "Q4_K_M",
    }


def show_body(name: str) -> JsonObject:
    """What ``/api/show`` returns for a known model (``model_info`` is required by the client's type)."""
    return {
        "modelfile": f"FROM {name}\n",
        "parameters": "temperature 0.8",
        "template": "{{ .Prompt }}",
        "details": model_details(),
        "model_info": {"general.architecture": "llama", "llama.context_length": 131072},
        "capabilities": ["completion"],
        "modified_at": CREATED_AT,
    }


def count_words(messages: Iterable[Any]) -> int:
    """A stand-in for the prompt token count: words across all message contents."""
    return sum(len(str(m.get("content") or "").split()) for m in messages if isinstance(m, dict))


class _Server(ThreadingHTTPServer):
    """The HTTP server; keeps a back-reference to its ``FakeOllama`` and its open connections."""

    daemon_threads = True
    allow_reuse_address = False  # port 0 is always fresh; never share a port with anything else

    def __init__(self, fake: FakeOllama, port: int = 0) -> None:
        self.fake = fake
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Cut keep-alive and in-flight connections so handler threads end promptly on stop()."""
        with self.connections_lock:
            connections = list(self.connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed by the peer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that timed out or was stopped closes its socket while we still write: expected in
        # these tests, so stay quiet. Anything else is a bug in the fake and should be loud.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Routes one HTTP/1.1 request to the fake's behaviour."""

    protocol_version = "HTTP/1.1"  # keep-alive + chunked streaming, like the real server
    server_version = "FakeOllama"
    sys_version = ""

    @property
    def fake(self) -> FakeOllama:
        return cast(_Server, self.server).fake

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - signature from the base
        """Silence the default per-request logging on stderr."""

    def do_GET(self) -> None:  # noqa: N802 - name fixed by BaseHTTPRequestHandler
        self._read_body()
        if not self._before_responding():
            return
        if self.path == "/":
            self._send_text(200, "Ollama is running")
        elif self.path == "/api/tags":
            self._send_json(200, {"models": [model_entry(name) for name in list(self.fake.models)]})
        elif self.path == "/api/version":
            self._send_json(200, {"version": VERSION})
        else:
            self._send_json(404, {"error": "not found"})

    def do_HEAD(self) -> None:  # noqa: N802
        if self.path == "/":
            self._send_bytes(200, b"", "text/plain; charset=utf-8")
        else:
            self._send_bytes(404, b"", "text/plain; charset=utf-8")

    def do_POST(self) -> None:  # noqa: N802
        raw = self._read_body()
        body = self._parse_json(raw)
        if self.path == "/api/chat" and body is not None:
            self.fake.record(body, self.headers.get("Authorization"))
        if not self._before_responding():
            return
        if body is None:
            self._send_json(400, {"error": "invalid JSON in request body"})
        elif self.path == "/api/chat":
            self._chat(body)
        elif self.path == "/api/show":
            self._show(body)
        else:
            self._send_json(404, {"error": "not found"})

    def do_DELETE(self) -> None:  # noqa: N802
        self._read_body()
        if self._before_responding():
            self._send_json(404, {"error": "not found"})

    # --- endpoints -------------------------------------------------------------------------------

    def _show(self, body: JsonObject) -> None:
        name = str(body.get("model") or body.get("name") or "")
        if self.fake.knows(name):
            self._send_json(200, show_body(full_model_name(name)))
        else:
            self._send_json(404, {"error": f"model '{name}' not found"})

    def _chat(self, body: JsonObject) -> None:
        name = str(body.get("model") or "")
        if not self.fake.knows(name):
            self._send_json(404, {"error": f'model "{name}" not found, try pulling it first'})
            return
        reply = self.fake.reply_for(body)
        if body.get("stream", True):  # Ollama streams unless told not to
            self._stream_chat(name, body, reply)
        else:
            self._send_json(200, self._final_chunk(name, body, reply, content=reply))

    def _stream_chat(self, name: str, body: JsonObject, reply: str) -> None:
        """NDJSON over chunked transfer encoding, one line per chunk, flushed as it goes."""
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        pieces = split_into_pieces(reply)
        for index, piece in enumerate(pieces):
            if index and self.fake.wait(self.fake.chunk_delay_seconds):
                self.close_connection = True  # stopping: abandon the stream mid-way
                return
            self._write_chunk(self._chunk(name, piece))
        self._write_chunk(self._final_chunk(name, body, reply, content=""))
        self._write_raw(b"0\r\n\r\n")

    # --- response building -----------------------------------------------------------------------

    @staticmethod
    def _chunk(name: str, piece: str) -> JsonObject:
        return {
            "model": name,
            "created_at": CREATED_AT,
            "message": {"role": "assistant", "content": piece},
            "done": False,
        }

    @staticmethod
    def _final_chunk(name: str, body: JsonObject, reply: str, content: str) -> JsonObject:
        """The closing object: ``content`` is empty when streaming (the pieces carried the text)."""
        return {
            "model": name,
            "created_at": CREATED_AT,
            "message": {"role": "assistant", "content": content},
            "done": True,
            "done_reason": "stop",
            "total_duration": 1_000_000,
            "load_duration": 100_000,
            "prompt_eval_count": count_words(body.get("messages") or []),
            "prompt_eval_duration": 200_000,
            "eval_count": len(split_into_pieces(reply)),
            "eval_duration": 700_000,
        }

    # --- plumbing --------------------------------------------------------------------------------

    def _before_responding(self) -> bool:
        """Apply the delay and failure knobs; False when the response is already sent (or abandoned)."""
        if self.fake.wait(self.fake.delay_seconds):
            self.close_connection = True
            return False
        status = self.fake.fail_status
        if status:
            self._send_json(status, {"error": self.fake.fail_message})
            return False
        return True

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    @staticmethod
    def _parse_json(raw: bytes) -> JsonObject | None:
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _send_json(self, status: int, payload: JsonObject) -> None:
        self._send_bytes(status, json.dumps(payload).encode(), "application/json; charset=utf-8")

    def _send_text(self, status: int, text: str) -> None:
        self._send_bytes(status, text.encode(), "text/plain; charset=utf-8")

    def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self._write_raw(data)

    def _write_chunk(self, payload: JsonObject) -> None:
        line = json.dumps(payload).encode() + b"\n"
        self._write_raw(b"%x\r\n%s\r\n" % (len(line), line))

    def _write_raw(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()


class FakeOllama:
    """A running fake Ollama on 127.0.0.1; use as a context manager or call start()/stop().

    Knobs (plain attributes, safe to change while it runs):
      ``models``               model names it has (``"x"`` also matches ``"x:latest"``)
      ``reply`` / ``reply_fn`` the assistant's answer, fixed or computed from the request JSON
      ``delay_seconds``        sleep before the first byte of every response (to trigger timeouts)
      ``chunk_delay_seconds``  sleep between streamed chunks (to test Stop mid-stream)
      ``fail_status``          answer every request with this status and ``{"error": fail_message}``
    ``requests`` lists every ``/api/chat`` body received, parsed, in arrival order, and
    ``authorizations`` the ``Authorization`` header each came with (None when absent).
    """

    def __init__(self, models: Iterable[str] = ("llama3.2:latest",), reply: str = DEFAULT_REPLY,
                 port: int = 0) -> None:
        self.port = port  # 0: an OS-chosen port; a fixed one lets a test bring a host up where an app expects it
        self.models: list[str] = list(models)
        self.reply = reply
        self.reply_fn: Callable[[JsonObject], str] | None = None
        self.delay_seconds = 0.0
        self.chunk_delay_seconds = 0.0
        self.fail_status: int | None = None
        self.fail_message = "internal server error"
        self.requests: list[JsonObject] = []
        self.authorizations: list[str | None] = []
        self._requests_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, suitable for ``ollama.Client(host=...)``."""
        if self._server is None:
            raise RuntimeError("FakeOllama is not running; call start() first")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def start(self) -> FakeOllama:
        """Bind an OS-chosen loopback port and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("FakeOllama is already running")
        self._stopping.clear()
        self._server = _Server(self, self.port)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-ollama", daemon=True
        )  # a short poll keeps stop() (which waits for the next poll) fast
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, cut open connections (waking any sleeping handler) and close the socket."""
        server, thread = self._server, self._thread
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeOllama:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- used by the handler ---------------------------------------------------------------------

    def record(self, body: JsonObject, authorization: str | None = None) -> None:
        """Keep a chat request so tests can assert what the client sent."""
        with self._requests_lock:
            self.requests.append(body)
            self.authorizations.append(authorization)

    def knows(self, name: str) -> bool:
        """Whether ``name`` is one of the configured models (tag ``:latest`` implied)."""
        return bool(name) and full_model_name(name) in {full_model_name(m) for m in list(self.models)}

    def reply_for(self, body: JsonObject) -> str:
        """The assistant text for this request: ``reply_fn(body)`` if set, else ``reply``."""
        return self.reply_fn(body) if self.reply_fn is not None else self.reply

    def wait(self, seconds: float) -> bool:
        """Sleep up to ``seconds``; True (stop early) when the server is being stopped."""
        if seconds <= 0:
            return self._stopping.is_set()
        return self._stopping.wait(seconds)
