"""Seq2seq models and the languages they were trained on: the shipped multilingual config runs a
tiny random mT5 (the real architecture) on Arabic and Hindi text, also with the tokenizer as the
real checkpoint ships it (SentencePiece only); a model given a language it was not trained on
warns once per cluster, not once per article."""

import json
import logging
import shutil
import sys
from pathlib import Path

import pytest

from summarizer.config import LengthSettings, ModelSettings, load_config
from summarizer.errors import ConfigError, ModelLoadError
from summarizer.records import Article
from summarizer.summarize import build_summarizer
from summarizer.summarize.seq2seq import Seq2SeqSummarizer
from summarizer.summarize.stage import summarize, untrained_language
from summarizer.summarize.tiny_models import MT5_LANGUAGES, build_tiny_mt5, news_text, other_news_text

pytestmark = pytest.mark.usefixtures("one_torch_thread")
GREEDY = LengthSettings(min_new_tokens=0, max_new_tokens=8, num_beams=1)


def _cluster(language: str, count: int = 3) -> list[Article]:
    texts = [news_text(4, seed) if language == "en" else other_news_text(language, 4, seed) for seed in range(count)]
    return [Article(f"c-{language}", f"d{i}", "", text) for i, text in enumerate(texts)]


def _warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING and r.name == "summarizer.summarize.stage"]


def test_the_shipped_mt5_config_lists_its_languages_and_english_models_default_to_english():
    config = load_config("mt5-xlsum")
    assert {"ar", "hi", "fr", "en", "ur", "fa"} <= set(config.model.languages) and len(config.model.languages) == 43
    assert (config.length.num_beams, config.length.no_repeat_ngram_size, config.length.resolved_max_new_tokens) == (4, 2, 84)
    assert load_config("bart-large-cnn").model.languages == ("en",)


def test_model_languages_are_checked_at_load():
    with pytest.raises(ConfigError, match=r"model\.languages.*ISO 639"):
        load_config("mt5-xlsum", ["model.languages=[Arabic]"])
    with pytest.raises(ConfigError, match=r"model\.languages"):
        load_config("default", ["model.languages=[]"])


def test_tiny_mt5_summarizes_arabic_and_hindi_without_a_warning(tiny_mt5, caplog):
    model = ModelSettings(name=str(tiny_mt5), backend="transformers", languages=load_config("mt5-xlsum").model.languages)
    summarizer = Seq2SeqSummarizer(model, GREEDY)
    assert summarizer.checkpoint.architecture == "MT5Config"
    unknown = summarizer.tokenizer.token_to_id("<unk>")
    for language in ("ar", "hi"):
        articles = _cluster(language)
        assert unknown not in summarizer.tokenizer.encode(articles[0].text).ids  # the tokenizer reads the script
        with caplog.at_level(logging.WARNING):
            summaries = summarize(articles, summarizer, progress=False, language=language)
        assert [s.doc_id for s in summaries] == [a.doc_id for a in articles]
        assert all(s.chunks == 1 for s in summaries)
    assert _warnings(caplog) == []


def test_an_english_model_on_arabic_warns_once_per_cluster(tiny_t5, caplog):
    summarizer = Seq2SeqSummarizer(ModelSettings(name=str(tiny_t5), backend="transformers"), GREEDY)
    with caplog.at_level(logging.WARNING):
        summarize(_cluster("ar", count=4), summarizer, progress=False, language="ar")
        summarize(_cluster("en"), summarizer, progress=False, language="en")
    (warning,) = _warnings(caplog)
    assert warning.startswith("c-ar: ") and "'ar'" in warning and "trained on en only" in warning and "mt5-xlsum" in warning


def test_extractive_summaries_need_no_trained_language(caplog):
    summarizer, _ = build_summarizer(load_config("lead"), embedder=lambda: None)
    assert untrained_language(summarizer, "ar") is None
    with caplog.at_level(logging.WARNING):
        summarize(_cluster("ar"), summarizer, progress=False, language="ar")
    assert _warnings(caplog) == []


@pytest.fixture(scope="module")
def spiece_mt5(tmp_path_factory) -> Path:
    """The tiny mT5 with its tokenizer as the XL-Sum checkpoint ships it: spiece.model only."""
    import sentencepiece

    folder = build_tiny_mt5(tmp_path_factory.mktemp("spiece-mt5"))
    corpus = folder.parent / "corpus.txt"
    lines = [news_text(5, seed) for seed in range(60)] + [other_news_text(lang, 5, seed) for lang in MT5_LANGUAGES for seed in range(60)]
    corpus.write_text("\n".join(lines), encoding="utf-8")
    prefix = folder.parent / "spiece"
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=250, hard_vocab_limit=False, model_type="unigram", pad_id=0,
        eos_id=1, unk_id=2, bos_id=-1, character_coverage=1.0, minloglevel=2,
    )  # fmt: skip
    for name in ("tokenizer.json", "special_tokens_map.json"):
        (folder / name).unlink(missing_ok=True)
    shutil.copy(prefix.with_suffix(".model"), folder / "spiece.model")
    (folder / "tokenizer_config.json").write_text(json.dumps({"tokenizer_class": "T5Tokenizer", "extra_ids": 0}))
    return folder


def test_an_mt5_with_a_sentencepiece_only_tokenizer_loads(spiece_mt5):
    summarizer = Seq2SeqSummarizer(ModelSettings(name=str(spiece_mt5), backend="transformers"), GREEDY)
    text = other_news_text("ar", 2)
    assert summarizer.tokenizer.token_to_id("<unk>") not in summarizer.tokenizer.encode(text).ids
    assert len(summarizer.summarize([text], progress=False)) == 1


def test_without_protobuf_the_failure_is_one_paragraph_naming_the_fix(spiece_mt5, monkeypatch):
    monkeypatch.setitem(sys.modules, "google.protobuf", None)  # as if it were not installed
    with pytest.raises(ModelLoadError) as failure:
        Seq2SeqSummarizer(ModelSettings(name=str(spiece_mt5), backend="transformers"), GREEDY)
    message = str(failure.value)
    assert "\n" not in message and str(spiece_mt5) in message
    assert "protobuf" in message and "pip install protobuf" in message and "tiktoken" not in message
