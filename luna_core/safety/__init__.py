"""Safety: a person in crisis is met with crisis resources first, whatever the persona says.

Owns the crisis detector (``detector``: rules and the semantic check combined), its rules
(``rules`` over ``rules_self`` and ``rules_others``, with ``plan`` and ``context`` for intent,
negation, figurative speech), the prototype messages (``prototypes``, ``semantic``), worry about
someone else (``concern``), reading a message with the recent turns (``conversation``), text
normalisation (``text``), the passage classes that keep means out of a crisis turn (``passages``),
the check of the model's reply (``reply`` over ``reply_rules`` and ``reply_stance``, with the
trained ``reply_model``, made by ``reply_training`` from the labelled replies in ``data/``) and the
crisis resources of each region (``resources``). Nothing here depends on retrieval or the model.
"""

from luna_core.safety.detector import CATEGORIES, CRISIS_LEVELS, LEVELS, CrisisAssessment, CrisisDetector
from luna_core.safety.reply import ReplyCheck, check_reply
from luna_core.safety.resources import crisis_message, emergency_contact, resources_for

__all__ = ["CATEGORIES", "CRISIS_LEVELS", "LEVELS", "CrisisAssessment", "CrisisDetector", "ReplyCheck",
           "check_reply", "crisis_message", "emergency_contact", "resources_for"]
