"""Cluster-level selection: the sentences that together cover most of what the outlets report.

Concept coverage solved exactly as an integer program, after Gillick & Favre (2009), the
ICSISumm system. A concept is a word bigram (Porter-stemmed, lower case). Its weight is, with
``fusion.concept_weights: learned``, a regression's predicted share of human summaries holding
it (:mod:`summarizer.fuse.weights`), or, with ``df`` (the paper's), the number of articles of
the cluster that contain it, only concepts found in at least :func:`min_df` articles counting.
The program picks sentences ``x_i`` and concepts ``c_j`` to

    maximise  sum_j w_j c_j + sum_i p_i x_i
    subject to  sum_i len_i x_i <= fusion.max_words
                c_j <= sum of x_i over the sentences holding concept j
                x_i + x_k <= 1 for every pair with cosine >= the fusion threshold
                x_i <= x_a when sentence i needs its antecedent a (the sentence before it)

and scipy's ``milp`` (HiGHS) solves it to optimality. Measured on MultiLing 2011 (10 articles,
89-161 candidates a cluster): 0.14-0.22 s per cluster for the whole selection with attribution
on a quiet machine; 0.4-1.3 s for the program alone with five other jobs on the 2 cores
(``benchmarks/bench_selection.py``; MiniLM embedding of the same sentences took 29-54 s there).

Where this deviates from the paper:

* The paper's constraints ``x_i <= c_j`` (a chosen sentence turns on its concepts) are left out:
  with positive weights the optimum turns them on anyway, and the concepts stay continuous in
  [0, 1] (an optimum exists with them at 0 or 1), so only the sentences are integer variables.
* Redundancy is forbidden outright (pairs at or above the embedder's threshold), on top of the
  paper's implicit redundancy control through concepts counted once: the digest promises that
  no two of its sentences say the same thing by that measure.
* A position prior ``p_i`` (:data:`POSITION_PRIOR`: an article's first sentence is worth about
  one widely reported sentence's concepts, the second half that, and so on) favours the sentences
  that open an article, where news writing puts the main facts; coverage then decides which
  openings, and which later sentences add enough. The paper used none; without it the digest
  trails the lead baseline on MultiLing (R2 0.216 against 0.253).
* At most :data:`MAX_CANDIDATES` candidates enter the program, those worth most on their own, so
  that a cluster of hundreds of articles or one enormous article is solved in bounded time; the
  optimum is exact over them. The paper's clusters never needed it.
* With ``fusion.compression`` each sentence enters in its shorter forms as well
  (:mod:`summarizer.fuse.compress`), each its own variable with its own length and concepts,
  at most one form of a sentence chosen (Gillick & Favre 2009 and Berg-Kirkpatrick et al. 2011
  compress inside the program too, by deletions learned from parses; here fixed surface rules).
* With ``fusion.paraphrases`` the forbidden pairs include those below the threshold whose words
  state the same claim (:mod:`summarizer.fuse.redundancy`).
* With learned weights the position prior is :data:`LEARNED_PRIOR`, far below
  :data:`POSITION_PRIOR`: the weights read position themselves.
* Readability rules the paper did not have: no sentence opening on a reference it cannot
  resolve ("He said", "But", "The ministry gave no details") unless the sentence before it in
  its article is chosen too, and then it follows that sentence in the digest; no quote without
  a speaker; no sentence shorter than :data:`MIN_WORDS`; datelines ("KABUL, Afghanistan -")
  are trimmed off, freeing their words for content.

Attribution and evidence then work as for the ranking (:func:`summarizer.fuse.merge.attribute_all`):
a chosen sentence's sources are its own article and every article with a sentence stating it.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace
from typing import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from ..config import FusionSettings
from ..records import DigestSentence
from ..text import cased_words, stem, stop_words, word_count, words
from .compress import variants
from .merge import Candidate, attribute_all
from .pairs import similar_pairs
from .redundancy import same_claim_pairs
from .solver_output import stdout_to_stderr
from .weights import ConceptModel, Occurrence, shipped_model, weigh

MIN_DF = 3  # articles a concept must appear in to count (Gillick & Favre: 3, on 10-article clusters)
MIN_CONCEPTS = 2  # widely reported concepts a sentence must hold to be chosen: fewer is no fact of the story
MIN_WORDS = 8  # shorter candidates are fragments or captions, rarely a whole fact
# candidates the integer program weighs at most: the ones worth most on their own (their concepts
# and position prior) stay. The program is exact but its time is not bounded by the input's size
# (HiGHS took 113 s on the 3,300 statements of one 50,000-word article); MultiLing's clusters of
# 10 articles have 89-203 candidates, so there nothing is left out.
MAX_CANDIDATES = 300
# objective bonus of an article's first sentence, per article of the cluster (so it keeps its
# weight against the concept weights, which grow with the articles), falling as 1/(1 + position).
# Tuned on MultiLing 2011 (README; ROUGE-2 F1 at 10 articles): 0 gives 0.216, 0.05 0.229,
# 0.5 0.245, 2 0.267, 5 to 10 0.274-0.277 (a plateau: 7.5 is its middle), 100 (nearly lead) 0.267
POSITION_PRIOR = 7.5
# learned weights (fusion.concept_weights: learned): concepts whose predicted share of the
# references is below this do not count (nor towards MIN_CONCEPTS); tuned on DUC 2003 (README)
LEARNED_FLOOR = 0.03
# the position prior with learned weights, which already read position (first_position,
# lead_share) and so need far less of it; tuned on DUC 2003 by cross-validation (README)
LEARNED_PRIOR = 0.5

# openings whose referent lies in the sentence before: pronouns, demonstratives, connectives,
# and a definite subject that only speaks ("The ministry gave no details", "The official said")
_NEEDS_ANTECEDENT = re.compile(
    r"^[\"“‘']?(?:(?:he|she|they|it|his|her|their|its|this|that|these|those|such|but|and|also|however|"
    r"meanwhile|still|yet|instead|then|there)\b|the (?:same|latter|former|other)\b|"
    r"the \w+ (?:said|says|added|told|gave|declined|did not|would not|could not)\b)",
    re.IGNORECASE,
)
# "KABUL, Afghanistan -", "WASHINGTON (Reuters) -", "(CNN) --", "LONDON (AP) _" (AP's wire
# format, the underscore standing for a dash): a place or agency, then a dash
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]*)*\s*(?:\([^)]{1,40}\))?|\([A-Za-z .]{1,40}\))\s*(?:[-—–_]+|â€“|â€”)\s+"
)
_SPEECH = re.compile(r"\b(?:said|says|say|told|tells|according|asked|added|stated|declared|wrote|announced)\b", re.IGNORECASE)
_QUOTE_OPENING = ("\"", "“", "‘", "'")


def concepts(text: str, language: str = "en") -> frozenset[tuple[str, str]]:
    """The stemmed word bigrams of ``text``, except those made of stop words only."""
    tokens = words(text, language)
    stops = stop_words(language)
    return frozenset(
        (stem(a, language), stem(b, language)) for a, b in zip(tokens, tokens[1:]) if not (a in stops and b in stops)
    )


def min_df(articles: int) -> int:
    """:data:`MIN_DF`, lowered for small clusters so that some concept can reach it (a third of them)."""
    return max(1, min(MIN_DF, math.ceil(articles / 3)))


def concept_weights(texts: Sequence[str], language: str = "en") -> dict[tuple[str, str], int]:
    """For each concept in at least :func:`min_df` of ``texts`` (full articles), how many hold it."""
    counts: dict[tuple[str, str], int] = {}
    for text in texts:
        for concept in concepts(text, language):
            counts[concept] = counts.get(concept, 0) + 1
    floor = min_df(len(texts))
    return {concept: count for concept, count in counts.items() if count >= floor}


def occurrences(cands: Sequence[Candidate], language: str = "en") -> list[Occurrence]:
    """Every concept of every candidate, with what :mod:`summarizer.fuse.weights` reads from it."""
    found: list[Occurrence] = []
    rank: dict[int, int] = {}
    for cand in cands:
        position = rank.get(cand.doc_index, 0)
        rank[cand.doc_index] = position + 1
        tokens = cased_words(trim(cand.text), language)
        stops = stop_words(language)
        seen: set[tuple[str, str]] = set()
        for (a, capital_a), (b, capital_b) in zip(tokens, tokens[1:]):
            stop = (a in stops) + (b in stops)
            concept = (stem(a, language), stem(b, language))
            if stop == 2 or concept in seen:
                continue
            seen.add(concept)
            found.append(Occurrence(concept, cand.doc_index, position, capital_a or capital_b, stop))
    return found


def _content(text: str, language: str = "en") -> tuple[frozenset[str], frozenset[str]]:
    """The stemmed content words of ``text``, and those of them that are names."""
    stops = stop_words(language)
    tokens = [(stem(word, language), name) for word, name in cased_words(text, language) if word not in stops]
    return frozenset(word for word, _ in tokens), frozenset(word for word, name in tokens if name)


def learned(settings: FusionSettings, language: str) -> bool:
    """Whether the learned concept weights apply: configured, and the cluster in English, the
    language of the references they were trained on (DUC 2003); other languages keep the
    article counts of Gillick & Favre."""
    return settings.concept_weights == "learned" and language == "en"


def weights_for(
    settings: FusionSettings, articles: Sequence[str], corpus: Sequence[Candidate], model: ConceptModel | None = None, language: str = "en"
) -> dict[tuple[str, str], float]:
    """The concept weights that ``settings.concept_weights`` names: article counts, or the learned model's."""
    if not learned(settings, language) or not corpus:
        return concept_weights(articles, language)
    return weigh(occurrences(corpus, language), len(articles), model or shipped_model(), LEARNED_FLOOR)


