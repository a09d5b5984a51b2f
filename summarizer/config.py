"""Run configuration: YAML files in ``configs/`` loaded into frozen, validated objects.

Every default lives here, once, with its unit and effect. Unknown keys and bad values fail
at load time with the file, the dotted key and the allowed values (pydantic does the type
checking; this module turns its report into one readable paragraph).
"""

from __future__ import annotations

import difflib
import importlib.resources
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Union

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    model_validator,
)

from .errors import ConfigError



def shipped_config_dir() -> Path:
    """The folder of the shipped configs: ``summarizer/configs/`` in an installed wheel (setup.py
    maps the repository's ``configs/`` there), else ``configs/`` at the top of the clone, the
    YAMLs a user of the repository edits."""
    installed = importlib.resources.files("summarizer") / "configs"
    if installed.is_dir():
        return Path(str(installed))
    return Path(__file__).resolve().parent.parent / "configs"


#: Folder holding the shipped configs (:func:`shipped_config_dir`; ``$SUMMARIZER_CONFIG_DIR`` replaces it).
CONFIG_DIR = Path(os.environ.get("SUMMARIZER_CONFIG_DIR") or shipped_config_dir())

#: Length presets: (min_new_tokens, max_new_tokens) for seq2seq models, and the number of
#: sentences an extractive or lead summary keeps per article.
LENGTH_PRESETS: dict[str, dict[str, int]] = {
    "short": {"min_new_tokens": 20, "max_new_tokens": 60, "sentences": 2},
    "medium": {"min_new_tokens": 40, "max_new_tokens": 120, "sentences": 3},
    "long": {"min_new_tokens": 80, "max_new_tokens": 220, "sentences": 5},
}


