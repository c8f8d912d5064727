"""``demo-seed``: a labelled synthetic beta through the real services, refused beside real testers."""

from __future__ import annotations

import json

from luna_core.analytics import compute
from luna_core.cli.main import main


def test_demo_seed_makes_a_labelled_beta_and_refuses_beside_real_testers(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "demo-seed", "--testers", "6", "--days", "14", "--events", "1000", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"testers", "personas", "events"} and out["testers"] == 6 and out["personas"] == 6
    assert out["events"] > 1000

    from luna_core.config import Settings
    from luna_core.luna import Luna

    luna = Luna.open(Settings.from_env({}, data_dir=tmp_path / "data"))
    names = [u.name for u in luna.users.list() if u.role == "tester"]
    assert names == [f"synthetic-tester-{n:02d}" for n in range(1, 7)]
    figures = compute(luna.db, luna.user())
    assert figures["persona_creation_rate"]["value"] == 100.0 and figures["user_satisfaction"]["testers"] <= 6
    luna.users.add("real-person", "tester")
    assert main(["--data-dir", data, "demo-seed", "--json"]) == 2
    assert "real testers" in capsys.readouterr().err