def trim(text: str) -> str:
    """The sentence without a leading dateline, capitalised again."""
    rest = _DATELINE.sub("", text, count=1)
    return rest[:1].upper() + rest[1:] if rest and rest != text else text


def readable(cands: Sequence[Candidate]) -> tuple[list[int], dict[int, int]]:
    """Which candidates may be chosen, and the antecedent each dangling opening needs.

    Returns:
        The indices of the candidates that may be chosen, in order, and for each of them that
        opens on an unresolved reference, the index of the sentence just before it in its
        article (itself allowed). A dangling opening whose antecedent is not allowed is dropped.
    """
    at = {(c.doc_id, c.position): i for i, c in enumerate(cands)}
    allowed: list[int] = []
    kept: set[int] = set()
    needs: dict[int, int] = {}
    for i, cand in enumerate(cands):
        text = trim(cand.text)
        if word_count(text) < MIN_WORDS or (text.startswith(_QUOTE_OPENING) and not _SPEECH.search(text)):
            continue
        if _NEEDS_ANTECEDENT.match(text):
            before = at.get((cand.doc_id, cand.position - 1))
            if before not in kept:
                continue
            needs[i] = before
        allowed.append(i)
        kept.add(i)
    return allowed, needs


def choose(
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    weights: dict[tuple[str, str], float],
    max_words: int,
    threshold: float,
    articles: int,
    prior_scale: float = POSITION_PRIOR,
    shorten: bool = False,
    paraphrases: bool = False,
    language: str = "en",
) -> list[tuple[int, str]]:
    """The candidates that the integer program picks, in candidate order, each with the form chosen.

    Args:
        cands: candidate sentences.
        vectors: one L2-normalised row per candidate.
        weights: concept weights (:func:`weights_for`).
        max_words: the word budget, counted on the chosen forms.
        threshold: cosine at or above which two candidates may not both be chosen.
        articles: how many articles the cluster has (the position prior grows with them).
        prior_scale: the first sentence's prior per article (:data:`POSITION_PRIOR`).
        shorten: offer each sentence's shorter forms too (:func:`summarizer.fuse.compress.variants`);
            at most one form of a sentence is chosen.
        paraphrases: also keep apart the pairs below ``threshold`` whose words state the same
            claim (:func:`summarizer.fuse.redundancy.same_claim_pairs`).
        language: the cluster's language (its words make the concepts).

    Returns:
        (candidate index, text): the trimmed sentence, or the shorter form chosen.
    """
    allowed, needs = readable(cands)
    if not allowed:
        return []
    index = {c: k for k, c in enumerate(allowed)}
    texts = [trim(cands[i].text) for i in allowed]
    # in sorted order: a set's order follows the process's string hashing, and the order of the
    # program's columns decides between solutions of equal value
    held = [sorted(concept for concept in concepts(text, language) if concept in weights) for text in texts]
    # a sentence must state something the cluster reports ("Afghanistan continues to dominate
    # international news" holds one widely reported concept: "continues to")
    eligible = np.array([len(own) for own in held]) >= MIN_CONCEPTS
    eligible &= shorten or np.array([word_count(text) <= max_words for text in texts])
    prior = prior_scale * articles / (1.0 + np.array([cands[i].position for i in allowed], dtype=float))
    eligible &= _strongest(prior + np.array([sum(weights[concept] for concept in own) for own in held]), eligible, MAX_CANDIDATES)
    # options: every eligible sentence whole and in its shorter forms, each within the budget
    options = [(k, text) for k in np.flatnonzero(eligible) for text in (texts[k], *(variants(texts[k]) if shorten else ()))]
    options = [(k, text) for k, text in options if word_count(text) <= max_words and (text == texts[k] or word_count(text) >= MIN_WORDS)]
    of = [k for k, _ in options]
    number: dict[tuple[str, str], int] = {}
    held_rows, held_cols = [], []
    for o, (k, text) in enumerate(options):
        for concept in held[k] if text == texts[k] else sorted(c for c in concepts(text, language) if c in weights):
            held_rows.append(number.setdefault(concept, len(number)))
            held_cols.append(o)
    n, m = len(options), len(number)
    if not n:
        return []
    concept_weight = np.zeros(m)
    for concept, j in number.items():
        concept_weight[j] = weights[concept]
    # coverage: c_j - sum x_o <= 0
    cover = coo_matrix(
        (np.concatenate([np.ones(m), -np.ones(len(held_rows))]),
         (np.concatenate([np.arange(m), np.array(held_rows, dtype=int)]), np.concatenate([n + np.arange(m), np.array(held_cols, dtype=int)]))),
        shape=(m, n + m),
    )
    forms = [[] for _ in allowed]
    for o, k in enumerate(of):
        forms[k].append(o)
    first, second = similar_pairs(vectors[allowed], None, threshold)
    if paraphrases:  # and the pairs below the threshold whose words say the same thing
        content = [_content(text, language) for text in texts]
        more = same_claim_pairs([c[0] for c in content], [c[1] for c in content], vectors[allowed], threshold)
        first, second = np.concatenate([first, more[0]]), np.concatenate([second, more[1]])
    # at most one sentence of a similar pair, and at most one form of a sentence: one row each
    exclusive = [forms[a] + forms[b] for a, b in zip(first.tolist(), second.tolist()) if forms[a] and forms[b]]
    exclusive += [own for own in forms if len(own) > 1]
    dangling = [(index[i], index[a]) for i, a in needs.items() if i in index and a in index and forms[index[i]]]
    budget = np.concatenate([[word_count(text) for _, text in options], np.zeros(m)])[None, :]
    constraints = [LinearConstraint(budget, -np.inf, max_words), LinearConstraint(cover, -np.inf, 0.0)]
    if exclusive:
        constraints.append(LinearConstraint(_rows([(own, []) for own in exclusive], n + m), -np.inf, 1.0))
    if dangling:  # a form of i only with a form of its antecedent a
        constraints.append(LinearConstraint(_rows([(forms[i], forms[a]) for i, a in dangling], n + m), -np.inf, 0.0))
    with stdout_to_stderr():  # HiGHS prints a debugging line now and then; not into the digest
        result = milp(
            c=-np.concatenate([prior[of], concept_weight]),
            constraints=constraints,
            integrality=np.concatenate([np.ones(n), np.zeros(m)]),
            bounds=Bounds(np.zeros(n + m), np.ones(n + m)),
        )
    if result.x is None:
        raise RuntimeError(f"selection found no solution for {n} options: {result.message}")
    return [(allowed[options[o][0]], options[o][1]) for o in np.flatnonzero(result.x[:n] > 0.5)]


