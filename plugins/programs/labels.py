"""The one label each program is known by wherever space is short: filters, session cards,
the comparison's column heads, the month view. Made here and nowhere else."""

from __future__ import annotations


def program_label(title: str, label: str = "", short_name: str = "") -> str:
    """``Label`` (else the title), followed by the short name in brackets when the program
    has one that the label does not already contain.

    >>> program_label("Master of Healthcare Quality and Safety", "Healthcare Quality and Safety",
    ...               "MHQS")
    'Healthcare Quality and Safety (MHQS)'
    >>> program_label("Master of Science in Clinical Service Operations",
    ...               "Clinical Service Operations")
    'Clinical Service Operations'
    >>> program_label("Alpha Program")
    'Alpha Program'
    """
    base = " ".join((label or title).split())
    short = " ".join(short_name.split())
    if short and short not in base:
        return f"{base} ({short})"
    return base
