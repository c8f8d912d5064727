"""``demo-seed``: a clearly labelled synthetic beta for the KPI page, made through the real services.

Every account is called ``synthetic-tester-NN``; the seed is refused on a data folder that has any
other tester (real people's figures must never mix with invented ones) and is never run implicitly.
Activity (the flag exposures of a sign-in, wizard openings, personas from templates and from
scratch, favourites, a small uploaded worksheet where documents are rolled out to the tester, chats, ratings,
survey answers) goes through the services, then each tester's events are spread over the last
``days`` days. ``events`` pads the log with synthetic chat answers for benchmarks.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from luna_core import policy
from luna_core.errors import ConflictError
from luna_core.store.users import User

if TYPE_CHECKING:
    from luna_core.luna import Luna

PREFIX = "synthetic-tester-"
WORKSHEET = ("# My coping plan (synthetic)\n\nWhen I notice my thoughts racing I breathe slowly for four counts, "
             "name five things I can see, and write the thought down to look at it later.\n")


def seed(luna: Luna, by: User, testers: int = 20, days: int = 28, events: int = 0, seed_value: int = 7) -> dict[str, Any]:
    policy.require(by, "accounts.manage")
    real = [u.name for u in luna.users.list() if u.role == "tester" and not u.name.startswith(PREFIX)]
    if real:
        raise ConflictError(f"This data folder has real testers ({len(real)}), so no synthetic beta is added: "
                            "invented figures must never mix with theirs. Use a fresh data folder "
                            "(--data-dir) for the demo.")
    rng = random.Random(seed_value)
    templates = [t.id for t in luna.templates.list()]
    start = len([u for u in luna.users.list() if u.name.startswith(PREFIX)])
    made, personas = [], 0
    for n in range(start, start + testers):
        user = luna.users.add(f"{PREFIX}{n + 1:02d}", "tester")
        made.append(user)
        first = luna.db.rows("SELECT coalesce(max(id), 0) AS id FROM events")[0]["id"]
        luna.flags.expose(user)  # what the app records when the tester signs in
        luna.events.record(user.id, "wizard_opened")
        if rng.random() < 0.8:
            persona = luna.personas.create_from_template(user, rng.choice(templates), name="My companion",
                                                         seconds_to_create=rng.uniform(40, 200))
        else:
            persona = luna.personas.create_from_scratch(user, "My companion", "You are a kind, careful listener.",
                                                        seconds_to_create=rng.uniform(60, 300))
        personas += 1
        if rng.random() < 0.5:
            luna.personas.set_favorite(user, persona.id)
        if rng.random() < 0.6 and luna.flags.is_enabled("RAG_DOCUMENT_PROCESSING", user):
            luna.documents.add_file(user, "coping_plan.md", (WORKSHEET + f"\n(tester {n + 1})\n").encode(),
                                    persona_id=persona.id)
        for _ in range(rng.randint(1, 3)):
            answer = luna.chat.ask(user, persona.id, rng.choice(["How can I calm down before sleep?",
                                                                 "Can we practise a thought record?",
                                                                 "I had a hard day at work."]))
            luna.conversations.rate(user, answer.message_id, rating=rng.randint(3, 5))
        if rng.random() < 0.7:
            luna.survey.answer(user, rng.randint(3, 5), rng.random() < 0.8)
        shift = rng.randint(0, max(0, days - 1))
        with luna.db.connect() as con:  # spread this tester's activity over the period
            con.execute(f"UPDATE events SET created_at = created_at - INTERVAL {shift} DAY"
                        " WHERE user_id = ? AND id > ?", [user.id, first])
    if events > 0 and made:
        with luna.db.connect() as con:  # padding for benchmarks: synthetic answers spread over the period
            con.execute(
                "INSERT INTO events (user_id, name, properties, created_at, duration_ms)"
                " SELECT list_extract($users, 1 + (i % len($users))::INTEGER), 'chat_answer',"
                " '{\"synthetic\": true, \"regenerated\": false, \"failures\": []}',"
                " now() - to_seconds((i % ($days * 86400))::BIGINT), 800 + (i * 37) % 4000"
                " FROM range($n) t(i)", {"users": [u.id for u in made], "days": max(days, 1), "n": events})
    total = luna.db.rows("SELECT count(*) AS n FROM events WHERE user_id IN (SELECT id FROM users WHERE name LIKE ?)",
                         [PREFIX + "%"])[0]["n"]
    luna.events.record(by.id, "demo_seeded", {"testers": testers, "days": days, "padding": events})
    return {"testers": len(made), "personas": personas, "events": total}
