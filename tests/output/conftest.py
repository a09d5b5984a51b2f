"""Fixtures of the output tests: digests to render, one hand-built and hostile, one real."""

from __future__ import annotations

from pathlib import Path

import pytest

from summarizer.config import load_config
from summarizer.pipeline import run
from summarizer.records import ArticleSummary, Conflict, ConflictValue, Digest, DigestSentence, Evidence

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "kabul-2021"
#: Markup a scraped title could hold: it must show as these characters and never run.
HOSTILE = '<script>window.pwned = 1</script>"><img src=x onerror="window.pwned = 2">'


@pytest.fixture(scope="module")
def kabul(tmp_path_factory: pytest.TempPathFactory) -> tuple[Digest, Path]:
    """The README's example (``make example``): the Kabul digest and the folder holding its files."""
    folder = tmp_path_factory.mktemp("kabul")
    (digest,) = run(EXAMPLE, load_config("extractive", ["cache.enabled=false"]), output=folder, progress=False)
    return digest, folder


@pytest.fixture
def hostile() -> Digest:
    """A digest whose every article-borne string carries markup, and whose figures disagree."""
    sentence = DigestSentence(
        text=f"Crowds grew {HOSTILE} at the gate.",
        sources=("a", "b"),
        doc_id="a",
        evidence=(Evidence("a", f"Crowds grew {HOSTILE} at the gate.", 1.0), Evidence("b", "Crowds kept growing at the gate.", 0.8)),
    )
    conflict = Conflict(
        "people: killed",
        (ConflictValue("Seven", "a", "Seven people were killed."), ConflictValue("at least 20", "b", "At least 20 people died.")),
    )
    return Digest(
        cluster_id="hostile",
        config={"model": {"method": "extractive"}, "data": {"language": "en"}},
        model="m",
        method="extractive",
        articles=[ArticleSummary("a", HOSTILE, f"Summary {HOSTILE}"), ArticleSummary("b", "Plain title", "Crowds kept growing.")],
        digest=[sentence],
        timings={"fuse_s": 0.25},
        notes=[f"Note {HOSTILE}"],
        conflicts=[conflict],
    )


@pytest.fixture
def arabic() -> Digest:
    """A right-to-left digest written by hand: short Arabic sentences, Arabic-Indic digits, a conflict."""
    evacuated = "أعلنت السلطات إجلاء ٢٥٬١٠٠ شخص من مطار كابول خلال أسبوع واحد."
    sentence = DigestSentence(
        text=evacuated,
        sources=("a", "b"),
        doc_id="a",
        evidence=(Evidence("a", evacuated, 1.0), Evidence("b", "قالت الحكومة إن ٢٥٬١٠٠ شخص غادروا المطار هذا الأسبوع.", 0.81)),
    )
    conflict = Conflict(
        "people: المطار",
        (ConflictValue("٧", "a", "قتل ٧ أشخاص قرب بوابة المطار."), ConflictValue("20", "b", "لقي 20 شخصا مصرعهم قرب المطار.")),
    )
    return Digest(
        cluster_id="kabul-ar",
        config={"model": {"method": "extractive"}},
        model="lexrank",
        method="extractive",
        articles=[ArticleSummary("a", "إجلاء آلاف الأشخاص من كابول", evacuated), ArticleSummary("b", "زحام عند بوابات المطار", "قتل ٧ أشخاص.")],
        digest=[sentence],
        timings={"fuse_s": 0.25},
        conflicts=[conflict],
        language="ar",
    )
