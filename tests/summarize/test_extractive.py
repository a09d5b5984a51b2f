"""LexRank and lead summarizers on hand-made articles."""

import numpy as np

from summarizer.config import LengthSettings
from summarizer.summarize.extractive import (
    ExtractiveSummarizer,
    LeadSummarizer,
    lexrank_scores,
)


class KeywordEmbedder:
    """Deterministic toy embedder: one dimension per keyword, so centrality is known by hand."""

    name = "keywords"
    default_threshold = 0.5
    words = ("airport", "taliban", "crowd", "panjshir", "weather")

    def encode(self, sentences):
        rows = np.array([[s.lower().count(w) for w in self.words] + [0.01] for s in sentences], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


ARTICLE = (
    "A crowd filled the airport as the Taliban took over the city. "
    "The airport was chaotic and the Taliban fired into the air. "
    "The Taliban said the crowd should go home at once. "
    "In Panjshir a small resistance force gathered in the valley. "
    "The weather in the capital was hot and dry all week long."
)


def test_lexrank_scores_favour_the_hub_of_the_graph():
    # a star: row 0 is similar to each of the others, which are orthogonal to one another
    vectors = np.array([[1, 1, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    scores = lexrank_scores(vectors)
    assert scores.argmax() == 0 and abs(scores.sum() - 1) < 1e-6
    assert np.allclose(scores[1:], scores[1])


def test_extractive_picks_central_sentences_in_original_order():
    summarizer = ExtractiveSummarizer(LengthSettings(sentences=2), lambda language: KeywordEmbedder())
    [(summary, chunks)] = summarizer.summarize([ARTICLE])
    assert chunks == 1
    # the crowd+airport+Taliban sentence is the hub; the next most central keeps its place
    assert summary == "A crowd filled the airport as the Taliban took over the city. The airport was chaotic and the Taliban fired into the air."


def test_extractive_skips_near_repeats():
    repeated = "The airport was chaotic and the Taliban fired shots. " * 3 + "The Taliban said the Panjshir valley would fall soon."
    [(summary, _)] = ExtractiveSummarizer(LengthSettings(sentences=2), lambda language: KeywordEmbedder()).summarize([repeated])
    assert summary.count("chaotic") == 1


def test_lead_takes_the_first_statements_and_empty_text_gives_empty_summary():
    summaries = LeadSummarizer(LengthSettings(sentences=2)).summarize([ARTICLE, ""])
    assert summaries[0][0].startswith("A crowd filled the airport") and summaries[0][0].count(". ") == 1
    assert summaries[1] == ("", 0)


def test_sentences_opening_with_a_pronoun_are_taken_last():
    article = (
        "He said the airport and the Taliban checkpoints were calm on Sunday. "
        "The airport reopened as the Taliban guarded the gates on Sunday. "
        "The weather in Panjshir stayed dry during the whole week."
    )
    [(summary, _)] = ExtractiveSummarizer(LengthSettings(sentences=1), lambda language: KeywordEmbedder()).summarize([article])
    assert summary == "The airport reopened as the Taliban guarded the gates on Sunday."
