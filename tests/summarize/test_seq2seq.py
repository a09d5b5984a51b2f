"""Seq2seq stage, on tiny random-weight BART and T5 models (see tiny_models.py).

Random weights write gibberish, so these tests check structure and behaviour (order, batching,
chunking, length limits, loading errors), never the wording of a summary.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import huggingface_hub
import pytest
import torch
from transformers import EncoderDecoderCache

from summarizer.config import LengthSettings, ModelSettings
from summarizer.errors import ConfigError, ModelLoadError
from summarizer.summarize import checkpoint, hf, seq2seq
from summarizer.summarize.seq2seq import Seq2SeqSummarizer
from summarizer.summarize.tiny_models import build_tiny_bert, news_text

GREEDY = LengthSettings(min_new_tokens=4, max_new_tokens=8, num_beams=1)
PREFIXES = {"tiny_bart": "", "tiny_t5": "summarize: "}  # as the shipped configs set them
# Articles of different lengths, so sorting by length reorders them inside the work list.
ARTICLES = [news_text(n, seed) for seed, n in enumerate((2, 9, 1, 5, 3, 7))]


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def make(folder: Path, length: LengthSettings = GREEDY, prefix: str = "", **model: object) -> Seq2SeqSummarizer:
    """The reference engine unless a test asks for another (tests/summarize/test_backends.py compares them)."""
    model.setdefault("backend", "transformers")
    return Seq2SeqSummarizer(ModelSettings(name=str(folder), prefix=prefix, **model), length)


def spy_generate(summarizer: Seq2SeqSummarizer, monkeypatch: pytest.MonkeyPatch) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Record (input_ids, generated ids) of every ``generate`` call the summarizer makes."""
    calls: list[tuple[torch.Tensor, torch.Tensor]] = []
    generate = summarizer.backend.model.generate

    def recording(**kwargs):
        output = generate(**kwargs)
        calls.append((kwargs["input_ids"], output))
        return output

    monkeypatch.setattr(summarizer.backend.model, "generate", recording)
    return calls


@pytest.fixture(params=["tiny_bart", "tiny_t5"])
def summarizer(request: pytest.FixtureRequest) -> Seq2SeqSummarizer:
    """Each tiny model with its family's prefix, batching 3 pieces per generate() call."""
    return make(request.getfixturevalue(request.param), prefix=PREFIXES[request.param], batch_size=3)


# --- summaries, order and batching -----------------------------------------------------------


def test_every_article_gets_one_summary_and_blank_ones_no_model_call(summarizer: Seq2SeqSummarizer) -> None:
    results = summarizer.summarize([*ARTICLES, "", "   \n"], progress=False)

    assert len(results) == len(ARTICLES) + 2
    assert all(isinstance(summary, str) and chunks == 1 for summary, chunks in results[: len(ARTICLES)])
    assert results[-2:] == [("", 0), ("", 0)]


def test_batched_sorted_outputs_equal_one_by_one_outputs_in_input_order(summarizer: Seq2SeqSummarizer) -> None:
    batched = summarizer.summarize(ARTICLES, progress=False)
    summarizer.batch_size = 1
    one_by_one = [summarizer.summarize([article], progress=False)[0] for article in ARTICLES]

    assert batched == one_by_one
    assert len({summary for summary, _ in batched}) > 1  # distinct outputs, so a reordering would show


