"""The journal and profile are part of "My data": in the export (never the embeddings), and gone
with the account, while another person's stay."""

from __future__ import annotations

import io
import json
import zipfile

from luna_core.accounts.mydata import DATA_FILE, delete_account, export_my_data
from tests.conftest import open_luna

PASSWORD = "a long enough password"


def test_journal_and_profile_are_exported_and_deleted_with_the_account(tmp_path, embedder):
    luna = open_luna(tmp_path, embedder=embedder)
    ada, bo = (luna.accounts.add(None, name, "tester", password=PASSWORD) for name in ("ada", "bo"))
    luna.journal.add(ada, "Ada's entry about the garden.", mood=4, feelings=["calm"])
    luna.journal.add(bo, "Bo's entry about the sea.")
    luna.profiles.save(ada, preferred_name="Ada", goals="Sleep better")
    luna.personas.set_data_access(ada, "default-local", journal_entries=True)
    data = json.loads(zipfile.ZipFile(io.BytesIO(export_my_data(luna, ada))).read(DATA_FILE))
    text = json.dumps(data)
    assert "Ada's entry about the garden." in text and "Sleep better" in text and "Bo's entry" not in text
    assert "embedding" not in text
    delete_account(luna, ada, PASSWORD)
    for table in ("journal_entries", "journal_chunks", "user_profiles", "persona_user_state"):
        assert luna.db.rows(f"SELECT count(*) AS n FROM {table} WHERE user_id = ?", [ada.id])[0]["n"] == 0
    assert [e.text for e in luna.journal.list(bo)] == ["Bo's entry about the sea."]
    assert "sea" in luna.journal.passages(bo, "the sea")[0].content
