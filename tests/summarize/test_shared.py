"""The model-sharing wrapper of ``compare`` is a full summarizer: whatever the pipeline reads from
the summarizer it wraps, it reads from the wrapper too."""

from summarizer.config import LengthSettings
from summarizer.summarize import SharedSummarizer, Summarizer
from summarizer.summarize.extractive import LeadSummarizer


def test_shared_summarizer_has_every_attribute_of_the_interface_with_the_inner_values():
    inner = LeadSummarizer(LengthSettings())
    shared = SharedSummarizer(inner)
    attributes = set(Summarizer.__annotations__)
    assert {"name", "method", "engine", "batch_size"} <= attributes
    assert {a: getattr(shared, a) for a in attributes} == {a: getattr(inner, a) for a in attributes}


def test_shared_summarizer_follows_a_lowered_batch_size():
    inner = LeadSummarizer(LengthSettings())
    shared = SharedSummarizer(inner)
    inner.batch_size = 3  # what a seq2seq summarizer does after running out of memory
    assert shared.batch_size == 3


def test_shared_summarizer_summarizes_each_text_once():
    calls = []

    class Counting(LeadSummarizer):
        def summarize(self, texts, progress=True, language="en"):
            calls.append(list(texts))
            return super().summarize(texts, progress, language)

    shared = SharedSummarizer(Counting(LengthSettings()))
    first = shared.summarize(["A first. B second.", "C third."])
    assert shared.summarize(["C third.", "A first. B second."]) == first[::-1]
    assert calls == [["A first. B second.", "C third."]]