def _rows(rows: Sequence[tuple[Sequence[int], Sequence[int]]], width: int) -> coo_matrix:
    """A sparse constraint matrix: in row r, +1 at the columns of ``rows[r][0]`` and -1 at those of ``rows[r][1]``."""
    data, row_of, col_of = [], [], []
    for r, (plus, minus) in enumerate(rows):
        data += [1.0] * len(plus) + [-1.0] * len(minus)
        row_of += [r] * (len(plus) + len(minus))
        col_of += [*plus, *minus]
    return coo_matrix((data, (row_of, col_of)), shape=(len(rows), width))


def pick(
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    settings: FusionSettings,
    threshold: float,
    articles: Sequence[str],
    corpus: Sequence[Candidate] = (),
    model: ConceptModel | None = None,
    language: str = "en",
) -> list[tuple[int, str]]:
    """:func:`choose` with the weights, prior, compression and paraphrase check that ``settings``
    name for a cluster in ``language`` (compression's rules are English ones)."""
    weights = weights_for(settings, articles, corpus or cands, model, language)
    prior = LEARNED_PRIOR if learned(settings, language) else POSITION_PRIOR
    shorten = settings.compression and language == "en"
    return choose(cands, vectors, weights, settings.max_words, threshold, len(articles), prior, shorten, settings.paraphrases, language)


