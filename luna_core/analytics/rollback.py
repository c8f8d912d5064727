"""Rollback triggers from the roadmap, evaluated per feature over the users exposed to it.

For each flag that is on, the events since the later of ``WINDOW_DAYS`` ago and the flag's last
change, of the users who saw it on (``flag_exposure`` variant "on"), are checked against: error rate > 5%, p95 response time > 5 s, mean satisfaction
< 3.0, any crisis-path failure (an assessment that had to fall back), and reply-check blocks in more
than 2% of answers. A trigger fires only with at least ``MIN_EXPOSED`` exposed users, so a handful
of unlucky sessions cannot roll a feature back. Each alert names the feature, the trigger and its
evidence; ``roll_back`` sets the flag's percentage to 0, audited like any flag change. A flag with
``auto_rollback`` on is rolled back by ``auto_roll_back`` as soon as one of its triggers fires: the
server checks every few minutes (``Settings.rollback_check_minutes``, ``LUNA_ROLLBACK_CHECK_MINUTES``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from luna_core import policy
from luna_core.store.db import Database
from luna_core.store.flags import Flag, FlagStore
from luna_core.store.users import User

if TYPE_CHECKING:
    from luna_core.luna import Luna

log = logging.getLogger("luna.rollback")

MIN_EXPOSED = 20
WINDOW_DAYS = 7
FAILURES = ("persona_action_failed", "retrieval_failed", "llm_failed")
ACTIONS = ("chat_answer", "persona_created", "persona_edited", "persona_deleted", "persona_duplicated",
           "document_processed", *FAILURES)

_SQL = """
WITH exposed AS (SELECT DISTINCT user_id FROM events WHERE name = 'flag_exposure' AND created_at >= $since
                   AND json_extract_string(properties, '$.flag') = $flag
                   AND json_extract_string(properties, '$.variant') = 'on'),
ev AS (SELECT e.* FROM events e JOIN exposed USING (user_id) WHERE e.created_at >= $since)
SELECT (SELECT count(*) FROM exposed) AS exposed,
       100.0 * count(*) FILTER (name IN $failures) / nullif(count(*) FILTER (name IN $actions), 0) AS error_rate,
       quantile_cont(duration_ms, 0.95) FILTER (name = 'chat_answer') / 1000 AS p95_seconds,
       avg(CAST(json_extract_string(properties, '$.experience') AS DOUBLE)) FILTER (name = 'survey_answered') AS satisfaction,
       count(*) FILTER (name = 'chat_answer' AND properties LIKE '%"assessment"%') AS crisis_failures,
       100.0 * count(*) FILTER (name = 'safety_flag' AND json_extract_string(properties, '$.level') = 'reply_blocked')
             / nullif(count(*) FILTER (name = 'chat_answer'), 0) AS reply_block_rate
FROM ev
"""

# (key, label, fires when, threshold shown)
TRIGGERS = (("error_rate", "Error rate", lambda v: v > 5, "> 5%"),
            ("p95_seconds", "p95 response time", lambda v: v > 5, "> 5 s"),
            ("satisfaction", "Satisfaction", lambda v: v < 3.0, "< 3.0"),
            ("crisis_failures", "Crisis-path failures", lambda v: v > 0, "> 0"),
            ("reply_block_rate", "Reply-check blocks", lambda v: v > 2, "> 2% of answers"))


def evaluate(db: Database, flags: FlagStore, user: User, now: datetime | None = None) -> list[dict[str, Any]]:
    """The alerts that fire now, one per (flag, trigger), with their evidence (administrators)."""
    policy.require(user, "flags.change")
    return _alerts(db, flags, now)


def _alerts(db: Database, flags: FlagStore, now: datetime | None) -> list[dict[str, Any]]:
    window = (now or datetime.now()) - timedelta(days=WINDOW_DAYS)
    alerts = []
    for flag in flags.list():
        if not flag.enabled or flag.rollout_percent == 0:
            continue
        since = max(window, flag.updated_at)  # evidence since the flag last changed: a fix gets a fresh start
        with db.connect() as con:
            cursor = con.execute(_SQL, {"since": since, "flag": flag.name, "failures": list(FAILURES),
                                        "actions": list(ACTIONS)})
            row = dict(zip([d[0] for d in cursor.description], cursor.fetchone()))
        if row["exposed"] < MIN_EXPOSED:
            continue
        for key, label, fires, threshold in TRIGGERS:
            value = row[key]
            if value is not None and fires(float(value)):
                alerts.append({"flag": flag.name, "trigger": key, "label": label, "value": round(float(value), 2),
                               "threshold": threshold, "exposed": row["exposed"],
                               "evidence": f"{label} {float(value):.2f} ({threshold} fires) over {row['exposed']} users "
                                           f"who saw {flag.name} on in the last {WINDOW_DAYS} days"})
    return alerts


def roll_back(flags: FlagStore, user: User | None, alert: dict[str, Any]) -> Flag:
    """One click: the flag's percentage to 0, audited with the alert's evidence as the reason.
    ``user`` None is the automatic rollback (see ``auto_roll_back``)."""
    flag = flags.get(alert["flag"])
    kind = "rollback" if user is not None else "automatic rollback"
    return flags.set(flag.name, flag.enabled, 0, by=user, reason=f"{kind}: {alert['evidence']}"[:200])


def auto_roll_back(db: Database, flags: FlagStore, now: datetime | None = None) -> list[Flag]:
    """Roll back, as the installation, every flag with ``auto_rollback`` on whose trigger fires
    now; the audit names it an automatic rollback with the evidence. The flags rolled back."""
    auto = {f.name for f in flags.list() if f.auto_rollback}
    if not auto:
        return []
    fired = [a for a in _alerts(db, flags, now) if a["flag"] in auto]
    first = {a["flag"]: a for a in reversed(fired)}  # one rollback per flag, with its first alert
    return [roll_back(flags, None, first[name]) for name in dict.fromkeys(a["flag"] for a in fired)]


async def watch(get_luna: Callable[[], Luna], minutes: float) -> None:
    """The server's watch: every ``minutes``, ``auto_roll_back`` in a worker thread. A failed check
    is logged (its kind, never data) and tried again next time; it never stops the server."""
    while True:
        await asyncio.sleep(minutes * 60)
        try:
            luna = get_luna()
            for flag in await asyncio.to_thread(auto_roll_back, luna.db, luna.flags):
                log.warning("automatic rollback: %s set to 0%%", flag.name)
        except Exception as error:  # noqa: BLE001 - the watch must outlive one bad check
            log.error("the automatic rollback check failed: %s", type(error).__name__)
