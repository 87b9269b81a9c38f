"""The site's prose is in our own words: no sentence outside a quotation copies a source.

How a near-copy is measured: tests/site/near_copies.py (``python -m tests.site.near_copies``
lists every sentence with its numbers).
"""

from __future__ import annotations

import pytest

from tests.site.near_copies import ROOT, Comparison, Unit, content_units, near_copies


@pytest.fixture(scope="module")
def comparison() -> Comparison:
    _, names = content_units(ROOT)
    return Comparison(ROOT / "sources", names)


def test_no_sentence_of_our_prose_copies_a_source() -> None:
    assert [str(measure) for measure in near_copies()] == []


# Sentences the site once had, copied from the sources almost word for word.
COPIES = [
    "Harvard Medical School has approved a new Master of Medical Sciences (MMSc) in Medical "
    "Education.",
    "The MGH Institute of Health Professions, a graduate school founded by Massachusetts General "
    "Hospital, has announced a new Master of Science in Health Professions Education degree "
    "program, run in collaboration with the Harvard Macy Institute.",
    "The six-credit capstone project is the key component of the program.",
    "It includes intensive training in improvement skills, weekly seminars, IHI events, "
    "practical assignments, and site visits to organisations doing exceptional work.",
    "Describe the role and impact of graduate medical education and teaching on a clinical unit",
    "Students receive feedback from their personal mentor, their peers and their lecturers.",
]

# The same facts in our own words, and sentences that only share names, titles and quotes.
OWN_WORDS = [
    "The Master of Medical Sciences (MMSc) in Medical Education is a new degree, approved by "
    "Harvard Medical School.",
    "Massachusetts General Hospital founded the MGH Institute of Health Professions as a "
    "graduate school.",
    "At the heart of the program is the capstone project, worth six credits.",
    "It combines intensive improvement-skills training, a seminar every week, IHI events, "
    "practical assignments and visits to organisations whose work is exceptional.",
    "Describe the part teaching and graduate medical education play in a clinical unit, and "
    "their effect on it",
    "She is HMS associate professor of medicine, associate chair for education in the "
    "Department of Medicine, and director of quality improvement and safety for graduate "
    "medical education at Beth Israel Deaconess Medical Center.",
    "Patient partners call it “a team effort and most effective when it includes people using "
    "services and their carers, families and advocates.”",
    "Its courses include Quantitative Science and Clinical Research in Health Care Service "
    "Operations and Capstone and Practicum.",
]


@pytest.mark.parametrize("text", COPIES)
def test_a_lightly_edited_source_sentence_is_a_near_copy(comparison: Comparison, text: str):
    assert comparison.measure(Unit("example", text)).near_copy


@pytest.mark.parametrize("text", OWN_WORDS)
def test_own_words_names_titles_and_quotations_are_not(comparison: Comparison, text: str):
    measure = comparison.measure(Unit("example", text))
    assert not measure.near_copy, str(measure)


def test_every_kind_of_prose_is_measured() -> None:
    units, names = content_units(ROOT)
    places = {unit.where.split(" ", 1)[0] for unit in units}
    fields = {unit.where.split(" ", 1)[1] for unit in units if " " in unit.where}
    assert {
        "content/programs/clinical-service-operations.md",
        "content/programs/clinical-service-operations.toml",
        "content/quotes/anjala-tess.md",
        "content/news/bmj-quality-improvement-series.md",
        "content/pages/about.md",
        "content/figures.toml",
    } <= places
    assert {"summary", "audience", "requirements", "format", "context"} <= fields
    assert any(field.endswith(" aim") for field in fields)
    assert any(field.endswith(" objective") for field in fields)
    # Quotations themselves are not our prose; their speakers' roles are names to keep.
    assert not any(
        unit.where.startswith("content/quotes/") and " " not in unit.where for unit in units
    )
    assert "program director for the MHQS degree program" in names
