"""Generation backends (summarizer.summarize.backends): choice, CTranslate2 conversion, and equivalence.

fp32 CTranslate2 must produce the very tokens transformers produces with greedy decoding: the
backend only replaces the generate step, so any difference is a mapping error (lengths, forced
BOS/EOS, n-gram blocking).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from ctranslate2.converters import TransformersConverter
from transformers import AutoTokenizer

from summarizer.config import LengthSettings, ModelSettings
from summarizer.errors import ConfigError, ModelLoadError
from summarizer.summarize import ct2
from summarizer.summarize.backends import resolve_backend
from summarizer.summarize.checkpoint import Checkpoint
from summarizer.summarize.hf import describe
from tests.summarize.test_seq2seq import ARTICLES, PREFIXES, make

pytestmark = pytest.mark.usefixtures("one_torch_thread")


# min == max hits transformers' forced EOS on every article; no_repeat_ngram_size 2 blocks
# repeats that the random models otherwise emit at every step.
LENGTHS = [
    LengthSettings(min_new_tokens=4, max_new_tokens=8, num_beams=1, no_repeat_ngram_size=0),
    LengthSettings(min_new_tokens=12, max_new_tokens=12, num_beams=1, no_repeat_ngram_size=0),
    LengthSettings(min_new_tokens=1, max_new_tokens=20, num_beams=1, no_repeat_ngram_size=2),
]
GREEDY_LONG = LENGTHS[1]


@pytest.mark.parametrize("family", ["tiny_bart", "tiny_t5"])
@pytest.mark.parametrize("length", LENGTHS, ids=["4-8", "12-12", "1-20-norepeat2"])
def test_fp32_ctranslate2_gives_the_same_greedy_tokens_as_transformers(
    request: pytest.FixtureRequest, converted: Path, family: str, length: LengthSettings
) -> None:
    folder = request.getfixturevalue(family)
    options = {"prefix": PREFIXES[family], "converted_folder": str(converted), "batch_size": 3}
    reference = make(folder, length, backend="transformers", **options)
    candidate = make(folder, length, backend="ctranslate2", quantization="none", **options)
    inputs = [encoding.ids for encoding in reference.tokenizer.encode_batch([PREFIXES[family] + text for text in ARTICLES])]

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

    monkeypatch.setattr(TransformersConverter, "convert", refuse)
    summarizer = make(tiny_bart, backend="ctranslate2", quantization="int8", converted_folder=str(folder))
    assert summarizer.engine == "ctranslate2/int8/cpu"
    assert [chunks for _, chunks in summarizer.summarize(ARTICLES[:2], progress=False)] == [1, 1]
    with pytest.raises(ModelLoadError, match="converted again"):  # fp32 is a different conversion
        make(tiny_bart, backend="ctranslate2", quantization="none", converted_folder=str(folder))


def test_transformers_int8_runs_and_names_its_engine(tiny_bart: Path) -> None:
    summarizer = make(tiny_bart, backend="transformers", quantization="int8")
    assert summarizer.engine == "transformers/int8/cpu"
    assert [chunks for _, chunks in summarizer.summarize(ARTICLES[:3], progress=False)] == [1, 1, 1]


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


# --- a converted model runs without transformers or torch ------------------------------------

RUN_CONVERTED = """
import json, sys
from summarizer.config import LengthSettings, ModelSettings
from summarizer.summarize.seq2seq import Seq2SeqSummarizer
summarizer = Seq2SeqSummarizer(ModelSettings(**json.loads(sys.argv[1])), LengthSettings(**json.loads(sys.argv[2])))
summaries = summarizer.summarize(json.loads(sys.argv[3]), progress=False)
print(json.dumps({"summaries": summaries, "engine": summarizer.engine, "loaded": sorted({"torch", "transformers"} & set(sys.modules))}))
"""


@pytest.mark.parametrize("family", ["tiny_bart", "tiny_t5"])
def test_converted_model_runs_without_importing_transformers_or_torch(
    request: pytest.FixtureRequest, converted: Path, family: str
) -> None:
    folder = request.getfixturevalue(family)
    options = {"converted_folder": str(converted), "batch_size": 4, "device": "cpu", "backend": "auto"}
    first = make(folder, GREEDY_LONG, PREFIXES[family], **options)  # reads with transformers, converts
    expected = [list(pair) for pair in first.summarize(ARTICLES, progress=False)]

    length = GREEDY_LONG.model_dump(mode="json")
    done = subprocess.run([sys.executable, "-c", RUN_CONVERTED, json.dumps({"name": str(folder), "prefix": PREFIXES[family], **options}), json.dumps(length), json.dumps(ARTICLES)],
                          capture_output=True, text=True, check=True)
    second = json.loads(done.stdout)
    assert second["loaded"] == []
    assert second["engine"] == first.engine == "ctranslate2/int8/cpu"
    assert second["summaries"] == expected


def test_changed_tokenizer_files_mean_a_new_conversion(tiny_bart: Path, converted: Path, tmp_path: Path) -> None:
    copy = tmp_path / "model"
    shutil.copytree(tiny_bart, copy)
    settings = ModelSettings(name=str(copy), converted_folder=str(converted / "changed"), backend="auto", device="cpu")
    make(copy, backend="auto", device="cpu", converted_folder=str(converted / "changed"))
    assert ct2.prepared(settings) is not None
    config = copy / "tokenizer_config.json"
    config.write_text(config.read_text() + "\n")  # same content, new size: the description may be stale
    assert ct2.prepared(settings) is None
    assert ct2.prepared(settings.model_copy(update={"backend": "transformers"})) is None


def test_description_from_another_transformers_version_is_read_anew(tiny_bart: Path, converted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = ModelSettings(name=str(tiny_bart), converted_folder=str(converted / "versions"), device="cpu")
    make(tiny_bart, backend="auto", device="cpu", converted_folder=settings.converted_folder)
    assert ct2.prepared(settings) is not None
    monkeypatch.setattr(ct2, "_installed", lambda package: "0.0.1")
    assert ct2.prepared(settings) is None
    monkeypatch.setattr(TransformersConverter, "convert", lambda *args, **kwargs: pytest.fail("the weights were converted again"))
    make(tiny_bart, backend="auto", device="cpu", converted_folder=settings.converted_folder)  # rewrites the description
    monkeypatch.undo()
    assert ct2.prepared(settings) is not None


@pytest.mark.parametrize("family", ["tiny_bart", "tiny_t5"])
def test_checkpoint_tokenizer_encodes_and_decodes_as_transformers_does(request: pytest.FixtureRequest, family: str) -> None:
    folder = request.getfixturevalue(family)
    reference = AutoTokenizer.from_pretrained(folder)
    tokenizer = describe(str(folder), None).tokenizer()
    texts = [PREFIXES[family] + text for text in ARTICLES] + ["Café — “quoted” 12,5 km²  double  space"]
    ids = [encoding.ids for encoding in tokenizer.encode_batch(texts)]
    assert ids == reference(texts).input_ids
    assert tokenizer.decode_batch(ids, skip_special_tokens=True) == reference.batch_decode(ids, skip_special_tokens=True, clean_up_tokenization_spaces=False)


def test_a_batch_is_spread_over_the_cores_one_worker_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)  # no thread budget: every core
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert ct2._threads("cpu", 8) == (4, 1)
    assert ct2._threads("cpu", 4) == (2, 2)
    assert ct2._threads("cpu", 2) == (1, 4)  # one job of two inputs: one worker, on every core
    assert ct2._threads("cpu", 1) == (1, 4)
    assert ct2._threads("cuda", 8) == (1, 1)


@pytest.mark.parametrize("cores", [1, 2, 3, 4, 8, 16])
def test_no_worker_waits_without_a_job_and_no_core_is_left_out(monkeypatch: pytest.MonkeyPatch, cores: int) -> None:
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
    for batch in range(1, 33):
        workers, threads = ct2._threads("cpu", batch)
        jobs = math.ceil(batch / ct2.CTranslate2Backend._job_size(SimpleNamespace(workers=workers), batch))
        assert jobs >= workers, (batch, workers, jobs)
        assert cores - cores % workers == workers * threads, (batch, workers, threads)


@pytest.mark.parametrize(("workers", "inputs", "size"), [(2, 8, 2), (2, 16, 4), (2, 3, 2), (4, 8, 2), (1, 8, 8), (1, 1, 1)])
def test_jobs_give_each_worker_two_of_at_least_two_inputs_or_one_worker_everything(workers: int, inputs: int, size: int) -> None:
    assert ct2.CTranslate2Backend._job_size(SimpleNamespace(workers=workers), inputs) == size


def test_conversion_folder_that_refuses_the_description_still_runs(
    tiny_bart: Path, converted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = converted / "read-only"
    expected = make(tiny_bart, backend="ctranslate2", converted_folder=str(folder)).summarize(ARTICLES[:1], progress=False)
    target = next(folder.iterdir())
    (target / ct2.CHECKPOINT_FILE).unlink()  # as a conversion made by an older version

    def refuse(self, path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Checkpoint, "save", refuse)  # a read-only shared folder
    summarizer = make(tiny_bart, backend="ctranslate2", converted_folder=str(folder))
    assert summarizer.engine == "ctranslate2/int8/cpu"  # still the converted model, not a fallback
    assert summarizer.summarize(ARTICLES[:1], progress=False) == expected
    assert ct2.prepared(ModelSettings(name=str(tiny_bart), converted_folder=str(folder), device="cpu")) is None
