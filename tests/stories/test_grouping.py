"""Grouping a feed into stories: on real articles, stable ids across runs, and the features."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from scipy import sparse

import summarizer.stories.grouping as grouping
from summarizer.config import GroupingSettings
from summarizer.errors import InputError
from summarizer.records import Article
from summarizer.stories import group_stories, story_id
from summarizer.errors import ConfigError
from summarizer.config import load_config
from summarizer.stories.features import FeedArticle, count_terms, entities, terms, tfidf_vectors, tokens
from summarizer.stories.online import assign

from ..shared_data import needs_shared_data


def _b_cubed_f1(stories, truth) -> float:
    predicted = {doc: s.id for s in stories for doc in s.doc_ids}
    pairs = Counter((predicted[d], truth[d]) for d in predicted)
    sizes, gold = Counter(predicted.values()), Counter(truth[d] for d in predicted)
    p = sum(pairs[(predicted[d], truth[d])] / sizes[predicted[d]] for d in predicted) / len(predicted)
    r = sum(pairs[(predicted[d], truth[d])] / gold[truth[d]] for d in predicted) / len(predicted)
    return 2 * p * r / (p + r)


@needs_shared_data
def test_mixed_feed_is_grouped_by_event_and_never_across_languages(feed):
    articles, truth = feed
    stories = group_stories(articles, GroupingSettings())
    assert sorted(d for s in stories for d in s.doc_ids) == sorted(truth)
    assert [s.size for s in stories] == sorted((s.size for s in stories), reverse=True)
    for story in stories:
        assert len({doc.split("-")[0] for doc in story.doc_ids if doc[:3] in ("en-", "fr-")}) <= 1, story
    kabul = {s.id for s in stories for d in s.doc_ids if truth[d] == "kabul"}
    assert len(kabul) == 1, "the five Kabul reports are one story"
    assert _b_cubed_f1(stories, truth) >= 0.8


@needs_shared_data
def test_second_run_keeps_ids_and_vectorises_only_new_articles(feed, tmp_path, monkeypatch):
    articles, truth = feed
    first = group_stories(articles[:30], GroupingSettings(), tmp_path)
    counted = []
    real = grouping.count_terms
    monkeypatch.setattr(grouping, "count_terms", lambda batch: counted.append(len(batch)) or real(batch))
    second = group_stories(articles, GroupingSettings(), tmp_path)
    assert counted == [len(articles) - 30]
    before = {d: s.id for s in first for d in s.doc_ids}
    after = {d: s.id for s in second for d in s.doc_ids}
    assert all(after[d] == before[d] for d in before)
    assert set(after) == set(truth)
    for story in second:
        assert story.id == story_id(story.doc_ids[0])  # the seed's id, whatever joined later
    stored = json.loads((tmp_path / ".stories" / "assignments.json").read_text())
    assert [r["doc_id"] for r in stored["rows"]] == [a.doc_id for a in articles]  # undated: input order, the first run's first


@needs_shared_data
def test_edited_article_keeps_its_story_with_a_warning(feed, tmp_path, caplog):
    articles, _ = feed
    first = {d: s.id for s in group_stories(articles, GroupingSettings(), tmp_path) for d in s.doc_ids}
    edited = [Article(a.cluster_id, a.doc_id, a.title, a.text + "\nUpdated with a correction.") if i == 0 else a for i, a in enumerate(articles)]
    again = {d: s.id for s in group_stories(edited, GroupingSettings(), tmp_path) for d in s.doc_ids}
    assert again == first
    assert f"article '{articles[0].doc_id}' changed" in caplog.text


def test_other_settings_regroup_from_scratch_with_a_warning(tmp_path, caplog):
    articles = [Article("f", f"d{i}", "Storm hits coast", "The storm Zeta hit the coast on Monday, 12 people died.") for i in range(3)]
    group_stories(articles, GroupingSettings(), tmp_path)
    group_stories(articles, GroupingSettings(threshold=0.5), tmp_path)
    assert "grouped with other settings" in caplog.text


def test_repeated_doc_ids_are_an_error_that_names_them():
    twice = [Article("a", "same", "", "One text here."), Article("b", "same", "", "Another text.")]
    with pytest.raises(InputError, match="repeated: same"):
        group_stories(twice, GroupingSettings())


def test_singletons_stay_apart_and_dates_order_assignment():
    articles = [
        Article("f", "late", "Volcano erupts in Iceland", "The Katla volcano erupted in Iceland, closing 40 airports.", date="2024-05-03"),
        Article("f", "early", "Volcano Katla erupts", "Katla erupted in Iceland overnight; 40 airports closed.", date="2024-05-02"),
        Article("f", "other", "Election results", "Voters in Chile elected a new parliament on Sunday.", date="2024-05-02"),
    ]
    stories = group_stories(articles, GroupingSettings())
    assert [s.doc_ids for s in stories] == [("early", "late"), ("other",)]
    assert stories[0].id == story_id("early") and stories[0].title == "Volcano Katla erupts"


def test_tokens_keep_combining_marks_and_pair_unspaced_scripts():
    assert tokens("अमेरिका निवासी") == ["अमेरिका", "निवासी"]  # Python's \w would cut at the vowel signs
    assert tokens("東京都で地震") == ["東京", "京都", "都で", "で地", "地震"]
    assert tokens("Kabul, 2021: l'aéroport") == ["kabul", "2021", "l", "aéroport"]


def test_entities_are_names_and_figures_not_sentence_openers():
    found = entities("The airport closed. Ashraf Ghani fled to Abu Dhabi with 169 aides on 15 August.")
    assert "ashraf ghani" in found and "abu dhabi" in found and "169" in found and "15" in found
    assert "the" not in found and "august" in found


def test_terms_drop_stop_words_and_stem_in_the_articles_language():
    assert terms("Les élections et l'élection", "fr") == terms("élection élections", "fr") == ["élect", "élect"]
    assert "the" not in terms("The airport closed", "en") and terms("airports", "en") == terms("airport", "en")
    assert len(set(terms("الحكومة حكومة الحكومات للحكومة بالحكومة", "ar"))) == 1  # article, plural and prepositions stripped
    assert terms("Les élections", "und") == ["les", "élections"]  # unknown language: words as they are


def test_an_articles_vector_depends_only_on_the_articles_of_its_language():
    french = [FeedArticle(f"fr{i}", "Séisme au Chili", f"Un séisme de magnitude {i + 6} a frappé le Chili, dit le président.", language="fr") for i in range(3)]
    english = [FeedArticle(f"en{i}", "Quake", "Le Chili: le président said a quake hit.", language="en") for i in range(5)]
    alone = tfidf_vectors(count_terms(french), ["fr"] * 3, GroupingSettings())
    mixed = tfidf_vectors(count_terms(english + french), ["en"] * 5 + ["fr"] * 3, GroupingSettings())
    assert abs(mixed[5:] - alone).max() < 1e-6
    assert abs(mixed[:5] @ mixed[5:].T).max() > 0  # the blocks share columns: only the weights are per language


def test_move_threshold_above_the_pass_threshold_is_a_config_error():
    with pytest.raises(ConfigError, match="move_threshold"):
        load_config("default", ["grouping.move_threshold=0.2"])


@pytest.mark.parametrize("late_day, joins", [(1.0, True), (float("nan"), True), (21.0, False)])
def test_time_weighs_each_member_so_a_bridged_story_does_not_chain(late_day, joins):
    """Three reports on day 0, then one on day 20 that joins them (like them at 0.8, but late).
    A fourth article like the day-0 reports only (0.3), not the day-20 one, joins on day 1 or
    undated, but starts its own story on day 21: its only support is three weeks old. Under a
    penalty on the gap to the story's span (days 0 to 20), it joined on day 21 too."""
    rows = [[1, 0, 0]] * 3 + [[0.8, 0.6, 0], [0.3, -0.4, 0.75**0.5]]
    vectors = sparse.csr_matrix(np.array(rows, dtype=np.float32))
    days = np.array([0, 0, 0, 20, late_day])
    result = assign(vectors, [], days, np.zeros(5, dtype=np.int64), GroupingSettings())
    assert list(result.labels[:4]) == [0, 0, 0, 0]
    assert (result.labels[4] == 0) == joins