class _Frozen(BaseModel):
    """Shared pydantic settings: immutable, and unknown keys are an error, not ignored."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _batch_size(value: Any) -> Union[Literal["auto"], int]:
    """model.batch_size: "auto" or a count, checked in one rule so a bad value gets one message."""
    if value == "auto" or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 256):
        return value
    raise ValueError("should be 'auto' or a whole number from 1 to 256")


def _languages(value: Any) -> tuple[str, ...]:
    """model.languages: a non-empty list of ISO 639 codes, checked in one rule for one message."""
    codes = (value,) if isinstance(value, str) else value
    if isinstance(codes, (list, tuple)) and codes and all(isinstance(c, str) and re.fullmatch(r"[a-z]{2,3}", c) for c in codes):
        return tuple(dict.fromkeys(codes))
    raise ValueError("should be a list of ISO 639 language codes, lowercase, such as [en] or [ar, en, fr, hi]")


class ModelSettings(_Frozen):
    """Which summarizer produces the per-article summaries, and where it runs."""

    method: Literal["abstractive", "extractive", "lead"] = "abstractive"  # summarizer family
    name: str = "sshleifer/distilbart-cnn-12-6"  # hub id, or a local folder with config + weights
    revision: Optional[str] = None  # hub branch, tag or commit; None = the hub's default
    prefix: str = ""  # prepended to every input (T5 task prefix such as "summarize: ")
    device: Literal["auto", "cpu", "cuda", "mps"] = "auto"  # auto = CUDA, then MPS, then CPU
    # articles (or chunks) per generate() call; auto = as many as fit in half the free memory (estimated)
    batch_size: Annotated[Union[Literal["auto"], int], PlainValidator(_batch_size)] = 4
    max_input_tokens: Optional[int] = Field(None, ge=16)  # input window; None = the model's own
    on_load_failure: Literal["error", "extractive"] = "error"  # what to do when the model won't load
    # generation engine (see summarizer.summarize.backends); auto = ctranslate2 when installed and it runs the
    # architecture (BART, T5) on this device, else transformers. Chunking is the same on every engine
    backend: Literal["auto", "transformers", "ctranslate2"] = "auto"
    # weight precision; auto = int8 on ctranslate2 (int8_float16 on CUDA), and with transformers fp32
    # on CPU, fp16/bf16 on a GPU; int8 with transformers = torch dynamic int8 Linear layers (CPU only);
    # none = fp32 everywhere (the reference the benchmarks compare against)
    quantization: Literal["auto", "none", "int8"] = "auto"
    converted_folder: Optional[str] = None  # ctranslate2 conversions; None = <default cache root>/ctranslate2
    # ISO 639 codes of the languages the seq2seq model was fine-tuned on; summarizing a cluster in
    # another one warns once per cluster (its summaries may come out in the wrong language, or empty)
    languages: Annotated[tuple[str, ...], PlainValidator(_languages)] = ("en",)

    @property
    def resolved_converted_folder(self) -> Path:
        return Path(self.converted_folder).expanduser() if self.converted_folder else default_cache_root() / "ctranslate2"


class LengthSettings(_Frozen):
    """How long each per-article summary is. Explicit token limits override the preset."""

    preset: Literal["short", "medium", "long"] = "medium"
    min_new_tokens: Optional[int] = Field(None, ge=0)  # tokens; None = from the preset
    max_new_tokens: Optional[int] = Field(None, ge=1)  # tokens; None = from the preset
    sentences: Optional[int] = Field(None, ge=1)  # extractive/lead sentences; None = from preset
    num_beams: int = Field(4, ge=1, le=16)  # beam width; 1 = greedy decoding
    no_repeat_ngram_size: int = Field(3, ge=0)  # 0 = allow repeated n-grams
    length_penalty: float = 2.0  # >1 favours longer beams (BART/PEGASUS convention)

    @model_validator(mode="after")
    def _min_below_max(self) -> "LengthSettings":
        if self.resolved_min_new_tokens > self.resolved_max_new_tokens:
            raise ValueError(
                f"min_new_tokens ({self.resolved_min_new_tokens}) is above max_new_tokens "
                f"({self.resolved_max_new_tokens}); lower the first or raise the second"
            )
        return self

    @property
    def resolved_min_new_tokens(self) -> int:
        return self.min_new_tokens if self.min_new_tokens is not None else LENGTH_PRESETS[self.preset]["min_new_tokens"]

    @property
    def resolved_max_new_tokens(self) -> int:
        return self.max_new_tokens if self.max_new_tokens is not None else LENGTH_PRESETS[self.preset]["max_new_tokens"]

    @property
    def resolved_sentences(self) -> int:
        return self.sentences if self.sentences is not None else LENGTH_PRESETS[self.preset]["sentences"]


class FusionSettings(_Frozen):
    """How per-article summaries are merged into one digest."""

    # auto = int8 MiniLM (CTranslate2) when it loads, else fp32 MiniLM, else TF-IDF; the digest's embedder field says which
    # for English clusters (MiniLM knows no other language)
    # minilm-static = MiniLM distilled into static token vectors (model2vec, the "static" extra): never chosen by auto
    embedder: Literal["auto", "minilm-int8", "minilm", "tfidf", "tfidf-char", "minilm-static"] = "auto"
    # for clusters in any other language: auto = multilingual_model when it is on this machine
    # (a folder or the HF cache; nothing is downloaded), else TF-IDF over character n-grams;
    # multilingual = that model, downloaded when the hub is reachable
    multilingual_embedder: Literal["auto", "multilingual", "tfidf-char", "tfidf"] = "auto"
    multilingual_model: str = "sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"  # hub id or folder
    threshold: Optional[float] = Field(None, gt=0, le=1)  # cosine; None = the embedder's default
    max_words: int = Field(250, ge=10)  # digest length budget in words
    min_support: int = Field(1, ge=1)  # keep only claims backed by at least this many articles
    min_sentence_words: int = Field(4, ge=1)  # shorter fragments are not digest material
    # coverage = choose the set of sentences covering the most widely reported concepts within
    # max_words, solved exactly (summarizer.fuse.select); the extractive method's candidates are
    # then every statement of every article. ranking = group the summaries' sentences, rank the
    # groups by support and position, fill the budget (summarizer.fuse.merge; the pre-issue-12 digest)
    selection: Literal["coverage", "ranking"] = "coverage"
    # the weight of a concept in coverage selection: df = how many articles hold it (Gillick &
    # Favre 2009; the pre-issue-20 digest), learned = a regression's predicted share of human
    # summaries holding it, from its frequency, position, case (summarizer.fuse.weights)
    concept_weights: Literal["df", "learned"] = "learned"
    # coverage selection may take a sentence in a shorter form: without its attribution tail,
    # parentheticals or appositives (summarizer.fuse.compress); False = whole sentences only
    compression: bool = True
    # coverage selection also keeps apart two sentences below the threshold whose content words
    # (names matched across spellings: Panjshir / Panchir) mostly coincide (summarizer.fuse.redundancy)
    paraphrases: bool = True


class ConflictSettings(_Frozen):
    """How figures that the articles report differently are found (see ``summarizer.fuse.conflicts``)."""

    enabled: bool = True  # False = no "Sources disagree" section and an empty "conflicts" list
    # cosine of the MiniLM embeddings of the words around two numbers with the same head noun,
    # at or above which they count the same thing, when both contexts name the same event
    # ("died", "evacuated"); measured on the two Kabul clusters: such pairs score 0.37-0.82
    min_similarity: float = Field(0.35, gt=0, le=1)
    # the same, for figures whose context names no event (distances, years, sums of money);
    # None = never compare them. Measured: on Kabul, different things sharing a noun score up to
    # 0.47 ("20 years of war" / "over 40 years of fighting"), but on MultiLing 2011 the distances
    # and depths of different aftershocks, and the lengths of different Tour stages, score above
    # 0.6: 12 of the 14 "conflicts" found there at 0.6 were different things, so the default is off
    min_similarity_without_event: Optional[float] = Field(None, gt=0, le=1)


class GuardSettings(_Frozen):
    """The hallucination guard on per-article summaries (see ``summarizer.fuse.hallucination``)."""

    # True = a summary sentence naming a number or name its article lacks never reaches the
    # digest; False = it stays, and is still reported in digest.json ("hallucinations")
    drop_flagged: bool = True


class DataSettings(_Frozen):
    """Column names and slicing for table-like inputs (JSONL, JSON, CSV, HF datasets)."""

    text_column: str = "text"
    title_column: str = "title"
    id_column: str = "doc_id"
    cluster_column: str = "cluster_id"
    reference_column: str = "reference"  # Multi-News calls it "summary"
    date_column: str = "date"  # optional publication date (ISO 8601); used when grouping stories
    # True = a feed: every article is grouped into stories (one event each) before digesting,
    # any cluster_id it carries is ignored (see the `stories` section and summarizer.stories)
    stories: bool = False
    split: str = "test"  # split of a Hugging Face dataset
    limit: Optional[int] = Field(None, ge=1)  # first N clusters only
    # words kept per article (whole lines, from the start), with a warning; a longer "article"
    # is a book or a scraping accident, and sentence splitting and ranking cost grows with it
    max_article_words: Optional[int] = Field(50_000, ge=100)  # None = keep everything; longest long-reads ~30k
    # auto = each cluster in the language most of its articles are in (py3langid), and every
    # language-dependent step follows it; an ISO 639-1 code ("fr") forces that language for every
    # cluster, and articles confidently in another one get a warning; None = English, unchecked
    language: Optional[str] = Field("auto", pattern=r"^(auto|[a-z]{2,3})$")


class GroupingSettings(_Frozen):
    """How a feed is grouped into stories with ``data.stories`` (``summarizer.stories``); the
    threshold was chosen on the development feed (``benchmarks/bench_stories.py``)."""

    # cosine between an article and a story's centroid at or above which the single pass puts the article in it
    threshold: float = Field(0.11, gt=0, lt=1)
    # the same cosine for the k-means rounds after the pass, which move an article (a single
    # article too) to the story it is most like: lower, since a story's centroid once its reports
    # are in is a steadier target than the first few articles the pass compared with
    move_threshold: float = Field(0.08, gt=0, lt=1)
    title_weight: float = Field(1.0, ge=0)  # weight of the title block against the body's 1
    entity_weight: float = Field(1.0, ge=0)  # weight of names and figures against the body's 1
    top_terms: int = Field(200, ge=10)  # body terms kept per article, the heaviest by TF-IDF
    # dates: an earlier article's similarity counts in full within this many days of the new
    # one, then decays by e every date_scale_days further (either undated: in full)
    date_window_days: float = Field(3.0, ge=0)
    date_scale_days: float = Field(14.0, gt=0)

    @model_validator(mode="after")
    def _move_not_above_join(self) -> "GroupingSettings":
        if self.move_threshold > self.threshold:
            raise ValueError(
                f"move_threshold ({self.move_threshold}) is above threshold ({self.threshold}): the k-means rounds "
                "would undo the single pass; lower move_threshold or raise threshold"
            )
        return self


class CompareSettings(_Frozen):
    """How ``summarizer compare`` aggregates per-cluster metrics (one comparison, many configs)."""

    seed: int = 0  # seed of the bootstrap resampling: the same intervals on every run
    resamples: int = Field(1000, ge=100)  # bootstrap resamples of the clusters
    confidence: float = Field(0.95, gt=0, lt=1)  # two-sided confidence level of the intervals
    rouge_measure: Literal["f1", "recall", "precision"] = "f1"  # which ROUGE number counts; DUC/TAC: recall
    rouge_words: Optional[int] = Field(None, ge=1)  # cut each digest to its first N words before ROUGE; None = whole digest; DUC/TAC: 100
    rouge_references: Literal["max", "mean"] = "max"  # several references: the best one counts, or their mean (DUC/TAC)
    length_tolerance: float = Field(0.10, ge=0)  # warn when configs' mean digest lengths differ by more than this share of the shorter


class EngineSettings(_Frozen):
    """How ``--ray`` spreads a run over a Ray cluster (``summarizer.engine``); not part of a config file,
    since the same config must give the same digests on one machine or many."""

    address: Optional[str] = None  # Ray cluster address ("ray://host:10001", "auto"); None = $RAY_ADDRESS, else a local Ray
    workers: Optional[int] = Field(None, ge=1)  # summarizing actors; None = as many as the cluster's resources allow
    cpus_per_worker: float = Field(1.0, gt=0)  # CPUs each actor holds (and its torch threads, rounded up)
    gpus_per_worker: Optional[float] = Field(None, ge=0)  # None = 1 when the cluster has GPUs, else 0 (CPU actors)
    reserve_cpus: float = Field(1.0, ge=0)  # CPUs left free for Ray Data's read tasks: a pool holding every core deadlocks


class CacheSettings(_Frozen):
    """The on-disk caches of per-article summaries and sentence vectors (``summarizer.summarize.cache``,
    ``summarizer.text.embed_cache``): resume, don't redo."""

    enabled: bool = True  # False (or the CLI's --no-cache) = always recompute, store nothing
    folder: Optional[str] = None  # None = $SUMMARIZER_CACHE if set, else ~/.cache/summarizer

    @property
    def resolved_folder(self) -> Path:
        return Path(self.folder).expanduser() if self.folder else default_cache_root()


