"""How long the persona manager takes to render for a user with 300 personas.

Measures, on a real DuckDB file: the service read behind the grid (``PersonaService.browse``), and
full script runs of the Companions page through Streamlit's AppTest (first render, and a rerun
after a click), which include building every card's widgets. Prints one JSON line per measure.

    .venv/bin/python bench/bench_persona_grid.py [--personas 300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from streamlit.testing.v1 import AppTest  # noqa: E402

from luna_core.config import Settings  # noqa: E402
from luna_core.luna import Luna  # noqa: E402


def timed(fn, repeat: int) -> dict:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(statistics.median(samples), 1), "max_ms": round(max(samples), 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--personas", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp(prefix="luna-bench-"))
    luna = Luna.open(Settings.from_env({}, data_dir=data_dir, ollama_host="http://127.0.0.1:9"))
    user = luna.user("bench")
    templates = [t.id for t in luna.templates.list()]
    for i in range(args.personas):
        luna.personas.create_from_template(user, templates[i % len(templates)], name=f"Persona {i:03}")
    results = {"personas": args.personas + 2}
    results["browse_all"] = timed(lambda: luna.personas.browse(user), args.repeat)
    results["browse_search"] = timed(lambda: luna.personas.browse(user, "therapy", "grief"), args.repeat)

    def first_render(limit: int | None = None):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["luna"], at.session_state["user"], at.session_state["apptest"] = luna, user, True
        if limit:
            at.session_state["grid_limit"] = limit
        at.run()
        assert not at.exception
        return at

    results["page_first_render"] = timed(first_render, args.repeat)
    at = first_render()
    results["page_rerun_after_favourite"] = timed(
        lambda: at.button(key=f"fav_{luna.personas.list(user)[0].id}").click().run(), args.repeat)
    results["cards_rendered"] = sum(1 for m in at.markdown if 'font-size:1.05em">' in m.value)
    # Everyone expanded with "Show more" until all cards are on the page at once:
    results["page_render_all_cards"] = timed(lambda: first_render(10_000), args.repeat)
    print(json.dumps(results))


if __name__ == "__main__":
    main()
