"""Conflicts: figures the articles report differently for the same thing, and only those.

Fast tests use hand-made sentences and a stand-in embedder (every context vector identical, so
only the rules decide); the MiniLM tests run the real clusters and check the planted conflicts
of examples/README.md and the ones in the five real Kabul articles.
"""

from pathlib import Path

import numpy as np
import pytest

from summarizer.config import ConflictSettings
from summarizer.data.load import clusters, load_articles
from summarizer.fuse.conflicts import contradicts, figure_mentions, find_conflicts
from summarizer.fuse.quantities import extract_quantities
from summarizer.records import Article
from tests.shared_data import KABUL, needs_shared_data

ROOT = Path(__file__).resolve().parents[2]


def _articles(*texts: str) -> list[Article]:
    return [Article("c", f"d{i}", "", text) for i, text in enumerate(texts)]


def _conflicts(*texts: str):
    """Conflicts with every context equally similar: the head/event/owner/value rules decide."""
    found = figure_mentions(_articles(*texts))
    return find_conflicts(found, np.ones((len(found), 1), dtype=np.float32), ConflictSettings())


def _values(conflict) -> list[tuple[str, str]]:
    return [(v.doc_id, v.value) for v in conflict.values]


@pytest.mark.parametrize(
    "sentence, low, high, head, text",
    [
        ("Seven Afghan civilians have been killed.", 7, 7, "people", "Seven"),
        ("At least 21 people have lost their lives.", 21, 21, "people", "at least 21"),
        ("About 17,000 people had been evacuated.", 17000, 17000, "people", "about 17,000"),
        ("Between 10,000 and 15,000 Americans remain.", 10000, 15000, "people", "Between 10,000 and 15,000"),
        ("It plans to move 50,000 to 60,000 Afghans.", 50000, 60000, "people", "50,000 to 60,000"),
        ("Emissions must fall by 25 percent to 40 percent.", 25, 40, "percent", "25 percent to 40 percent"),
        ("The blockage held up $9.6bn of trade a day.", 9.6e9, 9.6e9, "usd", "$9.6bn"),
        ("The Taliban entered Kabul on August 15.", 815, 815, "date", "15 August"),
        ("The 400m ship was freed.", 400, 400, "metres", "400m"),
    ],
)
def test_quantities_read_value_range_head_and_wording(sentence, low, high, head, text):
    (quantity,) = extract_quantities(sentence)
    assert (quantity.low, quantity.high, quantity.head, quantity.text) == (low, high, head, text)


def test_years_ages_and_one_are_not_quantities():
    assert extract_quantities("In 2001, one of the 22-year-old students recalled the 1980s and 1996-2001.") == []


def test_owners_parts_and_goals_are_recorded():
    troops, british = (extract_quantities(s)[0] for s in ("Some 5,000 US troops were sent.", "About 600 British troops flew out."))
    assert (troops.qualifiers, british.qualifiers) == ({"us"}, {"uk"})
    total, part = extract_quantities("Officials said 17,000 people had been evacuated, including 2,500 Americans.")
    assert not total.part and part.part
    assert extract_quantities("Washington plans to evacuate 60,000 people.")[0].pending
    assert extract_quantities("The British authorities evacuated more than 5,000 people.")[0].qualifiers == {"uk"}


def test_death_tolls_that_differ_are_one_conflict_with_every_figure():
    (conflict,) = _conflicts(
        "Seven Afghans died in a crush at the airport.",
        "At least 20 people have died in and around the airport.",
        "Officials said twenty-one people were killed near the gates.",
    )
    assert conflict.topic.startswith("people")
    assert _values(conflict) == [("d0", "Seven"), ("d1", "at least 20"), ("d2", "twenty-one")]


def test_agreeing_figures_are_not_conflicts():
    assert _conflicts(
        "About 17,000 people had been evacuated in the week.",  # "about" spans 16,500-17,500
        "The United States had evacuated 17,000 people from Kabul.",
        "Seven people died at the gate. Between 10,000 and 15,000 Americans are still waiting to be evacuated.",
        "Seven Afghans were killed at the airport. Some 12,000 Americans remain to be evacuated.",  # inside the range
    ) == []


def test_different_things_sharing_a_noun_are_not_conflicts():
    assert _conflicts(
        "Some 5,000 US troops have been sent to evacuate staff.",
        "About 600 British troops will also fly out.",  # different owner
        "It has been 20 years of war.",  # no event named: not compared by default
        "The country has seen over 40 years of fighting.",
        "About 17,000 people had been evacuated, including some 2,500 Americans.",  # a part of a total
        "They want to evacuate 60,000 people by the end of the month.",  # a goal, not a count
    ) == []


