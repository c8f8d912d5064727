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
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from luna_core import policy
from luna_core.store.db import Database
from luna_core.store.users import User

MIN_TESTERS = 5
TOO_FEW = "too few"

# the period's events of the cohort; every KPI query starts from these
_BASE = """
WITH period AS (SELECT * FROM events WHERE created_at >= $since AND created_at < $until AND name <> 'cli_command'),
testers AS (SELECT DISTINCT p.user_id FROM period p JOIN users u ON u.id = p.user_id WHERE u.role = 'tester'),
ev AS (SELECT p.*, json_extract_string(p.properties, '$.method') AS method FROM period p
       JOIN testers t USING (user_id))
"""


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


def compute(db: Database, user: User, since: datetime | None = None, until: datetime | None = None) -> dict[str, Any]:
    """``{KPI_ID: {"label", "value", "target", "unit", "met", "testers", "definition"}}`` for the
    period [since, until) (default: the last 30 days). Administrators only."""
    policy.require(user, "analytics.view")
    until = until or datetime.now() + timedelta(seconds=1)
    since = since or until - timedelta(days=30)
    out: dict[str, Any] = {}
    with db.connect() as con:
        for kpi in KPIS:
            value, testers = con.execute(_BASE + kpi.sql, {"since": since, "until": until}).fetchone()
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
    "response_times": """SELECT quantile_cont(duration_ms, 0.5) / 1000 AS p50, quantile_cont(duration_ms, 0.9) / 1000 AS p90,
                                quantile_cont(duration_ms, 0.95) / 1000 AS p95, count(*) AS answers
                         FROM ev WHERE name = 'chat_answer'
                           AND coalesce(json_extract_string(properties, '$.regenerated'), 'false') = 'false'""",
    "funnel": """SELECT CAST(json_extract_string(properties, '$.step') AS INTEGER) AS step, count(*) AS reached
                 FROM ev WHERE name = 'wizard_step_reached' GROUP BY 1 ORDER BY 1""",
}


def series(db: Database, user: User, name: str, since: datetime | None = None,
           until: datetime | None = None) -> list[dict[str, Any]] | None:
    """One chart's rows; None when it would rest on fewer than ``MIN_TESTERS`` testers."""
    policy.require(user, "analytics.view")
    until = until or datetime.now() + timedelta(seconds=1)
    since = since or until - timedelta(days=30)
    params = {"since": since, "until": until}
    with db.connect() as con:
        testers = con.execute(_BASE + "SELECT count(*) FROM testers", params).fetchone()[0]
        if testers < MIN_TESTERS:
            return None
        cursor = con.execute(_BASE + SERIES[name], params)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]
