"""The in-app survey: a persona-experience rating (1-5) and "Luna improved my conversations?",
asked at most once a week per tester and only after they have had answers; dismissing it counts
as being asked. Answers are events (``survey_answered``), which the KPIs read."""

from __future__ import annotations

from luna_core.errors import ValidationError
from luna_core.store.db import Database
from luna_core.store.events import EventLog
from luna_core.store.users import User

EVERY_DAYS = 7


class Survey:
    def __init__(self, db: Database, events: EventLog) -> None:
        self.db, self.events = db, events

    def due(self, user: User) -> bool:
        """Whether to ask ``user`` now: a tester with at least one answer, not asked this week."""
        if user.role != "tester":
            return False
        rows = self.db.rows(
            "SELECT count(*) FILTER (name = 'chat_answer') AS answers,"
            " count(*) FILTER (name IN ('survey_answered', 'survey_dismissed')"
            f"  AND created_at > now() - INTERVAL {EVERY_DAYS} DAY) AS asked"
            " FROM events WHERE user_id = ?", [user.id])
        return rows[0]["answers"] > 0 and rows[0]["asked"] == 0

    def answer(self, user: User, experience: int | None, improved: bool | None) -> None:
        if experience is not None and not 1 <= int(experience) <= 5:
            raise ValidationError("The experience rating is 1 to 5.")
        if experience is None and improved is None:
            raise ValidationError("Please answer at least one of the two questions, or dismiss the survey.")
        self.events.record(user.id, "survey_answered", {"experience": experience, "improved": improved})

    def dismiss(self, user: User) -> None:
        self.events.record(user.id, "survey_dismissed", {})
