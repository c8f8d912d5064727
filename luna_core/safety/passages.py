"""Passage classes, decided at ingest: which document passages a crisis turn may use.

In a crisis turn retrieval may only bring ``crisis_support`` passages (coping, grounding, safety
planning, crisis skills, where to get help). A passage about medication, doses, drugs, methods or
means is ``means`` and never reaches a person in crisis, whatever else it says; everything else is
``general``. Each chunk stores its class (``document_chunks.safety_class``); retrieval checks the
stored class and, as a second line, the passage text again.
"""

from __future__ import annotations

import re

CRISIS_SUPPORT, MEANS, GENERAL = "crisis_support", "means", "general"

_MEANS = re.compile(
    r"\b(?:medications?|medicines?|medicat\w+|antidepressants?|antipsychotics?|anticonvulsants?|benzodiazepines?|"
    r"ssris?|snris?|maois?|tricyclics?|lithium|sertraline|fluoxetine|citalopram|escitalopram|paroxetine|venlafaxine|"
    r"bupropion|mirtazapine|quetiapine|olanzapine|risperidone|aripiprazole|clozapine|lamotrigine|valproate|"
    r"stimulants?|opioids?|painkillers?|paracetamol|acetaminophen|ibuprofen|aspirin|sleeping pills?|sedatives?|"
    r"tranquili[sz]ers?|pills?|tablets?|capsules?|doses?|dosage|dosing|milligrams?|\d+ ?mg|prescri\w+|overdos\w*|"
    r"side effects?|withdrawal|taper\w*|fda|drug\w*|alcohol|lethal|fatal|poison\w*|firearms?|guns?|ropes?|noose|"
    r"ligature|hanging|jump\w* from|suffocat\w*|methods? of (?:suicide|self harm)|means of (?:suicide|self harm)|"
    r"ketamine|esketamine|electroconvulsive|ect\b|tms\b|brain stimulation)\b", re.IGNORECASE)
_SUPPORT = re.compile(
    r"\b(?:crisis|coping|cope|grounding|ground yourself|5-4-3-2-1|safety plan\w*|distress tolerance|tipp|stop skill|"
    r"self-soothe|self soothe|soothing|breath\w*|urge surfing|urges?|ride (?:it|the wave) out|reasons (?:to|for) liv\w*|"
    r"reach out|call (?:or text )?988|988|crisis (?:line|text line)|lifeline|samaritans|helpline|hotline|emergency|"
    r"911|999|a&e|someone you trust|trusted person|warning signs|triggers?|calm\w*|relax\w*|mindful\w*|cold water|"
    r"ice|paced breathing|distract\w*|radical acceptance|wise mind|safe place|support (?:line|network|person)|"
    r"stay safe|keep (?:yourself )?safe|you are not alone|get help|ask for help)\b", re.IGNORECASE)


def passage_class(text: str, section: str | None = None) -> str:
    """``means`` if the passage (or its section heading) touches medication, doses, drugs, methods
    or means; else ``crisis_support`` if it teaches coping, grounding, safety planning, crisis
    skills or where to get help; else ``general``."""
    whole = f"{section or ''}\n{text}"
    if _MEANS.search(whole):
        return MEANS
    if _SUPPORT.search(whole):
        return CRISIS_SUPPORT
    return GENERAL
