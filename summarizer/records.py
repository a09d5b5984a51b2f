"""Plain data passed between pipeline stages.

Stages exchange these frozen dataclasses (or ``datasets`` rows), never model objects, so each
stage can be tested with hand-made values and results serialise straight to JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .text import word_count


@dataclass(frozen=True)
class Article:
    """One cleaned news article of a cluster."""

    cluster_id: str
    doc_id: str
    title: str
    text: str
    references: tuple[str, ...] = ()  # human reference summaries of the whole cluster, if any
    language: str = ""  # ISO 639-1 code the detector is confident of, "" when it has no verdict
    date: str = ""  # publication date as given (ISO 8601), "" when the input has none


@dataclass(frozen=True)
class Story:
    """One event of a feed: the articles grouped together (``summarizer.stories``)."""

    id: str  # stable across runs: derived from the story's first (seed) article
    title: str  # the seed article's title (its opening words when it has none)
    doc_ids: tuple[str, ...]  # in the order they joined, the seed first

    @property
    def size(self) -> int:
        return len(self.doc_ids)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "doc_ids": list(self.doc_ids), "size": self.size}


@dataclass(frozen=True)
class ArticleSummary:
    """The summary of one article, and how it was made."""

    doc_id: str
    title: str
    summary: str
    chunks: int = 1  # how many input-window-sized parts the article was summarized in


@dataclass(frozen=True)
class Evidence:
    """The sentence of one article that best supports a digest sentence."""

    doc_id: str
    sentence: str
    score: float  # cosine similarity to the digest sentence


@dataclass(frozen=True)
class DigestSentence:
    """One sentence of the digest and every article that says the same thing."""

    text: str
    sources: tuple[str, ...]  # doc ids of every article backing the sentence, in input order
    doc_id: str  # the article the representative sentence was taken from
    evidence: tuple[Evidence, ...] = ()  # best supporting sentence of each source article

    @property
    def support(self) -> int:
        """How many articles back this sentence."""
        return len(self.sources)


@dataclass(frozen=True)
class ConflictValue:
    """One article's figure in a disagreement, with the sentence a reader can check."""

    value: str  # as written: "about 17,000", "between 10,000 and 15,000", "seven"
    doc_id: str
    sentence: str


@dataclass(frozen=True)
class Conflict:
    """The same thing counted differently by different articles (see :mod:`summarizer.fuse.conflicts`)."""

    topic: str  # what is counted and the words the sentences share: "people: evacuated, week"
    values: tuple[ConflictValue, ...]  # every figure found for it, in article order


@dataclass(frozen=True)
class Hallucination:
    """A summary sentence naming a number or name that its article does not contain."""

    doc_id: str
    sentence: str
    unsupported: tuple[str, ...]  # the numbers and names missing from the article
    kept: bool  # True when guard.drop_flagged is off and the sentence stayed in the summary


@dataclass
class Digest:
    """The result for one cluster: what ``digest.json`` holds."""

    cluster_id: str
    config: dict[str, Any]
    model: str
    method: str  # "abstractive" | "extractive" | "lead"
    articles: list[ArticleSummary]
    digest: list[DigestSentence]
    timings: dict[str, float]
    embedder: str = ""
    notes: list[str] = field(default_factory=list)  # announcements: fallbacks, single-article clusters
    fallback: dict[str, str] | None = None  # {"from": model, "to": method, "reason": ...} when one happened
    conflicts: list[Conflict] = field(default_factory=list)  # figures the articles disagree on
    hallucinations: list[Hallucination] = field(default_factory=list)  # flagged summary sentences
    language: str = "en"  # ISO 639-1 code of the language whose rules read the cluster

    @property
    def word_count(self) -> int:
        """The digest's length in words, as its budget counts them."""
        return sum(word_count(s.text) for s in self.digest)

    def to_json(self) -> dict[str, Any]:
        """The ``digest.json`` document (documented field names; extra fields are additive)."""
        data = asdict(self)
        data["digest"] = [
            {
                "text": s.text,
                "sources": list(s.sources),
                "support": s.support,
                "doc_id": s.doc_id,
                "evidence": [asdict(e) for e in s.evidence],
            }
            for s in self.digest
        ]
        data["word_count"] = self.word_count
        data["hallucinations"] = {"flagged": len(self.hallucinations), "sentences": data["hallucinations"]}
        return data
