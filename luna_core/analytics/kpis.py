"""The roadmap's success metrics, computed in SQL from the events table for a period.

The cohort is the beta testers of the period: accounts with the ``tester`` role and at least one
event in it (the CLI's own ``cli_command`` housekeeping never counts). Each KPI's definition is
written here and shown wherever the figure is. A regenerated answer is marked in its event and
not counted again; a rating counts once per answer (its latest value). A figure that rests on
fewer than ``MIN_TESTERS`` testers is reported as "too few", never as a number: small cells
identify people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from luna_core import policy
from luna_core.store.db import Database
from luna_core.store.users import User

MIN_TESTERS = 5
TOO_FEW = "too few"

# the period's events of the cohort; every KPI query starts from these ({cohort}: Cohort.sql())
_BASE = """
WITH period AS (SELECT * FROM events WHERE created_at >= $since AND created_at < $until AND name <> 'cli_command'),
testers AS (SELECT DISTINCT p.user_id FROM period p JOIN users u ON u.id = p.user_id WHERE u.role = 'tester'{cohort}),
ev AS (SELECT p.*, json_extract_string(p.properties, '$.method') AS method FROM period p
       JOIN testers t USING (user_id))
"""

# a persona a tester created, with the category and specialty it was created in (events before
# this change carry no category: a template's comes from the template)
_CREATED = """(SELECT e.user_id, json_extract_string(e.properties, '$.template_id') AS template_id,
                  lower(coalesce(json_extract_string(e.properties, '$.category'), pt.category)) AS category,
                  lower(coalesce(json_extract_string(e.properties, '$.specialty'), pt.specialty)) AS specialty
           FROM events e LEFT JOIN persona_templates pt ON pt.id = json_extract_string(e.properties, '$.template_id')
           WHERE e.name = 'persona_created' AND e.created_at < $until)"""


@dataclass(frozen=True)
class Cohort:
    """Which testers a figure is about. Every filter narrows the testers, never the events: a
    tester in the cohort counts with all their activity of the period.

    - ``flag``: the testers the flag decided for in the period (``flag_exposure``); ``exposed``
      True keeps those who saw it on at least once, False those who only ever saw it off;
    - ``template``: testers who created a persona from that template (up to the period's end);
    - ``category``: testers who created a persona in that category or specialty (the Companions
      page's rule: "therapy", "specialty", "custom" or a specialty such as "Sleep Coaching ...").
    """

    flag: str | None = None
    exposed: bool = True
    template: str | None = None
    category: str | None = None

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The conditions on the ``testers`` CTE and their parameters (values are always parameters)."""
        where, params = "", {}
        if self.flag:
            where += ("\n  AND p.user_id IN (SELECT user_id FROM events WHERE name = 'flag_exposure'"
                      " AND created_at >= $since AND created_at < $until"
                      " AND json_extract_string(properties, '$.flag') = $flag GROUP BY user_id"
                      " HAVING bool_or(json_extract_string(properties, '$.variant') = 'on') = $exposed)")
            params.update(flag=self.flag.upper(), exposed=self.exposed)
        if self.template:
            where += f"\n  AND p.user_id IN (SELECT user_id FROM {_CREATED} WHERE template_id = $template)"
            params["template"] = self.template
        if self.category:
            where += (f"\n  AND p.user_id IN (SELECT user_id FROM {_CREATED}"
                      " WHERE lower($category) IN (category, specialty))")
            params["category"] = self.category.strip()
        return where, params

    def describe(self) -> str:
        parts = [f"{'saw' if self.exposed else 'did not see'} {self.flag} on"] if self.flag else []
        parts += [f"made a persona from {self.template}"] if self.template else []
        parts += [f"made a {self.category} persona"] if self.category else []
        return "testers who " + " and ".join(parts) if parts else "all testers"


EVERYONE = Cohort()


@dataclass(frozen=True)
class Kpi:
    id: str
    label: str
    target: float
    unit: str
    higher_is_better: bool
    definition: str
    sql: str  # after _BASE; returns one row (value, testers)


KPIS = [
    Kpi("persona_creation_rate", "Persona creation rate", 70, "%", True,
        "Share of testers who created a persona of their own within 7 days of their first event ever.",
        """SELECT 100.0 * avg(CASE WHEN EXISTS (SELECT 1 FROM ev e WHERE e.user_id = t.user_id
               AND e.name IN ('persona_created', 'persona_duplicated')
               AND e.created_at <= f.first_seen + INTERVAL 7 DAY) THEN 1 ELSE 0 END), count(*)
           FROM testers t JOIN (SELECT user_id, min(created_at) AS first_seen FROM events
                                WHERE name <> 'cli_command' GROUP BY user_id) f USING (user_id)"""),
    Kpi("template_usage", "Template usage", 60, "%", True,
        "Share of the new personas testers created (never the built-in defaults) that started from a template.",
        """SELECT 100.0 * avg(CASE WHEN method = 'template' THEN 1 ELSE 0 END), count(DISTINCT user_id)
           FROM ev WHERE name = 'persona_created'"""),
    Kpi("document_upload", "Document upload", 50, "%", True,
        "Share of testers who uploaded at least one document.",
        """SELECT 100.0 * avg(CASE WHEN EXISTS (SELECT 1 FROM ev e WHERE e.user_id = t.user_id
               AND e.name = 'document_uploaded') THEN 1 ELSE 0 END), count(*) FROM testers t"""),
    Kpi("specialty_distribution", "Specialty balance", 0.5, "normalised entropy", True,
        "How evenly the testers' new personas spread over specialties: the entropy of the specialty shares "
        "divided by its maximum (1 = perfectly even, 0 = all one specialty). Personas without one count as 'custom'.",
        """SELECT CASE WHEN count(DISTINCT s) > 1 THEN entropy(s) / log2(count(DISTINCT s)) ELSE 0 END,
                  count(DISTINCT user_id)
           FROM (SELECT user_id, coalesce(json_extract_string(properties, '$.specialty'), 'custom') AS s
                 FROM ev WHERE name = 'persona_created')"""),
    Kpi("persona_creation_time", "Persona creation time", 120, "s", False,
        "Median seconds from opening the wizard to creating a persona, for personas made from a template.",
        """SELECT median(CAST(json_extract_string(properties, '$.seconds') AS DOUBLE)), count(DISTINCT user_id)
           FROM ev WHERE name = 'persona_created' AND method = 'template'
             AND json_extract_string(properties, '$.seconds') IS NOT NULL"""),
    Kpi("document_processing_speed", "Document processing speed", 30, "s per 10 pages", False,
        "Median processing time per 10 pages over the paged documents (PDF) testers processed.",
        """SELECT median(duration_ms / 1000.0 / CAST(json_extract_string(properties, '$.pages') AS DOUBLE) * 10),
                  count(DISTINCT user_id)
           FROM ev WHERE name = 'document_processed'
             AND CAST(json_extract_string(properties, '$.pages') AS DOUBLE) > 0"""),
    Kpi("chat_response_quality", "Chat response quality", 80, "%", True,
        "Relative improvement of the mean star rating of answers that used the tester's documents over "
        "answers that did not (each answer's latest rating once; offline answers left out).",
        """SELECT 100.0 * (avg(r) FILTER (ctx) - avg(r) FILTER (NOT ctx)) / avg(r) FILTER (NOT ctx),
                  count(DISTINCT user_id)
           FROM (SELECT user_id, CAST(json_extract_string(properties, '$.rating') AS DOUBLE) AS r,
                        json_extract_string(properties, '$.context_used') = 'true' AS ctx,
                        row_number() OVER (PARTITION BY json_extract_string(properties, '$.message_id')
                                           ORDER BY id DESC) AS newest
                 FROM ev WHERE name = 'answer_rated' AND json_extract_string(properties, '$.rating') IS NOT NULL
                   AND json_extract_string(properties, '$.offline') = 'false')
           WHERE newest = 1"""),
    Kpi("system_stability", "System stability", 1, "% errors", False,
        "Share of persona create, update, delete and duplicate operations that failed with an unexpected error "
        "(a refused request, such as a duplicate name, is not an error).",
        """SELECT 100.0 * count(*) FILTER (name = 'persona_action_failed') / nullif(count(*), 0), count(DISTINCT user_id)
           FROM ev WHERE name IN ('persona_created', 'persona_edited', 'persona_deleted', 'persona_duplicated',
                                  'persona_archived', 'persona_action_failed')"""),
    Kpi("creation_workflow_completion", "Creation workflow completion", 85, "%", True,
        "Share of wizard openings that ended in a persona.",
        """SELECT 100.0 * count(*) FILTER (name IN ('persona_created', 'persona_duplicated')
                                           AND json_extract_string(properties, '$.seconds') IS NOT NULL)
                  / nullif(count(*) FILTER (name = 'wizard_opened'), 0),
                  count(DISTINCT user_id) FILTER (name = 'wizard_opened')
           FROM ev WHERE name IN ('wizard_opened', 'persona_created', 'persona_duplicated')"""),
    Kpi("user_satisfaction", "User satisfaction", 4.5, "of 5", True,
        "Mean persona-experience rating (1-5) from the in-app survey, each tester's latest answer.",
        """SELECT avg(x), count(*) FROM (SELECT user_id, CAST(json_extract_string(properties, '$.experience') AS DOUBLE) AS x,
               row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS newest
           FROM ev WHERE name = 'survey_answered' AND json_extract_string(properties, '$.experience') IS NOT NULL)
           WHERE newest = 1"""),
    Kpi("therapeutic_value", "Therapeutic value", 75, "%", True,
        "Share of surveyed testers whose latest answer to \"Luna improved my conversations\" is yes.",
        """SELECT 100.0 * avg(CASE WHEN x = 'true' THEN 1 ELSE 0 END), count(*) FROM (
               SELECT user_id, json_extract_string(properties, '$.improved') AS x,
                      row_number() OVER (PARTITION BY user_id ORDER BY id DESC) AS newest
               FROM ev WHERE name = 'survey_answered' AND json_extract_string(properties, '$.improved') IS NOT NULL)
           WHERE newest = 1"""),
    Kpi("feature_discovery", "Feature discovery", 90, "%", True,
        "Share of testers who used at least 3 advanced features: templates, duplication, documents, "
        "favourites, source view, journal access, export.",
        """SELECT 100.0 * avg(CASE WHEN n >= 3 THEN 1 ELSE 0 END), count(*) FROM (
               SELECT t.user_id, count(DISTINCT uses.f) AS n FROM testers t LEFT JOIN (SELECT * FROM (
                   SELECT user_id, CASE
                       WHEN name = 'persona_created' AND method = 'template' THEN 'templates'
                       WHEN name = 'persona_duplicated' THEN 'duplication'
                       WHEN name = 'document_uploaded' THEN 'documents'
                       WHEN name = 'persona_favorited' THEN 'favourites'
                       WHEN name = 'feature_used' THEN json_extract_string(properties, '$.feature')
                       WHEN name IN ('persona_exported', 'data_exported', 'conversation_exported') THEN 'export'
                   END AS f FROM ev) WHERE f IN ('templates', 'duplication', 'documents', 'favourites',
                                                 'source_view', 'journal_access', 'export')) uses USING (user_id)
               GROUP BY t.user_id)"""),
]


def _round(value: float) -> float:
    return round(value, 3) if abs(value) < 10 else round(value, 1)


def _query(since: datetime | None, until: datetime | None, cohort: Cohort) -> tuple[str, dict[str, Any]]:
    """The cohort's common table expressions and parameters for the period [since, until)
    (default: the last 30 days)."""
    until = until or datetime.now() + timedelta(seconds=1)
    since = since or until - timedelta(days=30)
    where, params = cohort.sql()
    return _BASE.replace("{cohort}", where), {"since": since, "until": until, **params}


def compute(db: Database, user: User, since: datetime | None = None, until: datetime | None = None,
            cohort: Cohort = EVERYONE) -> dict[str, Any]:
    """``{KPI_ID: {"label", "value", "target", "unit", "met", "testers", "definition"}}`` for the
    period [since, until) (default: the last 30 days) over the ``cohort``. Administrators only."""
    policy.require(user, "analytics.view")
    base, params = _query(since, until, cohort)
    out: dict[str, Any] = {}
    with db.connect() as con:
        for kpi in KPIS:
            value, testers = con.execute(base + kpi.sql, params).fetchone()
            testers = int(testers or 0)
            if testers < MIN_TESTERS:
                shown, met = TOO_FEW, None
            elif value is None or (isinstance(value, float) and math.isnan(value)):
                shown, met = None, None  # no data of this kind in the period
            else:
                shown = _round(float(value))
                met = shown > kpi.target if kpi.higher_is_better else shown < kpi.target
            out[kpi.id] = {"label": kpi.label, "value": shown, "target": kpi.target, "unit": kpi.unit, "met": met,
                           "testers": testers, "definition": kpi.definition, "higher_is_better": kpi.higher_is_better}
    return out


# ---- the series behind the Analytics page's charts (same cohort and period as the KPIs) --------
SERIES = {
    "specialties": """SELECT coalesce(json_extract_string(properties, '$.specialty'), 'custom') AS specialty,
                             count(*) AS personas FROM ev WHERE name = 'persona_created' GROUP BY 1 ORDER BY 2 DESC""",
    "creations": """SELECT CAST(created_at AS DATE) AS day, coalesce(method, 'duplicate') AS method, count(*) AS personas
                    FROM ev WHERE name IN ('persona_created', 'persona_duplicated') GROUP BY 1, 2 ORDER BY 1""",
    "ratings": """SELECT r AS stars, count(*) AS answers FROM (
                      SELECT CAST(json_extract_string(properties, '$.rating') AS INTEGER) AS r,
                             row_number() OVER (PARTITION BY json_extract_string(properties, '$.message_id')
                                                ORDER BY id DESC) AS newest
                      FROM ev WHERE name = 'answer_rated' AND json_extract_string(properties, '$.rating') IS NOT NULL)
                  WHERE newest = 1 GROUP BY 1 ORDER BY 1""",
    "response_times": """SELECT CAST(created_at AS DATE) AS day, quantile_cont(duration_ms, 0.5) / 1000 AS p50,
                                quantile_cont(duration_ms, 0.9) / 1000 AS p90,
                                quantile_cont(duration_ms, 0.95) / 1000 AS p95, count(*) AS answers
                         FROM ev WHERE name = 'chat_answer' AND duration_ms IS NOT NULL
                           AND coalesce(json_extract_string(properties, '$.regenerated'), 'false') = 'false'
                         GROUP BY 1 ORDER BY 1""",
    "funnel": """SELECT CAST(json_extract_string(properties, '$.step') AS INTEGER) AS step, count(*) AS reached
                 FROM ev WHERE name = 'wizard_step_reached' GROUP BY 1 ORDER BY 1""",
}


def series(db: Database, user: User, name: str, since: datetime | None = None,
           until: datetime | None = None, cohort: Cohort = EVERYONE) -> list[dict[str, Any]] | None:
    """One chart's rows; None when it would rest on fewer than ``MIN_TESTERS`` testers."""
    policy.require(user, "analytics.view")
    base, params = _query(since, until, cohort)
    with db.connect() as con:
        testers = con.execute(base + "SELECT count(*) FROM testers", params).fetchone()[0]
        if testers < MIN_TESTERS:
            return None
        cursor = con.execute(base + SERIES[name], params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def compare(db: Database, user: User, flag: str, since: datetime | None = None, until: datetime | None = None,
            cohort: Cohort = EVERYONE) -> dict[str, dict[str, Any]]:
    """Every KPI for the testers who saw ``flag`` on against those who only saw it off (within
    ``cohort``'s other filters): ``{KPI_ID: {"exposed": figure, "unexposed": figure}}``. Each
    side keeps the small-cell rule on its own."""
    sides = {side: compute(db, user, since, until, replace(cohort, flag=flag, exposed=side == "exposed"))
             for side in ("exposed", "unexposed")}
    return {kpi: {side: sides[side][kpi] for side in sides} for kpi in sides["exposed"]}


def cohort_choices(db: Database, user: User) -> dict[str, list[Any]]:
    """What the cohort filters can be set to: the flags, the templates ``(id, name)`` and the
    persona categories and specialties testers have created personas in."""
    policy.require(user, "analytics.view")
    with db.connect() as con:
        flags = [r[0] for r in con.execute("SELECT name FROM feature_flags ORDER BY name").fetchall()]
        templates = [tuple(r) for r in con.execute("SELECT id, name FROM persona_templates ORDER BY name").fetchall()]
        found = con.execute(f"SELECT DISTINCT category, specialty FROM {_CREATED}",
                            {"until": datetime.now() + timedelta(seconds=1)}).fetchall()
    categories = sorted({c for row in found for c in row if c} | {"therapy", "specialty", "custom"})
    return {"flags": flags, "templates": templates, "categories": categories}
