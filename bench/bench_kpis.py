"""KPIs and the Analytics page over a large event log: ``python bench/bench_kpis.py [--events 1000000]``.

Builds a fresh data folder with ``demo-seed`` (documents rolled out to 50%, 20 synthetic testers through the real services, then
N padding events), then times ``analytics.compute`` (all twelve KPIs) and the Analytics page's
series, after the process has started and the database is open; then whole script runs of the
Analytics page through Streamlit's AppTest, as an administrator: the first render, a rerun, and a
rerun with a rollout cohort chosen (which adds the exposed-against-unexposed table: 24 more KPI
queries).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from luna_core.analytics import SERIES, compute, series  # noqa: E402
from luna_core.analytics.seed import seed  # noqa: E402
from luna_core.config import Settings  # noqa: E402
from luna_core.luna import Luna  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        luna = Luna.open(Settings.from_env({}, data_dir=Path(folder), ollama_host="http://127.0.0.1:9"))
        luna.flags.set("RAG_DOCUMENT_PROCESSING", True, 50)  # half the testers exposed: both sides compared
        started = time.perf_counter()
        seed(luna, luna.user(), testers=20, days=28, events=args.events)
        print(f"seeded {luna.db.rows('SELECT count(*) AS n FROM events')[0]['n']:,} events "
              f"in {time.perf_counter() - started:.1f} s")
        for run in range(3):
            started = time.perf_counter()
            compute(luna.db, luna.user())
            kpis = time.perf_counter() - started
            started = time.perf_counter()
            for name in SERIES:
                series(luna.db, luna.user(), name)
            print(f"run {run + 1}: 12 KPIs {kpis:.3f} s, {len(SERIES)} chart series {time.perf_counter() - started:.3f} s")
        page(luna)


def page(luna: Luna) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["luna"], at.session_state["user"], at.session_state["apptest"] = luna, luna.user(), True
    at.run()

    def run(label: str, step) -> None:
        started = time.perf_counter()
        step()
        seconds = time.perf_counter() - started
        assert not at.exception, [e.value for e in at.exception]
        assert len(at.metric) == 12, "the page did not render its KPI tiles"
        print(f"analytics page, {label}: {seconds:.3f} s")

    run("first render", lambda: at.switch_page("pages/analytics.py").run())
    for n in range(3):
        run(f"rerun {n + 1}", at.run)
    run("rollout cohort chosen", lambda: at.selectbox(key="kpi_flag").select("RAG_DOCUMENT_PROCESSING").run())
    run("rerun with the cohort", at.run)
    table = at.dataframe[0].value.set_index("KPI").loc["Document upload"]
    print(f"  compared: document upload {table['Saw it on']} of {table['Testers (on)']} exposed testers, "
          f"{table['Only saw it off']} of {table['Testers (off)']} unexposed")


if __name__ == "__main__":
    main()
