"""The roadmap's RAGEnhancedAgentService: one answer to one message, safely.

Order, for every message: store it; crisis scan before anything reaches the LLM; retrieve the
persona's passages (crisis material favoured in a crisis); build the prompt; stream the model's
reply sentence by sentence, each sentence checked before it is shown; crisis resources come first
whatever the persona says; without a reachable model, an honest offline answer with the most
relevant passages. Nothing a person wrote goes into events or logs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from luna_core.chat.conversations import ConversationStore
from luna_core.chat.llm import OllamaChat
from luna_core.chat.prompt import PromptParts, build_messages
from luna_core.chat.retrieval import Passage, Retriever, page_label
from luna_core.config import Settings
from luna_core.errors import LLMUnavailableError
from luna_core.personas.service import Persona, PersonaService
from luna_core.safety.detector import CrisisAssessment, CrisisDetector, check_reply
from luna_core.safety.resources import crisis_message
from luna_core.store.events import EventLog
from luna_core.store.users import User

_BOUNDARY = re.compile(r"(?<=[.!?:])\s|\n")
EXCERPT_CHARS = 280


@dataclass
class Turn:
    """Everything decided before the first token, and what the stream produced."""
    user: User
    persona: Persona
    conversation_id: str
    message: str
    assessment: CrisisAssessment
    passages: list[Passage]
    prompt: PromptParts
    host: str
    started: float
    prepared_ms: float
    content: str = ""
    offline: bool = False
    offline_reason: str | None = None
    reply_flags: list[str] = field(default_factory=list)
    first_token_ms: float | None = None

    @property
    def options(self) -> dict[str, Any]:
        p = self.persona
        options = {"temperature": p.temperature, "num_predict": p.max_tokens, "top_p": p.top_p,
                   "repeat_penalty": p.repeat_penalty}
        return {k: v for k, v in options.items() if v is not None}


@dataclass(frozen=True)
class Answer:
    content: str
    sources: list[dict[str, Any]]
    context_used: bool
    crisis: dict[str, Any]
    offline: bool
    model: str | None
    conversation_id: str
    message_id: int

    def to_dict(self) -> dict[str, Any]:
        return {"content": self.content,
                "sources": [{k: s[k] for k in ("dataset_name", "source_file", "page_reference", "relevance_score")}
                            for s in self.sources],
                "context_used": self.context_used, "crisis": self.crisis, "offline": self.offline,
                "model": self.model, "conversation_id": self.conversation_id, "message_id": self.message_id}


def source_of(passage: Passage) -> dict[str, Any]:
    """What the answer shows under 'Based on your documents', with the passage to open."""
    return {"dataset_name": passage.dataset_name, "source_file": passage.source_file,
            "page_reference": passage.page_reference, "section": passage.section,
            "relevance_score": round(passage.relevance_score, 4), "chunk_id": passage.chunk_id,
            "access_level": passage.access_level, "content": passage.content}


def offline_text(reason: str, passages: list[Passage]) -> str:
    lines = [f"I can't reach my language model right now, so I can't write a proper reply. ({reason})"]
    if passages:
        lines.append("\nThese passages from your documents seem most relevant to what you wrote:")
        for p in passages:
            where = f", {page_label(p.page_reference)}" if page_label(p.page_reference) else ""
            excerpt = " ".join(p.content.split())
            excerpt = excerpt if len(excerpt) <= EXCERPT_CHARS else excerpt[:EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
            lines.append(f"- **{p.dataset_name}**{where}: {excerpt}")
    else:
        lines.append("Please try again in a moment.")
    return "\n".join(lines)


class ChatService:
    def __init__(self, settings: Settings, personas: PersonaService, conversations: ConversationStore,
                 retriever: Retriever, detector: CrisisDetector, events: EventLog) -> None:
        self.settings, self.personas, self.conversations = settings, personas, conversations
        self.retriever, self.detector, self.events = retriever, detector, events
        # one client (and connection pool) per host for the life of the service
        self._local = OllamaChat(settings.ollama_host, settings.llm_timeout)
        self._cloud = OllamaChat(settings.ollama_cloud_host, settings.llm_timeout, settings.cloud_api_key)

    def chat_model(self, persona: Persona) -> OllamaChat:
        """'cloud' personas talk to the cloud host with its API key; everyone else to OLLAMA_HOST."""
        return self._cloud if persona.category == "cloud" else self._local

    def prepare(self, user: User, persona_id: str, message: str, conversation_id: str | None = None,
                regenerate: bool = False) -> Turn:
        """Scan, retrieve and build the prompt; the user's message is stored first."""
        started = time.perf_counter()
        persona = self.personas.get(user, persona_id)
        if conversation_id is None:
            title = " ".join(message.split()[:6])[:60] or "New conversation"
            conversation_id = self.conversations.create(user, persona.id, title).id
        history = [{"role": m.role, "content": m.content}
                   for m in self.conversations.messages(user, conversation_id)]
        if regenerate and history and history[-1]["role"] == "user":
            message = history.pop()["content"]
        else:
            self.conversations.add(user, conversation_id, "user", message)
        assessment = self.detector.assess(message)
        if assessment.level != "none":
            self.events.record(user.id, "safety_flag", {"level": assessment.level, "categories": assessment.categories,
                                                        "persona_id": persona.id, "source": "user_message"})
        passages = self.retriever.retrieve(user, persona, message, k=self.settings.max_chunks,
                                           crisis=assessment.crisis)
        prompt = build_messages(persona.prompt, message, passages, history, self.settings.history_turns,
                                context_tokens=self.settings.context_tokens, reply_tokens=persona.max_tokens or 1024)
        host = self.chat_model(persona).host
        return Turn(user, persona, conversation_id, message, assessment, passages, prompt, host, started,
                    (time.perf_counter() - started) * 1000)

    def stream(self, turn: Turn) -> Iterator[str]:
        """The reply as it is written: crisis resources first when needed, then checked sentences."""
        if turn.assessment.crisis:
            preface = crisis_message(self.settings.crisis_region, turn.assessment.level) + "\n\n"
            turn.content += preface
            yield preface
        model = self.chat_model(turn.persona)
        buffer = ""
        try:
            pieces = model.stream(turn.persona.model or self.settings.default_local_model, turn.prompt.messages,
                                  {**turn.options, "num_ctx": self.settings.context_tokens})
            for piece in pieces:
                if turn.first_token_ms is None:
                    turn.first_token_ms = (time.perf_counter() - turn.started) * 1000
                buffer += piece
                ready, buffer = _split_at_boundary(buffer)
                if ready:
                    released, stop = self._checked(turn, ready)
                    yield released
                    if stop:
                        pieces.close()
                        return
            if buffer:
                yield self._checked(turn, buffer)[0]
        except LLMUnavailableError as error:
            turn.offline, turn.offline_reason = True, str(error)
            text = offline_text(str(error), turn.passages)
            turn.content += text
            yield text

    def _checked(self, turn: Turn, text: str) -> tuple[str, bool]:
        """(what to show, whether the model's reply must stop here). Safe text passes; a wrong
        crisis number is corrected; anything harmful is withheld and replaced by a caring message."""
        check = check_reply(turn.content + text, self.settings.crisis_region)
        if check.safe:
            turn.content += text
            return text, False
        turn.reply_flags.extend(r for r in check.reasons if r not in turn.reply_flags)
        self.events.record(turn.user.id, "safety_flag", {"level": "reply_blocked", "categories": check.reasons,
                                                         "persona_id": turn.persona.id, "source": "model_reply"})
        replacement = check.replacement or ""
        if replacement.startswith(turn.content):  # a correction of the newest text only
            shown = replacement[len(turn.content):]
            turn.content = replacement
            return shown, False
        shown = ("\n\n" if turn.content else "") + replacement
        turn.content += shown
        return shown, True

    def finish(self, turn: Turn) -> Answer:
        """Store the answer with its sources and timings; record the usage event."""
        sources = [source_of(p) for p in turn.passages]
        context_used = bool(turn.passages) and not turn.offline
        model = turn.persona.model or self.settings.default_local_model
        timings = {"prepare_ms": round(turn.prepared_ms, 1), "total_ms": round((time.perf_counter() - turn.started) * 1000, 1)}
        if turn.first_token_ms is not None:
            timings["first_token_ms"] = round(turn.first_token_ms, 1)
        saved = self.conversations.add(turn.user, turn.conversation_id, "assistant", turn.content.strip(),
                                       sources=sources, context_used=context_used,
                                       crisis_level=turn.assessment.level, offline=turn.offline,
                                       model=None if turn.offline else model, timings=timings)
        self.events.record(turn.user.id, "chat_answer", {
            "persona_id": turn.persona.id, "conversation_id": turn.conversation_id, "context_used": context_used,
            "passages": len(turn.passages), "crisis_level": turn.assessment.level, "offline": turn.offline,
            "reply_flags": turn.reply_flags, "model": model}, duration_ms=timings["total_ms"])
        return Answer(saved.content, sources, context_used,
                      {"detected": turn.assessment.crisis, "level": turn.assessment.level},
                      turn.offline, None if turn.offline else model, turn.conversation_id, saved.id)

    def ask(self, user: User, persona_id: str, message: str, conversation_id: str | None = None) -> Answer:
        """One whole answer (the CLI's ``ask``)."""
        turn = self.prepare(user, persona_id, message, conversation_id)
        for _ in self.stream(turn):
            pass
        return self.finish(turn)


def _split_at_boundary(text: str) -> tuple[str, str]:
    """(complete sentences, the unfinished rest)."""
    last = None
    for match in _BOUNDARY.finditer(text):
        last = match
    if last is None:
        return "", text
    return text[:last.end()], text[last.end():]
