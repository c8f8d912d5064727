"""Analytics (administrators): the success metrics for a period and a cohort of testers as tiles
with target and status, the charts behind them, exposed against unexposed testers for a flag, and
a CSV export. Figures over fewer than 5 testers read "too few". Selecting a bar of the specialty
chart filters the page to the testers who made a persona of that specialty."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import altair as alt
import pandas as pd
import streamlit as st

from luna_core.analytics import TOO_FEW, Cohort, cohort_choices, compare, compute, series
from pages import common

ALL = "All testers"
SPECIALTY_CHART = "chart_specialties"


def period(column) -> tuple[datetime, datetime]:
    today = date.today()
    chosen = column.date_input("Period", value=(today - timedelta(days=29), today), max_value=today, key="kpi_period")
    start, end = (chosen[0], chosen[-1]) if isinstance(chosen, (tuple, list)) else (chosen, chosen)
    return datetime.combine(start, time.min), datetime.combine(end + timedelta(days=1), time.min)


def pick_category() -> None:
    """A bar of the specialty chart selected (or the selection cleared): the category filter follows."""
    picked = st.session_state[SPECIALTY_CHART]["selection"].get("pick") or []
    st.session_state["kpi_category"] = str(picked[0]["specialty"]).lower() if picked else ALL


def filters() -> tuple[datetime, datetime, Cohort]:
    """The period, and the rollout cohort, template and persona category filters that narrow the testers."""
    luna, user = common.luna(), common.user()
    choices = cohort_choices(luna.db, user)
    templates = dict(choices["templates"])
    if st.session_state.get("kpi_category") not in (ALL, *choices["categories"]):
        st.session_state["kpi_category"] = ALL  # a picked specialty no tester has any more
    period_column, flag_column, template_column, category_column = st.columns(4)
    since, until = period(period_column)
    flag = flag_column.selectbox("Rollout cohort", [ALL, *choices["flags"]], key="kpi_flag",
                                 help="The testers a feature flag decided for in the period.")
    exposed = True
    if flag != ALL:
        exposed = flag_column.segmented_control("Who", ["saw it on", "only saw it off"], default="saw it on",
                                                key="kpi_side", label_visibility="collapsed") != "only saw it off"
    template = template_column.selectbox("Template", [ALL, *templates], key="kpi_template",
                                         format_func=lambda t: templates.get(t, t),
                                         help="Testers who created a persona from this template.")
    category = category_column.selectbox("Persona category", [ALL, *choices["categories"]], key="kpi_category",
                                         help="Testers who created a persona in this category or specialty "
                                              "(or select a bar of the specialty chart).")
    return since, until, Cohort(flag=None if flag == ALL else flag, exposed=exposed,
                                template=None if template == ALL else template,
                                category=None if category == ALL else category)


def shown(figure: dict) -> str:
    """The figure as a tile shows it; a long unit ("normalised entropy") stays in the caption only."""
    value, unit = figure["value"], figure["unit"]
    return "too few" if value == TOO_FEW else "no data" if value is None else f"{value:g} {unit}" \
        if len(unit) <= 8 else f"{value:g}"


def tiles(figures: dict) -> None:
    items = list(figures.items())
    for start in range(0, len(items), 4):
        for column, (_, f) in zip(st.columns(4), items[start:start + 4]):
            with column.container(border=True):
                status = "⚪" if f["met"] is None else "🟢" if f["met"] else "🔴"
                st.metric(f"{status} {f['label']}", shown(f), help=f["definition"])
                st.caption(f"target {'>' if f['higher_is_better'] else '<'} {f['target']:g} {f['unit']} · "
                           f"{f['testers']} testers")


def comparison(flag: str, sides: dict) -> None:
    """Every KPI for the testers who saw ``flag`` on next to those who only saw it off."""
    st.subheader(f"{flag}: exposed and unexposed testers")
    st.dataframe(pd.DataFrame([{
        "KPI": s["exposed"]["label"], "Saw it on": shown(s["exposed"]), "Testers (on)": s["exposed"]["testers"],
        "Only saw it off": shown(s["unexposed"]), "Testers (off)": s["unexposed"]["testers"],
        "Target": f"{'>' if s['exposed']['higher_is_better'] else '<'} {s['exposed']['target']:g}"}
        for s in sides.values()]), hide_index=True, width="stretch")


def chart(title: str, rows: list[dict] | None, build, **selection) -> None:
    st.markdown(f"**{title}**")
    if rows is None:
        st.caption("Too few testers in this cohort and period to show.")
        return
    if not rows:
        st.caption("Nothing of this kind in this period.")
        return
    st.altair_chart(build(alt.Chart(pd.DataFrame(rows))), width="stretch", **selection)


def specialty_chart(rows: list[dict] | None) -> None:
    pick = alt.selection_point(name="pick", fields=["specialty"])
    chart("Personas per specialty (select a bar to filter)", rows,
          lambda c: c.mark_bar(cursor="pointer").encode(
              x="personas:Q", y=alt.Y("specialty:N", sort="-x", title=None),
              opacity=alt.condition(pick, alt.value(1.0), alt.value(0.4))).add_params(pick),
          on_select=pick_category, selection_mode="pick", key=SPECIALTY_CHART)


def render() -> None:
    common.note_wizard_left()
    st.title("📈 Analytics")
    luna, user = common.luna(), common.user()
    since, until, cohort = filters()
    st.caption(f"Figures for {cohort.describe()} active in the period. Each filter narrows the testers, "
               "who count with all their activity.")
    sides = compare(luna.db, user, cohort.flag, since, until, cohort) if cohort.flag else None
    side = "exposed" if cohort.exposed else "unexposed"  # the tiles are the chosen side of the comparison
    figures = {k: v[side] for k, v in sides.items()} if sides else compute(luna.db, user, since, until, cohort)
    tiles(figures)
    csv = pd.DataFrame([{"kpi": k, **{key: v[key] for key in ("label", "value", "target", "unit", "met", "testers")},
                         "cohort": cohort.describe()} for k, v in figures.items()]).to_csv(index=False)
    st.download_button("⬇️ KPIs as CSV", csv, f"luna-kpis-{since:%Y%m%d}-{until:%Y%m%d}.csv", mime="text/csv",
                       key="kpi_csv")
    if sides:
        comparison(cohort.flag, sides)
    left, right = st.columns(2)
    with left:
        specialty_chart(series(luna.db, user, "specialties", since, until, cohort))
        chart("Answers per star rating", series(luna.db, user, "ratings", since, until, cohort),
              lambda c: c.mark_bar().encode(x="stars:O", y="answers:Q"))
    with right:
        chart("Creations per day, by method", series(luna.db, user, "creations", since, until, cohort),
              lambda c: c.mark_bar().encode(x="day:T", y="personas:Q", color="method:N"))
        chart("Wizard funnel: openings reaching each step", series(luna.db, user, "funnel", since, until, cohort),
              lambda c: c.mark_bar().encode(x="step:O", y="reached:Q"))
    chart("Response time per day: p50, p90 and p95 of answers (regenerated ones not counted twice)",
          series(luna.db, user, "response_times", since, until, cohort),
          lambda c: c.transform_fold(["p50", "p90", "p95"], as_=["percentile", "seconds"]).mark_line(point=True)
          .encode(x="day:T", y="seconds:Q", color="percentile:N", tooltip=["day:T", "percentile:N", "seconds:Q",
                                                                           "answers:Q"]))

render()
