"""Talking to Ollama hosts through the official ``ollama`` client.

This module owns the host status shown in the app (reachable, which models) and turns the
client's failures into messages a person can act on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import ollama

from luna_core.errors import LLMUnavailableError


@dataclass(frozen=True)
class HostStatus:
    host: str
    reachable: bool
    models: list[str] = field(default_factory=list)
    message: str = ""


def describe_failure(error: Exception, host: str) -> str:
    """A sentence that says what went wrong with ``host`` and what to do about it."""
    if isinstance(error, (ConnectionError, httpx.ConnectError, httpx.RemoteProtocolError)):
        return (f"Luna cannot reach the language model host at {host}. Start Ollama "
                "('ollama serve') or set OLLAMA_HOST to a host that is running.")
    if isinstance(error, httpx.TimeoutException):
        return f"The language model host at {host} did not answer in time. It may be busy: try again."
    if isinstance(error, ollama.ResponseError):
        if error.status_code in (401, 403):
            return f"The host at {host} refused Luna's API key. Check the key in the settings."
        return f"The language model host at {host} answered with an error: {error.error}"
    return f"Talking to the language model host at {host} failed: {error}"


def check_host(host: str, timeout: float = 2.0, headers: dict[str, str] | None = None) -> HostStatus:
    """Ask ``host`` which models it has; never raises for an unreachable or failing host."""
    try:
        response = ollama.Client(host=host, timeout=timeout, headers=headers).list()
    except (ConnectionError, httpx.HTTPError, ollama.ResponseError) as error:
        return HostStatus(host=host, reachable=False, message=describe_failure(error, host))
    models = sorted(m.model for m in response.models if m.model)
    if not models:
        return HostStatus(host=host, reachable=True, models=[],
                          message=f"{host} is running but has no models yet: 'ollama pull llama3.2'.")
    return HostStatus(host=host, reachable=True, models=models,
                      message=f"{len(models)} model{'s' if len(models) != 1 else ''} available")


def failure_kind(error: Exception) -> str:
    if isinstance(error, httpx.TimeoutException):
        return "timeout"
    if isinstance(error, ollama.ResponseError) and error.status_code == 404:
        return "model_missing"
    if isinstance(error, (ConnectionError, httpx.TransportError)):
        return "unreachable"
    return "error"


class OllamaChat:
    """Streaming chat through the official ``ollama`` client against one host."""

    def __init__(self, host: str, timeout: float = 120.0, api_key: str | None = None) -> None:
        self.host = host
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else None
        self.client = ollama.Client(host=host, timeout=timeout, headers=headers)

    def stream(self, model: str, messages: list[dict[str, str]], options: dict[str, Any]) -> Iterator[str]:
        """The reply, piece by piece; every failure becomes ``LLMUnavailableError`` with a message
        that says what to do (for a model that is not pulled: the ``ollama pull`` command)."""
        try:
            for part in self.client.chat(model=model, messages=messages, options=options, stream=True):
                piece = part.message.content if part.message else ""
                if piece:
                    yield piece
        except (ConnectionError, httpx.HTTPError, ollama.ResponseError) as error:
            kind = failure_kind(error)
            if kind == "model_missing":
                message = (f"The model '{model}' is not available on {self.host}. "
                           f"Download it with: ollama pull {model}")
            else:
                message = describe_failure(error, self.host)
            raise LLMUnavailableError(message, kind) from error