def test_batches_run_longest_first_padded_to_their_own_longest(
    tiny_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    summarizer = make(tiny_bart, batch_size=2)
    calls = spy_generate(summarizer, monkeypatch)
    summarizer.summarize(ARTICLES, progress=False)

    pad = summarizer.checkpoint.pad_token_id
    lengths = [(ids != pad).sum(dim=1).tolist() for ids, _ in calls]
    assert len(calls) == 3
    assert [n for batch in lengths for n in batch] == sorted((n for batch in lengths for n in batch), reverse=True)
    assert [ids.shape[1] for ids, _ in calls] == [max(batch) for batch in lengths]
    assert all(ids.shape[1] < summarizer.window for ids, _ in calls)


def test_t5_prefix_is_prepended_to_every_input(tiny_t5: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summarizer = make(tiny_t5, prefix="summarize: ", batch_size=4)
    calls = spy_generate(summarizer, monkeypatch)
    summarizer.summarize(ARTICLES, progress=False)

    inputs = [text for ids, _ in calls for text in summarizer.tokenizer.decode_batch(ids.tolist(), skip_special_tokens=True)]
    assert len(inputs) == len(ARTICLES)
    assert all(text.startswith("summarize: ") for text in inputs)


def test_auto_batch_size_follows_free_memory_and_beams(tiny_bart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def batch_size(free_bytes: int, beams: int) -> int:
        monkeypatch.setattr(seq2seq, "_available_memory", lambda device: free_bytes)
        return make(tiny_bart, LengthSettings(min_new_tokens=4, max_new_tokens=8, num_beams=beams), batch_size="auto").batch_size

    assert batch_size(10**15, 1) == seq2seq.AUTO_BATCH_LIMIT
    assert batch_size(1, 1) == 1  # never zero, even when the estimate says nothing fits
    middle = 40 * 2**20
    assert 1 < batch_size(middle, 4) < batch_size(middle, 1) < seq2seq.AUTO_BATCH_LIMIT
    assert batch_size(2 * middle, 1) >= 2 * batch_size(middle, 1) - 1


def test_auto_batch_size_summarizes_like_a_fixed_one(tiny_bart: Path) -> None:
    auto = make(tiny_bart, batch_size="auto")
    assert auto.batch_size >= 1
    assert auto.summarize(ARTICLES, progress=False) == make(tiny_bart, batch_size=2).summarize(ARTICLES, progress=False)


# --- generation settings ---------------------------------------------------------------------


@pytest.mark.parametrize(("min_new", "max_new", "beams"), [(3, 6, 1), (6, 6, 1), (2, 5, 2)])
def test_generated_token_counts_respect_min_and_max_new_tokens(
    tiny_bart: Path, tiny_t5: Path, monkeypatch: pytest.MonkeyPatch, min_new: int, max_new: int, beams: int
) -> None:
    length = LengthSettings(min_new_tokens=min_new, max_new_tokens=max_new, num_beams=beams)
    for folder in (tiny_bart, tiny_t5):
        summarizer = make(folder, length, batch_size=4)
        calls = spy_generate(summarizer, monkeypatch)
        summarizer.summarize(ARTICLES, progress=False)

        eos = summarizer.backend.model.generation_config.eos_token_id
        for _, generated in calls:
            for row in generated[:, 1:].tolist():  # position 0 is the decoder start token
                new_tokens = row[: row.index(eos) + 1] if eos in row else row  # EOS counts, padding does not
                assert min_new <= len(new_tokens) <= max_new


@pytest.mark.parametrize("family", ["tiny_bart", "tiny_t5"])
def test_beam_search_without_reordering_cross_attention_gives_the_same_beams(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, family: str
) -> None:
    beams = LengthSettings(min_new_tokens=3, max_new_tokens=16, num_beams=4, no_repeat_ngram_size=2)
    summarizer = make(request.getfixturevalue(family), beams, PREFIXES[family], batch_size=3)
    inputs = [encoding.ids for encoding in summarizer.tokenizer.encode_batch([PREFIXES[family] + text for text in ARTICLES])]
    skipped = summarizer.backend.generate(inputs)
    monkeypatch.setattr(hf, "_BeamCache", EncoderDecoderCache)  # transformers' own: re-orders both caches
    assert summarizer.backend.generate(inputs) == skipped
    assert len({tuple(ids) for ids in skipped}) > 1


def test_model_generation_defaults_survive_and_our_lengths_win(tiny_bart: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    summarizer = make(tiny_bart, LengthSettings(min_new_tokens=10, max_new_tokens=12, num_beams=1))
    calls = spy_generate(summarizer, monkeypatch)
    summarizer.summarize(ARTICLES[:2], progress=False)

    config = summarizer.backend.generation_config
    assert (config.forced_bos_token_id, config.max_new_tokens, config.do_sample) == (0, 12, False)
    assert summarizer.backend.model.generation_config.max_new_tokens == 8  # the model's own config is untouched
    for _, generated in calls:
        assert generated[:, 1].tolist() == [0] * len(generated)  # forced BOS right after the start token
        assert generated.shape[1] > 1 + 8  # longer than the model default of 8 new tokens


# --- long articles ---------------------------------------------------------------------------


def test_20000_word_article_is_chunked_at_sentences_not_truncated(
    tiny_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    article = "\n\n".join(news_text(10, seed) for seed in range(250))  # paragraphs of 10 sentences, 80 words
    assert len(article.split()) >= 20_000
    summarizer = make(tiny_bart, LengthSettings(min_new_tokens=2, max_new_tokens=4, num_beams=1), batch_size=32)

    parts = summarizer._split(article)
    assert len(parts) > 1
    assert " ".join(parts) == " ".join(article.split())  # every word kept, in order
    assert all(part.endswith(".") for part in parts)  # cut between sentences
    assert all(summarizer._count(part) <= summarizer.window for part in parts)

    calls = spy_generate(summarizer, monkeypatch)
    [(summary, chunks)] = summarizer.summarize([article], progress=False)
    assert isinstance(summary, str) and chunks == len(parts)
    assert all(ids.shape[1] <= summarizer.window for ids, _ in calls)
    assert calls[-1][0].shape[0] == 1  # the last round summarizes the joined part summaries once


def test_sentence_longer_than_window_is_cut_between_tokens(tiny_bart: Path) -> None:
    sentence = " ".join(news_text(30).replace(".", "").split())  # 270 words, no sentence end
    summarizer = make(tiny_bart, max_input_tokens=32)

    parts = summarizer._split(sentence)
    assert len(parts) > 1
    assert "".join(parts).replace(" ", "") == sentence.replace(" ", "")
    assert all(summarizer._count(part) <= 32 for part in parts)


@pytest.mark.parametrize("backend", ["transformers", "ctranslate2"])
def test_part_summaries_are_held_to_half_the_window_so_a_small_window_condenses(
    tiny_bart: Path, converted: Path, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the shipped medium length (up to 120 new tokens) in the tiny BART's 128-token window: two
    # full-length part summaries never fit together, so without a cap condensing cannot end
    length = LengthSettings(preset="medium", num_beams=1)
    summarizer = make(tiny_bart, length, batch_size=8, backend=backend, converted_folder=str(converted))
    limit = summarizer.part_limit
    assert limit is not None and 2 * limit <= summarizer.window < 2 * length.resolved_max_new_tokens
    calls: list[tuple[int, int | None, list[int]]] = []
    generate = summarizer.backend.generate

    def recording(batch, max_new_tokens=None):
        output = generate(batch, max_new_tokens)
        calls.append((len(batch), max_new_tokens, [len(ids) for ids in output]))
        return output

    monkeypatch.setattr(summarizer.backend, "generate", recording)
    long_article, short_article = news_text(40), news_text(2)
    assert len(summarizer._split(long_article)) > 1 and len(summarizer._split(short_article)) == 1
    [(_, chunks), (_, one)] = summarizer.summarize([long_article, short_article], progress=False)
    assert chunks > 1 and one == 1
    caps = [cap for _, cap, _ in calls if cap is not None]
    assert caps[0] == limit and caps == sorted(caps, reverse=True)  # later rounds only tighten it
    assert all(n <= cap for (_, cap, lengths) in calls if cap is not None for n in lengths)
    assert [cap for _, cap, _ in calls].count(None) >= 2  # the short article and the long one's last round


def test_no_part_limit_when_two_summaries_fit_the_window(tiny_t5: Path) -> None:
    assert make(tiny_t5, LengthSettings(preset="medium", num_beams=1)).part_limit is None  # 512-token window


def test_tight_window_and_summaries_as_long_as_it_condense(tiny_bart: Path) -> None:
    length = LengthSettings(min_new_tokens=24, max_new_tokens=24, num_beams=1)
    summarizer = make(tiny_bart, length, max_input_tokens=24, batch_size=16)

    [(summary, chunks)] = summarizer.summarize([news_text(20)], progress=False)
    assert chunks > 1 and isinstance(summary, str)


def test_an_article_not_condensed_in_the_rounds_allowed_raises_instead_of_looping(
    tiny_bart: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seq2seq, "MAX_ROUNDS", 1)  # one round cannot condense parts into one summary
    summarizer = make(tiny_bart, LengthSettings(min_new_tokens=2, max_new_tokens=8, num_beams=1), max_input_tokens=24, batch_size=16)

    with pytest.raises(ConfigError, match="could not be condensed .* in 1 rounds"):
        summarizer.summarize([news_text(20)], progress=False)


# --- loading ---------------------------------------------------------------------------------


def fake_hub_cache(cache: Path, repo_id: str, model_folder: Path) -> str:
    """Lay ``model_folder`` out as huggingface_hub caches a download; return the commit id."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = cache / f"models--{repo_id.replace('/', '--')}"
    shutil.copytree(model_folder, repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    return commit


@pytest.mark.parametrize("offline", ["1", ""])
def test_cached_hub_id_loads_without_network(
    tiny_bart: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline: str
) -> None:
    commit = fake_hub_cache(tmp_path, "summarizer-tests/tiny-bart", tiny_bart)
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setenv("HF_HUB_OFFLINE", offline)
    monkeypatch.setattr(checkpoint, "hub_reachable", lambda endpoint: pytest.fail("a cache hit must not probe"))

    expected = make(tiny_bart).summarize(ARTICLES[:1], progress=False)  # the folder the cache holds a copy of
    for revision in (None, commit):
        summarizer = make("summarizer-tests/tiny-bart", revision=revision)
        assert summarizer.name == "summarizer-tests/tiny-bart"
        assert summarizer.summarize(ARTICLES[:1], progress=False) == expected  # the cached weights, not others


# --- loading errors --------------------------------------------------------------------------


def assert_readable(error: pytest.ExceptionInfo[ModelLoadError], *phrases: str) -> None:
    """One paragraph for the user: no traceback, no line breaks, and the phrases that help."""
    message = str(error.value)
    assert "Traceback" not in message and "\n" not in message
    for phrase in phrases:
        assert phrase in message


def test_missing_local_folder(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError) as error:
        make(tmp_path / "no-such-model")
    assert_readable(error, "no-such-model", "does not exist", "hub id")


def test_local_folder_without_weights(tiny_bart: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(tiny_bart, tmp_path / "no-weights")
    (folder / "model.safetensors").unlink()
    with pytest.raises(ModelLoadError) as error:
        make(folder)
    assert_readable(error, "missing weights")


def test_folder_with_an_encoder_only_model(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError) as error:
        make(build_tiny_bert(tmp_path / "bert"))
    assert_readable(error, "'bert'", "not an encoder-decoder", "BART", "PEGASUS", "T5", "LED")


def test_uncached_hub_id_in_offline_mode_fails_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(checkpoint, "hub_reachable", lambda endpoint: pytest.fail("offline mode must not probe"))
    started = time.monotonic()
    with pytest.raises(ModelLoadError) as error:
        make("summarizer-tests/not-a-cached-model")
    assert time.monotonic() - started < 5
    assert_readable(error, "not in the local Hugging Face cache", "offline", "hf download", "--config extractive")


def test_uncached_hub_id_with_unreachable_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    for flag in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.delenv(flag, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", "https://hub.example.invalid")
    probed: list[str] = []
    monkeypatch.setattr(checkpoint, "hub_reachable", lambda endpoint: probed.append(endpoint) or False)
    with pytest.raises(ModelLoadError) as error:
        make("summarizer-tests/not-a-cached-model")
    assert probed == ["https://hub.example.invalid"]
    assert_readable(error, "cannot be reached", "huggingface-cli download", "model.name", "--config extractive")


def test_hub_probe_gives_up_on_a_closed_port() -> None:
    started = time.monotonic()
    assert not checkpoint.hub_reachable("http://127.0.0.1:9")  # discard port: nothing listens
    assert time.monotonic() - started < checkpoint.HUB_PROBE_TIMEOUT + 1


@pytest.mark.parametrize(
    ("cuda", "mps", "expected"), [(True, True, "cuda"), (False, True, "mps"), (False, False, "cpu")]
)
def test_auto_device_prefers_cuda_then_mps_then_cpu(
    monkeypatch: pytest.MonkeyPatch, cuda: bool, mps: bool, expected: str
) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    assert hf.pick_device("auto") == expected
    assert hf.pick_device("cpu") == "cpu"


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_unavailable_device_is_refused(tiny_bart: Path) -> None:
    with pytest.raises(ModelLoadError) as error:
        make(tiny_bart, device="cuda")
    assert_readable(error, "model.device", "'auto'")


# --- each family on a tiny model of its own architecture --------------------------------------


def test_led_generates_with_global_attention_on_each_input_first_token(tiny_led: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """LED's encoder attends locally (16 tokens here) except where global_attention_mask says;
    its summarization checkpoints expect the first token global, so the backend passes that."""
    summarizer = make(tiny_led, batch_size=3)
    assert summarizer.backend.model.config.model_type == "led"
    seen: list[tuple[torch.Tensor, torch.Tensor]] = []
    generate = summarizer.backend.model.generate

    def recording(**kwargs):
        seen.append((kwargs["attention_mask"], kwargs.get("global_attention_mask")))
        return generate(**kwargs)

    monkeypatch.setattr(summarizer.backend.model, "generate", recording)
    results = summarizer.summarize(ARTICLES, progress=False)
    assert [chunks for _, chunks in results] == [1] * len(ARTICLES)
    assert seen and all(global_mask is not None for _, global_mask in seen)
    for mask, global_mask in seen:
        assert global_mask.shape == mask.shape and global_mask[:, 0].tolist() == [1] * len(mask)
        assert int(global_mask.sum()) == len(mask)  # the first token of each input, nothing else


@pytest.mark.parametrize("family", ["tiny_bart", "tiny_t5", "tiny_pegasus"])
def test_families_without_global_attention_get_no_global_attention_mask(family: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    summarizer = make(request.getfixturevalue(family))
    seen: list[set[str]] = []
    generate = summarizer.backend.model.generate
    monkeypatch.setattr(summarizer.backend.model, "generate", lambda **kwargs: seen.append(set(kwargs)) or generate(**kwargs))
    summarizer.summarize(ARTICLES[:2], progress=False)
    assert seen and all("global_attention_mask" not in keys for keys in seen)


def test_pegasus_and_led_batched_outputs_equal_one_by_one_outputs(tiny_pegasus: Path, tiny_led: Path) -> None:
    for folder in (tiny_pegasus, tiny_led):
        summarizer = make(folder, batch_size=3)
        batched = summarizer.summarize(ARTICLES, progress=False)
        summarizer.batch_size = 1
        assert batched == [summarizer.summarize([article], progress=False)[0] for article in ARTICLES], folder.name
