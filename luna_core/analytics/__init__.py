"""Analytics for the product team: the roadmap's success metrics (KPIs) computed from events."""

from luna_core.analytics.kpis import KPIS, MIN_TESTERS, SERIES, TOO_FEW, compute, series

__all__ = ["KPIS", "MIN_TESTERS", "SERIES", "TOO_FEW", "compute", "series"]
