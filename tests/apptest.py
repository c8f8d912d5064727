"""Helpers for driving the real app with Streamlit's AppTest, on a temporary Luna."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def start(luna, user=None) -> AppTest:
    """The app's entry point with ``luna`` injected (and optionally the signed-in user)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.session_state["luna"] = luna
    if user is not None:
        at.session_state["user"], at.session_state["apptest"] = user, True
    return at.run()


def no_errors(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def button(at: AppTest, label: str, nth: int = 0):
    found = [b for b in at.button if b.label == label]
    assert len(found) > nth, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return found[nth]


def click(at: AppTest, label: str, nth: int = 0) -> AppTest:
    return no_errors(button(at, label, nth).click().run())


def labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def texts(at: AppTest) -> str:
    """Everything the page shows as markdown, captions, alerts and titles, as one string."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [t.value for t in at.title]
    parts += [a.value for kind in ("success", "error", "warning", "info") for a in getattr(at, kind)]
    parts += [s.value for s in at.subheader]
    return "\n".join(str(p) for p in parts)
