"""``Luna``: every core service, built once over one data folder.

The Streamlit app builds it in ``st.cache_resource``; the CLI builds it per command; tests build it
over a temporary folder. Heavy objects are created here and injected, never inside pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .config import LOCAL_ADMIN_NAME, Settings
from .db import Database
from .events import EventLog
from .flags import FlagStore
from .personas import PersonaService
from .templates import TemplateStore
from .users import User, UserStore


@dataclass
class Luna:
    settings: Settings
    db: Database
    users: UserStore
    events: EventLog
    flags: FlagStore
    templates: TemplateStore
    personas: PersonaService
    template_report: dict

    @classmethod
    def open(cls, settings: Settings | None = None) -> "Luna":
        """Create or migrate the database under ``settings.data_dir`` and sync the templates."""
        settings = settings or Settings.from_env()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        db = Database(settings.db_path, lock_timeout=settings.db_lock_timeout)
        events, flags, templates = EventLog(db), FlagStore(db), TemplateStore(db)
        report = templates.sync(settings.templates_dir)
        personas = PersonaService(db, templates, flags, events, settings)
        return cls(settings=settings, db=db, users=UserStore(db), events=events, flags=flags,
                   templates=templates, personas=personas, template_report=report)

    def user(self, name: str | None = None) -> User:
        """The named account (created as a tester when new), or the local administrator."""
        if not name or name == LOCAL_ADMIN_NAME:
            return self.users.get(LOCAL_ADMIN_NAME)
        return self.users.get_or_create(name, "tester")
