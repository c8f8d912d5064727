"""The roadmap's RAGEnhancedAgentService: one answer to one message, safely.

Order, for every message: the crisis assessment, with the person's recent turns; the message is
stored; retrieval (in a crisis only coping and crisis-skill passages); the person's own data the
persona may read (journal, mood, profile: ``journal.context``); the prompt; the model's
reply streamed sentence by sentence, each sentence checked before it is shown. Crisis resources
come first whatever the persona says, and they never depend on anything after the assessment: if
retrieval, the index, the reply check's model or the language model fails, the person still gets
the resources and a caring message, and the failure is recorded (as an event, never with text).
Without a reachable model, an honest offline answer points to the most relevant passages. Right
before a prompt leaves for a cloud host, the person's consent for that persona is read again: own
data without it never goes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from luna_core.chat.answers import excerpt, offline_text, source_of
from luna_core.chat.conversations import ConversationStore, shorten
from luna_core.chat.llm import OllamaChat
from luna_core.chat.prompt import PromptParts, build_messages
from luna_core.chat.retrieval import Passage, Retriever
from luna_core.config import Settings
from luna_core.errors import LLMUnavailableError, PermissionDeniedError, ValidationError
from luna_core.journal.context import OwnData, own_data
from luna_core.journal.entries import Journal
from luna_core.journal.profile import Profiles
from luna_core.personas.records import own_data_allowed
from luna_core.personas.service import Persona, PersonaService
from luna_core.safety.detector import CrisisAssessment, CrisisDetector, assess_fail_safe
from luna_core.safety.reply import ReplyCheck
from luna_core.safety.resources import crisis_message
from luna_core.store.events import EventLog
from luna_core.store.flags import FlagStore
from luna_core.store.users import User

log = logging.getLogger(__name__)
_BOUNDARY = re.compile(r"(?<=[.!?:])\s|\n")
RETRIEVAL_FLAG = "RAG_DOCUMENT_PROCESSING"
TITLE_CHARS = 60


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
    model_from: int = 0  # where the model's text begins in ``content`` (after the crisis preface)
    offline: bool = False
    offline_reason: str | None = None
    reply_flags: list[str] = field(default_factory=list)
    first_token_ms: float | None = None
    failures: list[str] = field(default_factory=list)
    regenerated: bool = False
    history: list[dict[str, str]] = field(default_factory=list)
    own: OwnData = field(default_factory=OwnData)

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
        keys = ("dataset_name", "source_file", "page_reference", "relevance_score")
        return {"content": self.content,
                "sources": [{**{k: s[k] for k in keys}, "excerpt": excerpt(s)} for s in self.sources],
                "context_used": self.context_used, "crisis": self.crisis, "offline": self.offline,
                "model": self.model, "conversation_id": self.conversation_id, "message_id": self.message_id}


class ChatService:
    def __init__(self, settings: Settings, personas: PersonaService, conversations: ConversationStore,
                 retriever: Retriever, detector: CrisisDetector, events: EventLog,
                 flags: FlagStore | None = None, journal: Journal | None = None,
                 profiles: Profiles | None = None) -> None:
        self.settings, self.personas, self.conversations = settings, personas, conversations
        self.retriever, self.detector, self.events, self.flags = retriever, detector, events, flags
        self.journal, self.profiles = journal, profiles
        # one client (and connection pool) per host for the life of the service
        self._local = OllamaChat(settings.ollama_host, settings.llm_timeout)
        self._cloud = OllamaChat(settings.ollama_cloud_host, settings.llm_timeout, settings.cloud_api_key)

    def chat_model(self, persona: Persona) -> OllamaChat:
        """'cloud' personas talk to the cloud host with its API key; everyone else to OLLAMA_HOST."""
        return self._cloud if persona.category == "cloud" else self._local

    def setup_problem(self, persona: Persona) -> str | None:
        """What is missing before ``persona`` can reach its host at all (a cloud persona without
        an API key), said so that a person can fix it; None when nothing is."""
        if persona.category == "cloud" and not self.settings.cloud_api_key:
            return (f"{persona.name} runs on the cloud host {self.settings.ollama_cloud_host}, and Luna has no API key "
                    "for it. Put LUNA_CLOUD_API_KEY = \"your key\" in .streamlit/secrets.toml (or set the "
                    "LUNA_CLOUD_API_KEY environment variable) and restart Luna.")
        return None

    def prepare(self, user: User, persona_id: str, message: str, conversation_id: str | None = None,
                regenerate: bool = False, model: str | None = None) -> Turn:
        """Assess, store the message, retrieve and build the prompt. Refuses a message over the
        length limit and a conversation that belongs to another persona. ``model`` answers this
        turn instead of the persona's own (the chat header's model picker)."""
        started = time.perf_counter()
        message = message if isinstance(message, str) else ""
        self.check_length(message)
        persona = self.personas.get(user, persona_id)
        if model and model.strip():
            persona = replace(persona, model=model.strip())
        if conversation_id is not None and self.conversations.get(user, conversation_id).persona_id != persona.id:
            raise PermissionDeniedError("This conversation belongs to another companion, so it can't be continued "
                                        "with this one. Start a new conversation instead.")
        history = [] if conversation_id is None else [
            {"role": m.role, "content": m.content} for m in self.conversations.messages(user, conversation_id)]
        regenerated = bool(regenerate and history and history[-1]["role"] == "user")
        if regenerated:
            message = history.pop()["content"]
        elif not message.strip():
            raise ValidationError("Please write a message first.")
        failures: list[str] = []
        earlier = [m["content"] for m in history if m["role"] == "user"]
        assessment = self._assess(user, persona, message, earlier, failures)
        if conversation_id is None:
            title = title_from(message)
            conversation_id = self.conversations.create(user, persona.id, title).id
        if not regenerated:
            self.conversations.add(user, conversation_id, "user", message, crisis_level=assessment.level)
        passages = self._retrieve(user, persona, message, assessment, failures)
        own = self._own_data(user, persona, message, assessment, failures)
        prompt = self._prompt(persona, message, passages, history, own)
        host = self.chat_model(persona).host
        return Turn(user, persona, conversation_id, message, assessment, passages, prompt, host, started,
                    (time.perf_counter() - started) * 1000, failures=failures, regenerated=regenerated,
                    history=history, own=own)

    def _prompt(self, persona: Persona, message: str, passages: list[Passage], history: list[dict[str, str]],
                own: OwnData) -> PromptParts:
        return build_messages(persona.prompt, message, passages, history, self.settings.history_turns,
                              builtin_data=own.text, context_tokens=self.settings.context_tokens,
                              reply_tokens=persona.max_tokens or 1024)

    def _own_data(self, user: User, persona: Persona, message: str, assessment: CrisisAssessment,
                  failures: list[str]) -> OwnData:
        """The person's own data the persona may read; nothing (recorded) when reading it fails."""
        if self.journal is None or self.profiles is None:
            return OwnData()
        try:
            return own_data(self.journal, self.profiles, user, persona, message, assessment.crisis)
        except Exception as error:  # noqa: BLE001 - the answer goes on without it
            log.exception("reading the person's own data failed")
            failures.append("own_data")
            self._record(user, "own_data_failed", {"persona_id": persona.id, "error": type(error).__name__})
            return OwnData()

    def outgoing(self, turn: Turn) -> list[dict[str, str]]:
        """The messages as they leave the machine. Own data goes to the cloud host only while the
        person's consent for this persona stands: it is read again here, at the point of sending,
        and without it the prompt is rebuilt without their data (recorded)."""
        if not turn.own.text or self.chat_model(turn.persona) is self._local:
            return turn.prompt.messages
        try:
            allowed = own_data_allowed(self.personas.get(turn.user, turn.persona.id))
        except Exception:  # noqa: BLE001 - when consent cannot be read, it is not given
            allowed = False
        if not allowed:
            self._record(turn.user, "own_data_withheld", {"persona_id": turn.persona.id, "kinds": turn.own.used})
            turn.own = OwnData()
            turn.prompt = self._prompt(turn.persona, turn.message, turn.passages, turn.history, turn.own)
        return turn.prompt.messages

    def check_length(self, message: str) -> None:
        """Refuse a message over the length limit (also asked before an edited message replaces one)."""
        if len(message) > self.settings.max_message_chars:
            raise ValidationError(f"Your message is {len(message):,} characters long; Luna takes up to "
                                  f"{self.settings.max_message_chars:,}. Please shorten it or send it in parts.")

    def _assess(self, user: User, persona: Persona, message: str, earlier: list[str],
                failures: list[str]) -> CrisisAssessment:
        """The detector's assessment, failing safe (``safety.detector.assess_fail_safe``)."""
        assessment = assess_fail_safe(self.detector, message, earlier, failures)
        if assessment.level != "none":
            self._record(user, "safety_flag", {"level": assessment.level, "categories": assessment.categories,
                                               "persona_id": persona.id, "source": "user_message"})
        return assessment

    def _retrieve(self, user: User, persona: Persona, message: str, assessment: CrisisAssessment,
                  failures: list[str]) -> list[Passage]:
        """The persona's passages for this message; [] when document features are off for the
        user, and [] (recorded) when retrieval fails: the answer goes on without them."""
        if self.flags is not None and not self.flags.is_enabled(RETRIEVAL_FLAG, user):
            return []
        try:
            return self.retriever.retrieve(user, persona, message, k=self.settings.max_chunks,
                                           crisis=assessment.crisis)
        except Exception as error:  # noqa: BLE001 - a broken index must not stop the answer
            log.exception("retrieval failed")
            failures.append("retrieval")
            self._record(user, "retrieval_failed", {"persona_id": persona.id, "error": type(error).__name__,
                                                    "crisis_level": assessment.level})
            return []

    def _record(self, user: User, name: str, properties: dict[str, Any], duration_ms: float | None = None) -> None:
        try:
            self.events.record(user.id, name, properties, duration_ms=duration_ms)
        except Exception:  # noqa: BLE001 - recording must never break an answer
            log.exception("could not record the %s event", name)

    def stream(self, turn: Turn) -> Iterator[str]:
        """The reply as it is written: crisis resources first when needed, then checked sentences. A
        sentence is shown only once the reply so far and the sentence after it pass the check together,
        so harm split over two sentences ("Sure, that is plenty." "Wait until they are asleep.") never
        shows its first half."""
        if turn.assessment.crisis:
            preface = crisis_message(self.settings.crisis_region, turn.assessment.level,
                                     for_other=turn.assessment.for_other) + "\n\n"
            turn.content += preface
            yield preface
        turn.model_from = len(turn.content)
        model = self.chat_model(turn.persona)
        buffer, held = "", ""
        try:
            problem = self.setup_problem(turn.persona)
            if problem:
                raise LLMUnavailableError(problem, "no_key")
            pieces = model.stream(turn.persona.model or self.settings.default_local_model, self.outgoing(turn),
                                  {**turn.options, "num_ctx": self.settings.context_tokens})
            for piece in pieces:
                if turn.first_token_ms is None:
                    turn.first_token_ms = (time.perf_counter() - turn.started) * 1000
                buffer += piece
                ready, buffer = _split_at_boundary(buffer)
                if not ready:
                    continue
                if not held:
                    held = ready
                    continue
                check = self._check(turn.content + held + ready, turn.assessment.crisis)
                if check.safe:
                    turn.content += held
                    yield held
                    held = ready
                else:  # the held sentence and the next one are settled together: corrected or withheld
                    released, stop = self._checked(turn, held + ready, check)
                    yield released
                    held = ""
                    if stop:
                        pieces.close()
                        return
            rest, held = held + buffer, ""
            if rest:
                yield self._checked(turn, rest)[0]
        except Exception as error:  # noqa: BLE001 - LLMUnavailableError, or anything the host or client raised
            if held:  # a whole sentence the model wrote before it failed: checked and kept
                released, stop = self._checked(turn, held)
                yield released
                if stop:
                    return
            if not isinstance(error, LLMUnavailableError):
                log.exception("the language model failed")
                turn.failures.append("model")
                self._record(turn.user, "llm_failed", {"persona_id": turn.persona.id, "error": type(error).__name__})
            reason = str(error) if isinstance(error, LLMUnavailableError) else \
                f"the language model failed ({type(error).__name__})"
            turn.offline, turn.offline_reason = True, reason
            text = offline_text(reason, bool(turn.passages or turn.own.passages), turn.assessment.crisis,
                                turn.assessment.for_other)
            turn.content += text
            yield text

    def _check(self, text: str, crisis: bool) -> ReplyCheck:
        """The reply check (in a crisis turn its trained model may not clear the rules' findings); if
        its trained model cannot run, the rules alone; if those fail, the text is withheld (the check
        fails closed)."""
        try:
            return self.detector.check_reply(text, self.settings.crisis_region, crisis)
        except Exception:  # noqa: BLE001
            log.exception("reply check failed; withholding the reply")
            return ReplyCheck(False, ["the reply could not be checked"],
                              "I'm not able to answer that right now, but I'm still here with you.\n\n"
                              + crisis_message(self.settings.crisis_region, "high"))

    def _checked(self, turn: Turn, text: str, check: ReplyCheck | None = None) -> tuple[str, bool]:
        """(what to show, whether the model's reply must stop here). Safe text passes; a wrong
        crisis number is corrected; anything harmful is withheld and replaced by a caring message, and
        the model's text shown before it is dropped from the stored answer (and so from the history a
        later turn sends to the model): the page shows the stored answer once the reply ends. ``check``
        is the check of ``turn.content + text`` when the caller has already made it."""
        check = check or self._check(turn.content + text, turn.assessment.crisis)
        if check.safe:
            turn.content += text
            return text, False
        turn.reply_flags.extend(r for r in check.reasons if r not in turn.reply_flags)
        self._record(turn.user, "safety_flag", {"level": "reply_blocked", "categories": check.reasons,
                                                "persona_id": turn.persona.id, "source": "model_reply"})
        replacement = check.replacement or crisis_message(self.settings.crisis_region, "high")
        if check.corrected and replacement.startswith(turn.content):  # a correction of the newest text only
            shown = replacement[len(turn.content):]
            turn.content = replacement
            return shown, False
        shown = ("\n\n" if turn.content[turn.model_from:] else "") + replacement  # after model text shown
        turn.content = turn.content[:turn.model_from] + replacement
        return shown, True

    def finish(self, turn: Turn) -> Answer:
        """Store the answer with its sources and timings; record the usage event."""
        sources = [source_of(p) for p in [*turn.passages, *turn.own.passages]]
        context_used = bool(turn.passages or turn.own.passages) and not turn.offline
        model = turn.persona.model or self.settings.default_local_model
        total_ms = round((time.perf_counter() - turn.started) * 1000, 1)
        timings = {"prepare_ms": round(turn.prepared_ms, 1), "total_ms": total_ms}
        if turn.first_token_ms is not None:
            timings["first_token_ms"] = round(turn.first_token_ms, 1)
        saved = self.conversations.add(turn.user, turn.conversation_id, "assistant", turn.content.strip(),
                                       sources=sources, context_used=context_used,
                                       crisis_level=turn.assessment.level, offline=turn.offline,
                                       model=None if turn.offline else model, timings=timings)
        self._record(turn.user, "chat_answer", {
            "persona_id": turn.persona.id, "conversation_id": turn.conversation_id, "context_used": context_used,
            "passages": len(turn.passages), "own_data": turn.own.used, "crisis_level": turn.assessment.level,
            "offline": turn.offline,
            "reply_flags": turn.reply_flags, "model": model, "failures": turn.failures,
            "regenerated": turn.regenerated}, duration_ms=total_ms)
        return Answer(saved.content, sources, context_used,
                      {"detected": turn.assessment.crisis, "level": turn.assessment.level},
                      turn.offline, None if turn.offline else model, turn.conversation_id, saved.id)

    def ask(self, user: User, persona_id: str, message: str, conversation_id: str | None = None) -> Answer:
        """One whole answer (the CLI's ``ask``)."""
        turn = self.prepare(user, persona_id, message, conversation_id)
        for _ in self.stream(turn):
            pass
        return self.finish(turn)


def title_from(message: str, limit: int = TITLE_CHARS) -> str:
    """A new conversation's title: the first message on one line, cut at a word when long."""
    return shorten(message, limit) or "New conversation"


def _split_at_boundary(text: str) -> tuple[str, str]:
    """(complete sentences, the unfinished rest)."""
    last = None
    for match in _BOUNDARY.finditer(text):
        last = match
    if last is None:
        return "", text
    return text[:last.end()], text[last.end():]