def default_cache_root() -> Path:
    """Where caches go unless configured: $SUMMARIZER_CACHE if set, else ~/.cache/summarizer."""
    return Path(os.environ.get("SUMMARIZER_CACHE") or "~/.cache/summarizer").expanduser()


class Config(_Frozen):
    """A whole run: model, length, fusion and data settings."""

    description: str = ""
    model: ModelSettings = ModelSettings()
    length: LengthSettings = LengthSettings()
    fusion: FusionSettings = FusionSettings()
    conflicts: ConflictSettings = ConflictSettings()
    guard: GuardSettings = GuardSettings()
    data: DataSettings = DataSettings()
    grouping: GroupingSettings = GroupingSettings()
    cache: CacheSettings = CacheSettings()


def resolve_config_path(name_or_path: str | os.PathLike) -> Path:
    """Find a config by path, or by name in :data:`CONFIG_DIR` (``extractive`` → ``extractive.yaml``)."""
    path = Path(name_or_path)
    if path.is_file():
        return path
    for candidate in (CONFIG_DIR / path.name, CONFIG_DIR / f"{path.name}.yaml"):
        if candidate.is_file():
            return candidate
    known = sorted(p.stem for p in CONFIG_DIR.glob("*.yaml"))
    hint = difflib.get_close_matches(path.stem, known, n=1)
    raise ConfigError(
        f"Config '{name_or_path}' not found (neither a file nor a name in {CONFIG_DIR}). "
        + (f"Did you mean '{hint[0]}'? " if hint else "")
        + f"Shipped configs: {', '.join(known)}."
    )


