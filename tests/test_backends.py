"""Generation backends (summarizer.backends): choice, CTranslate2 conversion, and equivalence.

fp32 CTranslate2 must produce the very tokens transformers produces with greedy decoding: the
backend only replaces the generate step, so any difference is a mapping error (lengths, forced
BOS/EOS, n-gram blocking).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_seq2seq import ARTICLES, PREFIXES, make

from summarizer import ct2
from summarizer.backends import resolve_backend
from summarizer.config import LengthSettings
from summarizer.errors import ConfigError, ModelLoadError


pytestmark = pytest.mark.usefixtures("one_torch_thread")


# min == max hits transformers' forced EOS on every article; no_repeat_ngram_size 2 blocks
# repeats that the random models otherwise emit at every step.
LENGTHS = [
    LengthSettings(min_new_tokens=4, max_new_tokens=8, num_beams=1, no_repeat_ngram_size=0),
    LengthSettings(min_new_tokens=12, max_new_tokens=12, num_beams=1, no_repeat_ngram_size=0),
    LengthSettings(min_new_tokens=1, max_new_tokens=20, num_beams=1, no_repeat_ngram_size=2),
]


@pytest.mark.parametrize("family", ["tiny_bart", "tiny_t5"])
@pytest.mark.parametrize("length", LENGTHS, ids=["4-8", "12-12", "1-20-norepeat2"])
def test_fp32_ctranslate2_gives_the_same_greedy_tokens_as_transformers(
    request: pytest.FixtureRequest, converted: Path, family: str, length: LengthSettings
) -> None:
    folder = request.getfixturevalue(family)
    options = {"prefix": PREFIXES[family], "converted_folder": str(converted), "batch_size": 3}
    reference = make(folder, length, backend="transformers", **options)
    candidate = make(folder, length, backend="ctranslate2", quantization="none", **options)
    inputs = reference.tokenizer([PREFIXES[family] + text for text in ARTICLES], verbose=False).input_ids

    expected = reference.backend.generate(inputs)
    assert candidate.backend.generate(inputs) == expected
    assert len({tuple(ids) for ids in expected}) > 1  # distinct outputs, so a mix-up would show
    assert candidate.summarize(ARTICLES, progress=False) == reference.summarize(ARTICLES, progress=False)


def test_conversion_happens_once_and_is_keyed_by_quantization(
    tiny_bart: Path, converted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = converted / "once"
    make(tiny_bart, backend="ctranslate2", quantization="int8", converted_folder=str(folder))
    made = sorted(p.name for p in folder.iterdir())
    assert len(made) == 1 and "int8" in made[0]

    def refuse(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(ct2.converters.TransformersConverter, "convert", refuse)
    summarizer = make(tiny_bart, backend="ctranslate2", quantization="int8", converted_folder=str(folder))
    assert summarizer.engine == "ctranslate2/int8/cpu"
    assert summarizer.summarize(ARTICLES[:2], progress=False)[0][0]
    with pytest.raises(ModelLoadError, match="converted again"):  # fp32 is a different conversion
        make(tiny_bart, backend="ctranslate2", quantization="none", converted_folder=str(folder))


def test_transformers_int8_runs_and_names_its_engine(tiny_bart: Path) -> None:
    summarizer = make(tiny_bart, backend="transformers", quantization="int8")
    assert summarizer.engine == "transformers/int8/cpu"
    assert all(summary for summary, _ in summarizer.summarize(ARTICLES[:3], progress=False))


def test_auto_picks_ctranslate2_where_it_runs_else_transformers() -> None:
    assert resolve_backend("auto", "BartConfig", "cpu") == "ctranslate2"
    assert resolve_backend("auto", "T5Config", "cuda") == "ctranslate2"
    assert resolve_backend("auto", "LEDConfig", "cpu") == "transformers"
    assert resolve_backend("auto", "BartConfig", "mps") == "transformers"


def test_unknown_or_unfit_backend_is_refused_with_what_to_do() -> None:
    with pytest.raises(ConfigError, match="Did you mean 'ctranslate2'"):
        resolve_backend("ctranslate", "BartConfig", "cpu")
    with pytest.raises(ModelLoadError, match="cannot run a LEDConfig model on cpu.*'transformers'"):
        resolve_backend("ctranslate2", "LEDConfig", "cpu")
