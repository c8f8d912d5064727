"""Passage classes: which passages a crisis turn may use, decided at ingest and for stored chunks."""

from __future__ import annotations

import pytest

from luna_core.safety.passages import CRISIS_SUPPORT, GENERAL, MEANS, passage_class
from luna_core.store.migrations.safety import m016_add_chunk_safety_class


@pytest.mark.parametrize("text, expected", [
    ("Antidepressants can take four to eight weeks to work; tell your doctor about side effects.", MEANS),
    ("Do not take more than 8 tablets in 24 hours.", MEANS),
    ("An overdose of paracetamol damages the liver.", MEANS),
    ("Remove firearms from the home when someone is at risk.", MEANS),
    ("When urges are strong, hold ice and use paced breathing, then call or text 988.", CRISIS_SUPPORT),
    ("Your safety plan lists your warning signs and the people you can reach out to.", CRISIS_SUPPORT),
    ("The 5-4-3-2-1 exercise: five things you can see, four you can touch.", CRISIS_SUPPORT),
    ("Behavioural activation means scheduling activities that matter to you.", GENERAL),
])
def test_passage_classes(text, expected):
    assert passage_class(text) == expected


def test_a_section_about_medication_makes_its_passage_means():
    assert passage_class("Ask about what to expect in the first weeks.", "Treatment > Medications") == MEANS


def test_stored_chunks_are_classified_by_the_migration(tmp_path):
    import duckdb

    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    con.execute("CREATE TABLE document_chunks (id BIGINT, content VARCHAR, metadata VARCHAR)")
    con.execute("INSERT INTO document_chunks VALUES (1, 'Sertraline 50 mg daily', '{}'),"
                " (2, 'Call 988 when the urge is strong', '{\"section_path\": [\"Crisis\"]}'), (3, 'Plan a walk', '{}')")
    m016_add_chunk_safety_class(con)
    assert con.execute("SELECT safety_class FROM document_chunks ORDER BY id").fetchall() == [
        (MEANS,), (CRISIS_SUPPORT,), (GENERAL,)]