def load_config(name_or_path: str | os.PathLike = "default", overrides: list[str] | tuple[str, ...] = ()) -> Config:
    """Load, override and validate a config.

    Args:
        name_or_path: a YAML file, or the name of a shipped config.
        overrides: ``key=value`` strings with dotted keys (``length.preset=short``); values are
            parsed as YAML scalars, so ``3``, ``0.5``, ``null`` and ``true`` have their types.

    Raises:
        ConfigError: malformed YAML (with line and column), an unknown key (with a suggestion),
            or a bad value (with the allowed values).
    """
    path = resolve_config_path(name_or_path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"{path}: malformed YAML{where}: {exc.problem}. Fix the file and run again.") from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the top level must be a mapping of sections (model, length, fusion, data).")
    for item in overrides:
        _apply_override(raw, item, path)
    return validate_config(raw, source=str(path))


def validate_config(raw: dict[str, Any], source: str = "<dict>") -> Config:
    """Turn a plain dict into a :class:`Config`, or raise one readable :class:`ConfigError`."""
    try:
        return Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(f"{source}: " + " ".join(_describe(err) for err in exc.errors())) from None


def _apply_override(raw: dict[str, Any], item: str, path: Path) -> None:
    """Apply one ``--set a.b=value`` to the raw mapping in place."""
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise ConfigError(f"--set '{item}': expected KEY=VALUE with a dotted key, e.g. length.preset=short.")
    node = raw
    parts = key.strip().split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):
            raise ConfigError(f"--set '{item}': '{part}' in {path} is not a section.")
    node[parts[-1]] = yaml.safe_load(value) if value.strip() else ""


def _describe(err: dict[str, Any]) -> str:
    """One sentence for one pydantic error, naming the dotted key and what is allowed."""
    loc = [str(p) for p in err["loc"]]
    key = ".".join(loc) or "(top level)"
    if err["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        hint = difflib.get_close_matches(loc[-1], allowed, n=1)
        suggestion = f" Did you mean '{hint[0]}'?" if hint else ""
        return f"unknown key '{key}'.{suggestion} Allowed keys here: {', '.join(allowed)}."
    return f"bad value for '{key}': {err['msg'].removeprefix('Value error, ')} (got {err.get('input')!r})."


def _allowed_keys(section: list[str]) -> list[str]:
    """Field names accepted at a dotted location (for 'did you mean' and listings)."""
    model: type[BaseModel] = Config
    for part in section:
        field = model.model_fields.get(part)
        if field is None or not isinstance(field.annotation, type) or not issubclass(field.annotation, BaseModel):
            return []
        model = field.annotation
    return list(model.model_fields)


def list_configs() -> list[tuple[str, Config]]:
    """All shipped configs, by name, validated (a broken shipped config is an error too)."""
    return [(p.stem, load_config(p)) for p in sorted(CONFIG_DIR.glob("*.yaml"))]
