"""schema.org Event JSON-LD for a session page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from .model import Format, Session, Status

_MODES = {
    Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


@dataclass(frozen=True)
class Organizer:
    """Who organizes the sessions: a name and the address of its site."""

    name: str
    url: str


# schema.org ItemAvailability of the free registration. Google's event rich results take
# InStock, SoldOut and PreOrder. A cancelled or postponed session gets no offer at all: there
# is nothing to register for (a postponed one reopens when its new date is set), and Google
# asks only that eventStatus say so (offers is recommended, never required), while
# schema.org's Discontinued or OutOfStock are not among the values Google reads for events.
_AVAILABILITY = {
    Status.SCHEDULED: "https://schema.org/InStock",
    Status.FULL: "https://schema.org/SoldOut",  # registration closed, the session goes ahead
}


def event_jsonld(
    session: Session, *, description: str, program_name: str, organizer: Organizer, page_url: str
) -> dict[str, Any]:
    """The Event as a dict (startDate and endDate carry their UTC offsets); ``about`` names
    the program, when there is one."""
    places: list[dict[str, Any]] = []
    if session.format.in_person:
        places.append({"@type": "Place", "name": session.location, "address": session.location})
    if session.format.online:
        # A VirtualLocation needs a url: the session's page once the join link is withdrawn.
        places.append({"@type": "VirtualLocation", "url": session.join_link or page_url})
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title,
        "description": session.without_join_link(description),
        "url": page_url,
        "startDate": session.start.isoformat(),
        "endDate": session.end.isoformat(),
        "eventAttendanceMode": _MODES[session.format],
        "eventStatus": session.status.schema_org,
        "location": places[0] if len(places) == 1 else places,
        "organizer": {"@type": "Organization", "name": organizer.name, "url": organizer.url},
        **({"about": program_name} if program_name else {}),
        "isAccessibleForFree": True,
    }
    if session.status in _AVAILABILITY:
        open_form = session.status is Status.SCHEDULED and session.registration_url
        event["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "USD",
            # The form only while it takes registrations, as on the page.
            "url": session.registration_url if open_form else page_url,
            "availability": _AVAILABILITY[session.status],
        }
    return event


# JSON escapes for the characters that could end the script element early ("</script>") or
# open an HTML comment ("<!--<script>") that swallows the rest of the page.
# U+2028 and U+2029 too: valid in JSON, but line terminators to JavaScript before ES2019.
_SCRIPT_SAFE = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)


def jsonld_script_text(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> element: no "<", ">" or "&" inside."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    return Markup(text.translate(_SCRIPT_SAFE))
