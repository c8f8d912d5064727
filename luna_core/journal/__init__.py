"""The person's own data: journal entries with mood check-ins, their profile, and what of it a
persona may read (``context.own_data``)."""

from luna_core.journal.entries import Entry, Journal, Saved
from luna_core.journal.profile import Profile, Profiles

__all__ = ["Entry", "Journal", "Profile", "Profiles", "Saved"]
