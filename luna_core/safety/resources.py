"""Crisis services by region, and the block Luna puts first in every crisis reply.

Only well-known national services are listed, as the services publish them; review the list at
least once a year. In the US the 988 Suicide & Crisis Lifeline replaced 1-800-273-TALK in July
2022; Canada's 9-8-8 opened in November 2023. Every region, known or not, also gets the international directory (findahelpline.com) and
the local emergency number, so an unknown region is never an error.
"""

from __future__ import annotations

from dataclasses import dataclass

from luna_core.errors import ValidationError


@dataclass(frozen=True)
class Resource:
    name: str
    contact: str
    detail: str


FIND_A_HELPLINE = Resource("Find A Helpline", "findahelpline.com",
                           "free, confidential helplines in your country, by phone, text or chat")
LOCAL_EMERGENCY = Resource("Emergency services", "your local emergency number",
                           "if you or someone else is in immediate danger")


def _emergency(number: str) -> Resource:
    return Resource("Emergency services", number, "your local emergency number, if you or someone else is in "
                                                  "immediate danger")


_REGIONS: dict[str, list[Resource]] = {
    "US": [
        Resource("988 Suicide & Crisis Lifeline", "call or text 988",
                 "free, confidential, 24/7; chat at 988lifeline.org"),
        Resource("Crisis Text Line", "text HOME to 741741", "24/7 support by text from a trained volunteer"),
        _emergency("911"),
    ],
    "UK": [
        Resource("Samaritans", "call 116 123", "free, 24/7, from any phone"),
        Resource("Shout", "text SHOUT to 85258", "free, 24/7 text support"),
        _emergency("999"),
    ],
    "IE": [
        Resource("Samaritans", "call 116 123", "free, 24/7, from any phone"),
        Resource("Text About It (50808)", "text HELLO to 50808", "free, 24/7 text support"),
        _emergency("112 or 999"),
    ],
    "CA": [
        Resource("9-8-8 Suicide Crisis Helpline", "call or text 9-8-8", "free, 24/7, in English and French"),
        _emergency("911"),
    ],
    "AU": [
        Resource("Lifeline", "call 13 11 14", "24/7 crisis support; chat at lifeline.org.au"),
        _emergency("000"),
    ],
    "NZ": [
        Resource("1737, Need to talk?", "call or text 1737", "free, 24/7, with a trained counsellor"),
        _emergency("111"),
    ],
}
_ALIASES = {"USA": "US", "UNITED STATES": "US", "GB": "UK", "UNITED KINGDOM": "UK", "IRELAND": "IE",
            "CANADA": "CA", "AUSTRALIA": "AU", "NEW ZEALAND": "NZ"}


def resources_for(region: str = "US") -> list[Resource]:
    """The crisis services for ``region`` (ISO-style code such as "US", "UK", "IE"), then the
    international directory. An unknown region gets the directory and the local emergency number."""
    code = (region or "").strip().upper()
    code = _ALIASES.get(code, code)
    if code in _REGIONS:
        return [*_REGIONS[code], FIND_A_HELPLINE]
    return [FIND_A_HELPLINE, LOCAL_EMERGENCY]


def emergency_contact(region: str = "US") -> str:
    """The region's emergency number, or "your local emergency number"."""
    return next(r.contact for r in resources_for(region) if r.name == "Emergency services")


_OPENINGS = {
    "imminent": ("**Your safety matters most right now.** Please call {emergency} now, or go to the nearest "
                 "emergency department. If you can, don't stay alone: ask someone to be with you, and move away "
                 "from anything you could use to hurt yourself or anyone else."),
    "high": ("**I'm really glad you told me.** What you're going through sounds painful, and you deserve support "
             "from a person who can help, right now. You don't have to carry this alone:"),
    "moderate": ("**Thank you for telling me how you feel.** It sounds really heavy, and talking to someone can "
                 "help. You can reach a person right now, any time of day:"),
    "low": "If things start to feel harder, you can reach someone at any time:",
    "none": "If you ever need to talk to someone, you can reach a person at any time:",
}
AI_LINE = "_I'm an AI, so I can't call anyone or send help myself, but the people above can, and I'm still here to talk._"


_FOR_OTHER = {
    "imminent": ("**If their life is in danger right now, call {emergency} now** and tell them where the person is. "
                 "Stay with them, or keep talking to them, until help arrives, if that is safe for you; don't promise "
                 "to keep it secret. These services also help people who are worried about someone else:"),
    "high": ("**It's good that you're looking out for them.** Ask them directly whether they are thinking about "
             "suicide (asking does not put the idea in their head), listen without judging, help them remove "
             "anything they could use to hurt themselves, and help them contact one of these services, which also "
             "talk with people worried about someone else:"),
    "moderate": ("**It's caring of you to notice.** Check in with them, ask how they really are, and let them know "
                 "you're there. If you're worried about their safety, these services can advise you too:"),
}
HELPER_LINE = "If this is weighing on you too, these services are there for you as well."


def crisis_message(region: str = "US", level: str = "high", for_other: bool = False) -> str:
    """The Markdown block that comes first in a crisis reply: a short opening for the level, the
    region's resources as a list, and a line saying Luna is an AI and cannot call for help. With
    ``for_other`` the block speaks to someone worried about another person (what to do as a helper)."""
    if level not in _OPENINGS:
        raise ValidationError(f"Unknown crisis level {level!r}: use one of {', '.join(_OPENINGS)}.")
    if for_other and level in _FOR_OTHER:
        lines = [f"- **{r.name}**: {r.contact} ({r.detail})" for r in resources_for(region)]
        return "\n\n".join([_FOR_OTHER[level].format(emergency=emergency_contact(region)), "\n".join(lines),
                             HELPER_LINE, AI_LINE])
    opening = _OPENINGS[level].format(emergency=emergency_contact(region))
    if level == "imminent":
        opening += "\n\nYou can also reach:"
    lines = [f"- **{r.name}**: {r.contact} ({r.detail})" for r in resources_for(region)]
    return "\n\n".join([opening, "\n".join(lines), AI_LINE])