def test_deaths_and_evacuations_are_different_events():
    assert _conflicts("Seven people died at the airport.", "Some 25,100 people have been evacuated from the airport.") == []


def test_an_unnamed_total_joins_one_owner_only():
    (conflict,) = _conflicts(
        "The United States had evacuated 17,000 people from Kabul.",
        "The British authorities have managed to evacuate more than 5,000 people.",
        "Around 25,100 people had been evacuated on planes from the United States.",
    )
    assert _values(conflict) == [("d0", "17,000"), ("d2", "around 25,100")]


def test_figures_both_articles_share_are_not_a_conflict():
    # both articles give both figures: 395,000 raised and 150,000 pledged are two things
    assert _conflicts(
        "The telethon evacuated 395,000 people while the government evacuated 150,000 people.",
        "Some 395,000 people were evacuated by the telethon and 150,000 people by the government.",
    ) == []


def test_dates_conflict_only_with_a_shared_event():
    (conflict,) = _conflicts("Biden kept his 31 August deadline.", "The deadline for the withdrawal is 11 September.")
    assert _values(conflict) == [("d0", "31 August"), ("d1", "11 September")]
    assert _conflicts("Kabul fell on 15 August.", "Posted on 16 August.") == []


def test_disabled_finds_nothing():
    found = figure_mentions(_articles("Seven people died.", "At least 20 people died."))
    assert find_conflicts(found, np.ones((len(found), 1)), ConflictSettings(enabled=False)) == []


def test_contradicts_is_about_the_same_thing_only():
    claim = "Around 25,100 people have been evacuated from Afghanistan, according to the White House."
    assert contradicts(claim, "The United States had evacuated 17,000 people from Kabul.")
    assert not contradicts(claim, "Between 10,000 and 15,000 Americans are still waiting to be evacuated.")
    assert not contradicts(claim, "Seven people died at the airport.")


@pytest.fixture(scope="module")
def minilm():
    from summarizer.text.embed import MiniLMEmbedder

    return MiniLMEmbedder()


def _cluster_conflicts(source: Path, embedder) -> list[list[tuple[str, str]]]:
    (articles,) = clusters(load_articles(source)).values()
    found = figure_mentions(articles)
    return [_values(c) for c in find_conflicts(found, embedder.encode([m.context for m in found]), ConflictSettings())]


@needs_shared_data
def test_real_kabul_articles_yield_death_toll_and_evacuation_conflicts_only(minilm):
    deaths, evacuated = _cluster_conflicts(KABUL, minilm)
    assert [v for _, v in deaths] == ["at least seven", "seven", "at least 20", "at least 21", "Seven"]
    assert [v for _, v in evacuated] == ["17,000", "at least 28,000", "around 25,100"]


def test_bundled_example_yields_exactly_the_planted_conflicts(minilm):
    deaths, evacuated = _cluster_conflicts(ROOT / "examples" / "kabul-2021", minilm)
    assert deaths == [("01_northern-ledger", "Seven"), ("02_harbour-post", "at least 20"), ("03_plains-courier", "at least 21"), ("04_atlas-dispatch", "seven")]
    assert evacuated == [("02_harbour-post", "about 17,000"), ("03_plains-courier", "at least 28,000"), ("04_atlas-dispatch", "around 25,100")]


class _Products(np.ndarray):
    """Vectors that record the size of every matrix product taken of them."""

    sizes: list[int] = []

    def __matmul__(self, other):
        product = np.asarray(self) @ np.asarray(other)
        _Products.sizes.append(product.size)
        return product


def test_the_figure_pairs_are_searched_in_blocks_never_as_the_whole_matrix(minilm, monkeypatch):
    """The bundled example's figures, searched in blocks of 4 x 8: the same conflicts as with
    blocks larger than the input, and no product ever larger than one block."""
    (articles,) = clusters(load_articles(ROOT / "examples" / "kabul-2021")).values()
    found = figure_mentions(articles)
    vectors = minilm.encode([m.context for m in found])
    whole = find_conflicts(found, vectors, ConflictSettings())
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_ROWS", 4)
    monkeypatch.setattr("summarizer.fuse.pairs.BLOCK_COLUMNS", 8)
    monkeypatch.setattr(_Products, "sizes", [])
    assert find_conflicts(found, vectors.view(_Products), ConflictSettings()) == whole
    assert len(found) > 3 * 8 and len(whole) == 2  # several blocks each way
    assert _Products.sizes and max(_Products.sizes) <= 4 * 8
