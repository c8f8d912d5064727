"""Analytics (administrators): the success metrics for a period as tiles with target and status,
the charts behind them, and a CSV export. Figures over fewer than 5 testers read "too few"."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from luna_core.analytics import TOO_FEW, compute, series
from pages import common


def period() -> tuple[datetime, datetime]:
    today = date.today()
    chosen = st.date_input("Period", value=(today - timedelta(days=29), today), max_value=today, key="kpi_period")
    start, end = (chosen[0], chosen[-1]) if isinstance(chosen, (tuple, list)) else (chosen, chosen)
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def tiles(figures: dict) -> None:
    items = list(figures.items())
    for start in range(0, len(items), 4):
        for column, (_, f) in zip(st.columns(4), items[start:start + 4]):
            with column.container(border=True):
                value = f["value"]
                shown = "too few" if value == TOO_FEW else "no data" if value is None else f"{value:g} {f['unit']}"
                status = "⚪" if f["met"] is None else "🟢" if f["met"] else "🔴"
                st.metric(f"{status} {f['label']}", shown, help=f["definition"])
                st.caption(f"target {'>' if f['higher_is_better'] else '<'} {f['target']:g} {f['unit']} · "
                           f"{f['testers']} testers")


def chart(title: str, rows: list[dict] | None, build) -> None:
    st.markdown(f"**{title}**")
    if rows is None:
        st.caption("Too few testers in this period to show.")
        return
    if not rows:
        st.caption("Nothing of this kind in this period.")
        return
    st.altair_chart(build(alt.Chart(pd.DataFrame(rows))), width="stretch")


def render() -> None:
    common.note_wizard_left()
    st.title("📈 Analytics")
    luna, user = common.luna(), common.user()
    since, until = period()
    figures = compute(luna.db, user, since, until)
    tiles(figures)
    csv = pd.DataFrame([{"kpi": k, **{key: v[key] for key in ("label", "value", "target", "unit", "met", "testers")}}
                        for k, v in figures.items()]).to_csv(index=False)
    st.download_button("⬇️ KPIs as CSV", csv, f"luna-kpis-{since:%Y%m%d}-{until:%Y%m%d}.csv", mime="text/csv",
                       key="kpi_csv")
    left, right = st.columns(2)
    with left:
        chart("Personas per specialty", series(luna.db, user, "specialties", since, until),
              lambda c: c.mark_bar().encode(x="personas:Q", y=alt.Y("specialty:N", sort="-x")))
        chart("Answers per star rating", series(luna.db, user, "ratings", since, until),
              lambda c: c.mark_bar().encode(x="stars:O", y="answers:Q"))
    with right:
        chart("Creations per day, by method", series(luna.db, user, "creations", since, until),
              lambda c: c.mark_bar().encode(x="day:T", y="personas:Q", color="method:N"))
        chart("Wizard funnel: openings reaching each step", series(luna.db, user, "funnel", since, until),
              lambda c: c.mark_bar().encode(x="step:O", y="reached:Q"))
    times = series(luna.db, user, "response_times", since, until)
    if times and times[0]["answers"]:  # None (too few testers) or no answers: nothing to say
        t = times[0]
        st.caption(f"Response time over {t['answers']} answers: p50 {t['p50']:.1f} s · p90 {t['p90']:.1f} s · "
                   f"p95 {t['p95']:.1f} s (regenerated answers not counted twice)")


render()
