"""Sentence compression for the selection: shorter forms of a sentence that keep its fact.

After Gillick & Favre (2009) and Berg-Kirkpatrick, Gillick & Klein (2011): the integer program
of :mod:`summarizer.fuse.select` may take a sentence whole or in one shorter form, so that the
word budget carries more facts. Each rule deletes a span whose removal leaves a grammatical
sentence:

* an attribution tail: "..., officials said Tuesday." -> "..." (not in a sentence with a quote,
  where the tail is the quote's speaker, and the digest never shows a quote without one);
* a parenthetical: "the Northern Alliance (NA)" -> "the Northern Alliance";
* a non-restrictive relative clause or appositive between commas after a name:
  "Pinochet, who was arrested in London, faces ..." -> "Pinochet faces ...".

Where this deviates from the papers: they learn which subtree deletions to make from a parse
(Berg-Kirkpatrick et al. train the deletions jointly with the extraction); here the deletions
are a few fixed patterns on the surface text, with no parser, so some compressible spans are
missed rather than risk an ungrammatical cut. The shorter forms keep the full sentence's
embedding, so redundancy and evidence are judged on what the sentence says in full.
"""

from __future__ import annotations

import re

# ", officials said." / ", he told reporters on Tuesday." / ", according to the ministry."
_ATTRIBUTION_TAIL = re.compile(
    r",\s+(?:(?:[\w.'’-]+\s+){1,6}(?:said|says|told\s+\w+|added|reported|announced)(?:\s+[\w'’-]+){0,3}|according\s+to\s+[^,]{2,60})\s*\.$",
    re.IGNORECASE,
)
_PARENTHETICAL = re.compile(r"\s*\([^()]{1,80}\)")
# ", who ... ," / ", which ... ," after any word, and ", a/an/the ... ," right after a name; what
# follows must go on in lower case ("..., said"), or the span began a clause of its own
# ("on Wednesday, the other, Manuel Garcia, filed" must not become "on Wednesday Manuel Garcia").
# "whose" is left alone: its clause holds commas of its own ("Massoud, whose father, commander
# Ahmad Shah Massoud, was murdered"), so the first comma is not its end
_NON_RESTRICTIVE = re.compile(r"(\b[A-Z][\w.'’-]*|\w+(?=, (?:who|which)\s)), ((?:who|which|a|an|the)\s[^,;\"“”]{3,80}), (?=[a-z])")
MIN_CLAUSE_WORDS = 3  # a shorter span between commas ("the other") is rarely a whole clause
_QUOTES = ("\"", "“", "”")


def variants(text: str) -> list[str]:
    """Shorter grammatical forms of ``text``, each rule alone and all together, without repeats, shortest last."""
    forms = [_drop_tail(text), _PARENTHETICAL.sub("", text), _drop_clauses(text)]
    forms.append(_drop_clauses(_PARENTHETICAL.sub("", _drop_tail(text))))
    kept: list[str] = []
    for form in forms:
        form = re.sub(r"\s+([,.;:])", r"\1", form).strip()
        if form != text and form not in kept and len(form.split()) < len(text.split()):
            kept.append(form)
    return kept


def _drop_clauses(text: str) -> str:
    """``text`` without its non-restrictive clauses and appositives of :data:`MIN_CLAUSE_WORDS` words or more."""
    return _NON_RESTRICTIVE.sub(lambda m: m.group(1) + " " if len(m.group(2).split()) >= MIN_CLAUSE_WORDS else m.group(0), text)


def _drop_tail(text: str) -> str:
    """``text`` without an attribution tail, unless it quotes someone."""
    if any(mark in text for mark in _QUOTES):
        return text
    return _ATTRIBUTION_TAIL.sub(".", text)
