"""Crisis services by region, and the block Luna puts first in every crisis reply.

Only well-known national services are listed, as the services publish them; review the list at
least once a year. In the US the 988 Suicide & Crisis Lifeline replaced 1-800-273-TALK in July
2022; Canada's 9-8-8 opened in November 2023. Every region, known or not, also gets the international directory (findahelpline.com) and
the local emergency number, so an unknown region is never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from luna_core.errors import ValidationError


@dataclass(frozen=True)
class Resource:
    name: str
    contact: str
    detail: str
    links: tuple[tuple[str, str], ...] = ()  # (label, tel:/sms:/https: address) a phone can open with one tap


FIND_A_HELPLINE = Resource("Find A Helpline", "findahelpline.com",
                           "free, confidential helplines in your country, by phone, text or chat",
                           (("Open findahelpline.com", "https://findahelpline.com"),))
LOCAL_EMERGENCY = Resource("Emergency services", "your local emergency number",
                           "if you or someone else is in immediate danger")


def _call(number: str) -> tuple[str, str]:
    return f"Call {number}", "tel:" + re.sub(r"\D", "", number)


def _text(number: str, word: str | None = None) -> tuple[str, str]:
    digits = re.sub(r"\D", "", number)
    return (f"Text {word} to {number}", f"sms:{digits}?body={word}") if word else (f"Text {number}", f"sms:{digits}")


def _emergency(*numbers: str) -> Resource:
    return Resource("Emergency services", " or ".join(numbers), "your local emergency number, if you or someone "
                    "else is in immediate danger", tuple(_call(n) for n in numbers))


_REGIONS: dict[str, list[Resource]] = {
    "US": [
        Resource("988 Suicide & Crisis Lifeline", "call or text 988",
                 "free, confidential, 24/7; chat at 988lifeline.org", (_call("988"), _text("988"))),
        Resource("Crisis Text Line", "text HOME to 741741", "24/7 support by text from a trained volunteer",
                 (_text("741741", "HOME"),)),
        _emergency("911"),
    ],
    "UK": [
        Resource("Samaritans", "call 116 123", "free, 24/7, from any phone", (_call("116 123"),)),
        Resource("Shout", "text SHOUT to 85258", "free, 24/7 text support", (_text("85258", "SHOUT"),)),
        _emergency("999"),
    ],
    "IE": [
        Resource("Samaritans", "call 116 123", "free, 24/7, from any phone", (_call("116 123"),)),
        Resource("Text About It (50808)", "text HELLO to 50808", "free, 24/7 text support",
                 (_text("50808", "HELLO"),)),
        _emergency("112", "999"),
    ],
    "CA": [
        Resource("9-8-8 Suicide Crisis Helpline", "call or text 9-8-8", "free, 24/7, in English and French",
                 (_call("9-8-8"), _text("9-8-8"))),
        _emergency("911"),
    ],
    "AU": [
        Resource("Lifeline", "call 13 11 14", "24/7 crisis support; chat at lifeline.org.au", (_call("13 11 14"),)),
        _emergency("000"),
    ],
    "NZ": [
        Resource("1737, Need to talk?", "call or text 1737", "free, 24/7, with a trained counsellor",
                 (_call("1737"), _text("1737"))),
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


@dataclass(frozen=True)
class CrisisBlock:
    """What comes first in a crisis reply, in parts, so that the chat page can show it as a safety
    message with tappable links while the stored reply and the CLI keep its Markdown."""
    opening: str
    resources: list[Resource]
    closing: list[str]

    @property
    def markdown(self) -> str:
        lines = [f"- **{r.name}**: {r.contact} ({r.detail})" for r in self.resources]
        return "\n\n".join([self.opening, "\n".join(lines), *self.closing])


def crisis_block(region: str = "US", level: str = "high", for_other: bool = False) -> CrisisBlock:
    """A short opening for the level, the region's resources, and a line saying Luna is an AI and
    cannot call for help. With ``for_other`` the block speaks to someone worried about another
    person (what to do as a helper)."""
    if level not in _OPENINGS:
        raise ValidationError(f"Unknown crisis level {level!r}: use one of {', '.join(_OPENINGS)}.")
    emergency = emergency_contact(region)
    if for_other and level in _FOR_OTHER:
        return CrisisBlock(_FOR_OTHER[level].format(emergency=emergency), resources_for(region),
                           [HELPER_LINE, AI_LINE])
    opening = _OPENINGS[level].format(emergency=emergency)
    if level == "imminent":
        opening += "\n\nYou can also reach:"
    return CrisisBlock(opening, resources_for(region), [AI_LINE])


def crisis_message(region: str = "US", level: str = "high", for_other: bool = False) -> str:
    """The Markdown block that comes first in a crisis reply (``crisis_block`` as Markdown)."""
    return crisis_block(region, level, for_other).markdown


def split_crisis_block(content: str, region: str, level: str | None) -> tuple[CrisisBlock | None, str]:
    """(the crisis block a stored reply starts with, the rest of the reply); (None, content) when
    it starts with none of the blocks for ``level`` in ``region``."""
    if level not in _OPENINGS:
        return None, content
    for for_other in (True, False):
        block = crisis_block(region, level, for_other)
        if content.startswith(block.markdown):
            return block, content[len(block.markdown):].lstrip()
    return None, content
