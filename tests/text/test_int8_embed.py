"""The int8 MiniLM path agrees with fp32 MiniLM (the slower tier: converts the bundled model once)."""

from __future__ import annotations

import numpy as np
import pytest

from summarizer.text.embed import MiniLMEmbedder, get_embedder


SENTENCES = [
    "The Taliban took control of Kabul on Sunday as the president fled the country.",
    "Thousands of people crowded the airport hoping to board an evacuation flight.",
    "At least seven Afghans died in the chaos at the airport, the British military said.",
    "Resistance fighters gathered in the Panjshir valley north of the capital.",
    "Donations made in 2005 to help tsunami victims can be deducted on 2004 tax returns.",
    "Short one.",
    "A much longer sentence that goes on and on about the many flights, the crowds at the gates, "
    "the soldiers who tried to keep order, the families who waited for days in the heat, and the "
    "officials who could not say when the last plane would leave.",
]


@pytest.fixture(scope="module")
def int8(tmp_path_factory):
    return get_embedder("minilm-int8", "cpu", tmp_path_factory.mktemp("converted"))


def test_int8_vectors_are_unit_rows_close_to_fp32(int8):
    fast = int8.encode(SENTENCES)
    reference = MiniLMEmbedder().encode(SENTENCES)
    assert fast.shape == reference.shape and fast.dtype == np.float32
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-5)
    cosine = (fast * reference).sum(axis=1)
    assert cosine.min() >= 0.98 and cosine.mean() >= 0.99


def test_a_sentence_gets_the_same_vector_whatever_batch_it_is_in(int8):
    alone = int8.encode(SENTENCES[:1])
    among = int8.encode(SENTENCES)[:1]
    assert float(alone[0] @ among[0]) > 0.9999
    assert int8.encode([]).shape == (0, 384)


def test_a_second_load_reuses_the_conversion(int8, tmp_path_factory, monkeypatch):
    from summarizer.text import int8_embed

    def no_conversion(source, target):
        raise AssertionError(f"converted again into {target}")

    monkeypatch.setattr(int8_embed, "_convert", no_conversion)
    folder = next(p for p in tmp_path_factory.getbasetemp().iterdir() if p.name.startswith("converted"))
    assert get_embedder("minilm-int8", "cpu", folder).encode(SENTENCES[:2]).shape == (2, 384)


def test_batches_shared_out_to_one_copy_per_core_come_back_in_their_rows(int8, tmp_path_factory, monkeypatch):
    """Two copies fed from two threads, two sentences a batch (so four batches overlap): every
    row is its own sentence's vector, as one copy on both threads gives it."""
    from summarizer.text.int8_embed import MiniLMInt8Embedder

    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    folder = next(p for p in tmp_path_factory.getbasetemp().iterdir() if p.name.startswith("converted"))  # int8's conversion
    shared, single = MiniLMInt8Embedder(converted_folder=folder), MiniLMInt8Embedder(converted_folder=folder, replicas=1)
    assert (shared._workers, single._workers) == (2, 1)
    shared.batch_size = single.batch_size = 2
    together, apart = shared.encode(SENTENCES), single.encode(SENTENCES)
    assert np.allclose(together, apart, atol=1e-5)
    assert all(float(together[i] @ together[j]) < 0.99 for i in range(len(SENTENCES)) for j in range(i))  # no row copied into another
