"""Analytics for the product team: the roadmap's success metrics (KPIs) computed from events."""

from luna_core.analytics.kpis import (
                                      EVERYONE,
                                      KPIS,
                                      MIN_TESTERS,
                                      SERIES,
                                      TOO_FEW,
                                      Cohort,
                                      cohort_choices,
                                      compare,
                                      compute,
                                      series,
)

__all__ = ["EVERYONE", "KPIS", "MIN_TESTERS", "SERIES", "TOO_FEW", "Cohort", "cohort_choices", "compare", "compute",
           "series"]