def _strongest(value: np.ndarray, eligible: np.ndarray, most: int) -> np.ndarray:
    """A mask of the ``most`` eligible entries of highest ``value`` (ties: the earlier first)."""
    order = np.lexsort((np.arange(len(value)), -value))
    kept = np.zeros(len(value), dtype=bool)
    kept[[k for k in order if eligible[k]][:most]] = True
    return kept


def select_sentences(
    cands: Sequence[Candidate],
    vectors: np.ndarray,
    settings: FusionSettings,
    threshold: float,
    articles: Sequence[str],
    corpus: Sequence[Candidate] = (),
    corpus_vectors: np.ndarray | None = None,
    model: ConceptModel | None = None,
    language: str = "en",
) -> list[DigestSentence]:
    """Choose the digest by concept coverage, then attribute each chosen sentence.

    Args:
        cands: candidate sentences (every statement of every article, or the summaries').
        vectors: one L2-normalised row per candidate.
        settings: word budget and minimum support.
        threshold: cosine at or above which two sentences say the same thing.
        articles: the full texts of the cluster's articles: concept weights come from them.
        corpus: every statement of the full articles, searched for evidence.
        corpus_vectors: one L2-normalised row per corpus sentence.
        model: the concept-weight model of ``concept_weights: learned``; None = the shipped one.
        language: the cluster's language (its words make the concepts).

    Returns:
        Digest sentences, most widely reported first; a sentence that needs its antecedent
        follows it directly. Within ``settings.max_words``.
    """
    if len(cands) != vectors.shape[0]:
        raise ValueError(f"{len(cands)} candidates but {vectors.shape[0]} vectors")
    picked = pick(cands, vectors, settings, threshold, articles, corpus, model, language)
    chosen = [i for i, _ in picked]
    trimmed = [replace(cands[i], text=text) for i, text in picked]
    ranked = attribute_all(trimmed, vectors[chosen], threshold, corpus, corpus_vectors, language)
    _, needs = readable(cands)
    keys = {i: key for i, (key, _) in zip(chosen, ranked)}
    sentence_of = {i: sentence for i, (_, sentence) in zip(chosen, ranked)}
    head = {i: i for i in chosen}
    for i in chosen:  # candidates are in article order, so an antecedent's head is known first
        if i in needs and needs[i] in head:
            head[i] = head[needs[i]]
    order = sorted(chosen, key=lambda i: (keys[head[i]], cands[i].position))
    units: dict[int, list[int]] = {}
    for i in order:
        units.setdefault(head[i], []).append(i)
    digest = [sentence_of[i] for members in units.values() for i in members]
    if settings.min_support > 1:
        weak = {head[i] for i in chosen if sentence_of[i].support < settings.min_support}
        digest = [sentence_of[i] for members in units.values() if members[0] not in weak for i in members]
    return digest
