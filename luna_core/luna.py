"""``Luna``: every core service, built once over one data folder.

The Streamlit app builds it in ``st.cache_resource``; the CLI builds it per command; tests build it
over a temporary folder. Heavy objects are created here and injected, never inside pages.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from luna_core.accounts.service import AccountService
from luna_core.analytics.survey import Survey
from luna_core.chat.conversations import ConversationStore
from luna_core.chat.retrieval import Retriever
from luna_core.chat.service import ChatService
from luna_core.config import LOCAL_ADMIN_NAME, Settings
from luna_core.documents.datasets import all_vectors, index_state
from luna_core.documents.embeddings import BUNDLED_MODEL, Embedder, SentenceTransformerEmbedder
from luna_core.documents.index import VectorIndex
from luna_core.documents.ingest import DocumentService
from luna_core.documents.library import Library
from luna_core.journal.entries import Journal
from luna_core.journal.profile import Profiles
from luna_core.personas.gate import run_gate
from luna_core.personas.review import TemplateReview
from luna_core.personas.service import PersonaService
from luna_core.personas.templates import TemplateStore
from luna_core.safety.detector import CrisisDetector
from luna_core.safety.reply_model import shared_classifier
from luna_core.store.db import Database
from luna_core.store.events import EventLog
from luna_core.store.flags import FlagStore
from luna_core.store.users import User, UserStore


@dataclass
class Luna:
    settings: Settings
    db: Database
    users: UserStore
    events: EventLog
    flags: FlagStore
    templates: TemplateStore
    personas: PersonaService
    embedder: Embedder
    index: VectorIndex
    library: Library
    documents: DocumentService
    conversations: ConversationStore
    retriever: Retriever
    detector: CrisisDetector
    chat: ChatService
    accounts: AccountService
    review: TemplateReview
    survey: Survey
    journal: Journal
    profiles: Profiles
    template_report: dict

    @classmethod
    def open(cls, settings: Settings | None = None, embedder: Embedder | None = None) -> Luna:
        """Create or migrate the database under ``settings.data_dir``, sync the templates and
        recover documents a dead process left half-processed. The embedding model itself loads on
        first use."""
        settings = settings or Settings.from_env()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.db_path, lock_timeout=settings.db_lock_timeout)
        events = EventLog(db)
        flags, templates = FlagStore(db, events), TemplateStore(db)
        report = templates.sync(settings.templates_dir)
        personas = PersonaService(db, templates, flags, events, settings)
        embedder = embedder or default_embedder(settings)
        index = VectorIndex(settings.index_dir, lambda: all_vectors(db),
                            lambda: index_state(db, embedder.name, embedder.dimension))
        library = Library(db, flags, events, personas, index)
        personas.linker = library.write_link  # a new persona's document links join its transaction
        documents = DocumentService(db, settings, flags, events, personas, library, embedder, index)
        documents.recover()
        conversations = ConversationStore(db, events)
        retriever = Retriever(db, embedder, index, events)
        detector = CrisisDetector(embedder.embed, reply_model=shared_classifier())
        journal, profiles = Journal(db, events, embedder, detector), Profiles(db, events)
        chat = ChatService(settings, personas, conversations, retriever, detector, events, flags, journal, profiles)
        users = UserStore(db)
        accounts = AccountService(db, users, events, settings)
        return cls(settings=settings, db=db, users=users, accounts=accounts, survey=Survey(db, events),
                   review=TemplateReview(db, lambda user, version: run_gate(chat, user, version)),
                   journal=journal, profiles=profiles, events=events, flags=flags,
                   templates=templates, personas=personas, embedder=embedder, index=index,
                   library=library, documents=documents, conversations=conversations,
                   retriever=retriever, detector=detector, chat=chat, template_report=report)

    def user(self, name: str | None = None) -> User:
        """The named account (created as a tester when new), or the local administrator."""
        if not name or name.strip().lower() == LOCAL_ADMIN_NAME.lower():  # names ignore case
            return self.users.get(LOCAL_ADMIN_NAME)
        return self.users.get_or_create(name, "tester")


_SHARED: dict[str, Luna] = {}
_SHARED_LOCK = threading.Lock()


def shared_luna(settings: Callable[[], Settings]) -> Luna:
    """The one Luna of this process (the app's script and its sign-in routes share it), built on
    first use with ``settings()``."""
    with _SHARED_LOCK:
        if "luna" not in _SHARED:
            _SHARED["luna"] = Luna.open(settings())
        return _SHARED["luna"]


def default_embedder(settings: Settings) -> Embedder:
    """The bundled all-MiniLM-L6-v2, or a local sentence-transformers folder named in the settings."""
    if settings.embedding_model == BUNDLED_MODEL:
        return SentenceTransformerEmbedder()
    folder = Path(settings.embedding_model)
    return SentenceTransformerEmbedder(folder, name=folder.name)
