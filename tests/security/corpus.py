"""The evasion corpus (tests/data/xss/evasions.toml) and the Markdown forms each URL is tried in."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1] / "data" / "xss" / "evasions.toml"


@dataclass(frozen=True)
class Entry:
    """One corpus entry: a URL, or a whole Markdown snippet with its expected verdict."""

    name: str
    source: str
    text: str
    verdict: str  # "refused", "harmless" (a URL) or "shown" (raw HTML as text)

    @property
    def slug(self) -> str:
        """A file name for the entry."""
        return "-".join("".join(c if c.isalnum() else " " for c in self.name).lower().split())


def _load() -> dict[str, list[Entry]]:
    data = tomllib.loads(CORPUS.read_text(encoding="utf-8"))
    return {
        "refused_url": [
            Entry(e["name"], e["source"], e["url"], "refused") for e in data["refused_url"]
        ],
        "harmless_url": [
            Entry(e["name"], e["source"], e["url"], "harmless") for e in data["harmless_url"]
        ],
        "markdown": [
            Entry(e["name"], e["source"], e["text"], e["verdict"]) for e in data["markdown"]
        ],
    }


_ENTRIES = _load()
REFUSED_URLS: list[Entry] = _ENTRIES["refused_url"]
HARMLESS_URLS: list[Entry] = _ENTRIES["harmless_url"]
SNIPPETS: list[Entry] = _ENTRIES["markdown"]

# Every place Markdown (with "extra") emits a URL: {url} is replaced by the corpus URL.
URL_FORMS: dict[str, str] = {
    "link": "[x](<{url}>)",
    "image": "![x](<{url}>)",
    "reference link": "[x][r]\n\n[r]: <{url}>",
    "attribute list on a link": '[x](/ok/){{: href="{url}" }}',
    "attribute list on an image": '![x](/ok.png){{: src="{url}" }}',
    "footnote": "Text[^1]\n\n[^1]: [x](<{url}>)",
    "table": "| a |\n|---|\n| [x](<{url}>) |",
    "definition list": "Term\n: [x](<{url}>)",
}


def url_in(form: str, url: str) -> str:
    """The Markdown of ``form`` holding ``url``."""
    return URL_FORMS[form].format(url=url)
