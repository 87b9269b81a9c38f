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


def event_jsonld(
    session: Session, *, description: str, program_name: str, organizer: Organizer, page_url: str
) -> dict[str, Any]:
    """The Event as a dict (startDate and endDate carry their UTC offsets); ``about`` names
    the program, when there is one."""
    places: list[dict[str, Any]] = []
    if session.format.in_person:
        places.append({"@type": "Place", "name": session.location, "address": session.location})
    if session.format.online:
        places.append({"@type": "VirtualLocation", "url": session.join_url})
    return {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.title,
        "description": description,
        "url": page_url,
        "startDate": session.start.isoformat(),
        "endDate": session.end.isoformat(),
        "eventAttendanceMode": _MODES[session.format],
        "eventStatus": session.status.schema_org,
        "location": places[0] if len(places) == 1 else places,
        "organizer": {"@type": "Organization", "name": organizer.name, "url": organizer.url},
        **({"about": program_name} if program_name else {}),
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "USD",
            "url": session.registration_url or page_url,
            "availability": "https://schema.org/SoldOut"
            if session.status is Status.FULL
            else "https://schema.org/InStock",
        },
    }


# JSON escapes for the characters that could end the script element early ("</script>") or
# open an HTML comment ("<!--<script>") that swallows the rest of the page.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def jsonld_script_text(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json"> element: no "<", ">" or "&" inside."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1)
    return Markup(text.translate(_SCRIPT_SAFE))
