"""KPIs over a large event log: ``python bench/bench_kpis.py [--events 1000000]``.

Builds a fresh data folder with ``demo-seed`` (20 synthetic testers through the real services, then
N padding events), then times ``analytics.compute`` (all twelve KPIs) and the Analytics page's
series, after the process has started and the database is open.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


if __name__ == "__main__":
    main()
