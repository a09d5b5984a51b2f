"""The embedders for clusters not in English: a multilingual model's loading path, and the
character n-gram TF-IDF used when no such model is on the machine."""

import numpy as np
import pytest

from summarizer.errors import ModelLoadError
from summarizer.text.embed import CharTfidfEmbedder, MultilingualEmbedder, multilingual_embedder


def test_character_ngrams_link_transliterations_and_inflections_in_any_script():
    embedder = CharTfidfEmbedder()
    vectors = embedder.encode([
        "Hundreds of fighters head for the Panjshir valley.",
        "Hundreds of fighters are heading to the Panchir valley.",
        "The airport reopened for commercial flights.",
        "أعلنت الحكومة العراقية حظر التجول في بغداد.",
        "الحكومة العراقية تعلن حظر تجول في بغداد.",
    ])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosine = vectors @ vectors.T
    assert cosine[0, 1] >= embedder.default_threshold > cosine[0, 2]
    assert cosine[3, 4] >= embedder.default_threshold > cosine[3, 0]


def test_auto_uses_character_ngrams_and_says_why_when_the_model_is_not_on_the_machine(tmp_path):
    embedder = multilingual_embedder("auto", str(tmp_path / "no-such-model"))
    assert embedder.name == "tfidf-char"
    assert "is not on this machine" in embedder.note


def test_insisting_on_a_missing_model_is_one_paragraph_saying_what_to_do(tmp_path):
    with pytest.raises(ModelLoadError) as caught:
        MultilingualEmbedder(str(tmp_path / "no-such-model"), local_only=True)
    message = str(caught.value)
    assert "\n" not in message and "hf download" in message and "fusion.multilingual_model" in message


@pytest.fixture(scope="module")
def tiny_multilingual(tmp_path_factory):
    """A tiny random BERT saved as a folder: sentence-transformers loads it with mean pooling."""
    from summarizer.summarize.tiny_models import build_tiny_bert

    return build_tiny_bert(tmp_path_factory.mktemp("tiny-multilingual"))


def test_a_multilingual_model_in_a_local_folder_is_loaded_and_named(tiny_multilingual):
    embedder = multilingual_embedder("auto", str(tiny_multilingual))
    assert isinstance(embedder, MultilingualEmbedder) and embedder.name == str(tiny_multilingual)
    vectors = embedder.encode(["news news", "أخبار اليوم", "आज की खबर"])
    assert vectors.shape == (3, 32) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert embedder.encode([]).shape == (0, 32)
    assert str(tiny_multilingual) in embedder.identity  # the vector cache keys on the model


def test_a_pipeline_on_a_french_cluster_uses_the_configured_multilingual_model(tiny_multilingual, tmp_path):
    from summarizer import load_config
    from summarizer.pipeline import Pipeline
    from summarizer.records import Article

    config = load_config("lead", [f"fusion.multilingual_model={tiny_multilingual}", "cache.enabled=false"])
    text = "Le gouvernement a annoncé un nouveau plan pour les hôpitaux publics de la région. " * 3
    articles = [Article("c", f"d{i}", "", text + f"Le ministre a parlé {i} fois.", (), "fr") for i in range(3)]
    digest = Pipeline(config).digest("c", articles, progress=False)
    assert digest.language == "fr" and digest.embedder == str(tiny_multilingual)
