"""The database file: killed writers leave a readable database; the file is released when idle."""

from __future__ import annotations

import subprocess
import sys
import time

from luna_core.config import Settings
from luna_core.luna import Luna
from luna_core.store.db import Database
from tests.conftest import ROOT

WRITER = r"""
import os, sys
sys.path.insert(0, sys.argv[2])
from luna_core.config import Settings
from luna_core.luna import Luna
luna = Luna.open(Settings.from_env({}, data_dir=sys.argv[1]))
user = luna.user("tess")
p = luna.personas.create_from_template(user, "cbt-therapist", name="Kept")
luna.personas.set_favorite(user, p.id)
luna.personas.update(user, p.id, description="edited")
gone = luna.personas.create_from_scratch(user, "Gone", "p")
luna.personas.delete(user, gone.id)
luna.flags.set("PERSONA_DUPLICATION", True, percent=40)
os._exit(0)  # like a kill: no clean shutdown, the WAL is left behind
"""


def test_a_killed_writer_leaves_every_committed_change_readable(tmp_path):
    data_dir = tmp_path / "data"
    subprocess.run([sys.executable, "-c", WRITER, str(data_dir), str(ROOT)], check=True, timeout=120)
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir))
    user = luna.users.get("tess")
    names = {p.name: p for p in luna.personas.list(user)}
    assert "Kept" in names and "Gone" not in names
    assert names["Kept"].is_favorite and names["Kept"].description == "edited"
    assert luna.flags.get("PERSONA_DUPLICATION").rollout_percent == 40


def test_file_is_released_after_idle_so_other_processes_can_open_it(tmp_path):
    db = Database(tmp_path / "x.duckdb", idle_release=0.2)
    probe = [sys.executable, "-c", "import duckdb, sys; duckdb.connect(sys.argv[1]).close()", str(db.path)]
    with db.transaction():  # held while in use (not timed: a probe under load can start later than 0.2 s)
        assert subprocess.run(probe, capture_output=True).returncode != 0
    time.sleep(0.6)
    assert subprocess.run(probe, capture_output=True).returncode == 0  # released once idle
    assert db.rows("SELECT count(*) AS n FROM personas")[0]["n"] == 2  # and reopened on demand
    burst = Database(tmp_path / "y.duckdb", idle_release=60)
    burst.rows("SELECT 1")
    probe[-1] = str(burst.path)
    assert subprocess.run(probe, capture_output=True).returncode != 0  # kept open between the queries of a burst
    burst.release_file()
    assert subprocess.run(probe, capture_output=True).returncode == 0


def test_transaction_rolls_back_on_error(tmp_path):
    db = Database(tmp_path / "x.duckdb")
    try:
        with db.transaction() as con:
            con.execute("DELETE FROM personas")
            raise ValueError("boom")
    except ValueError:
        pass
    assert db.rows("SELECT count(*) AS n FROM personas")[0]["n"] == 2
