"""Per-article summarization speed: the naive loop against each backend, side by side in one run.

Builds DistilBART-shaped (d_model 1024, 12 encoder / 6 decoder layers, vocabulary 50265) and
T5-small-shaped models locally with random weights (they cost what the real checkpoints cost),
with a word-level tokenizer of the same vocabulary size, so nothing is downloaded. Output length
is fixed (min = max new tokens) so random weights cannot stop early.

Each variant runs in its own subprocess, so its peak RSS is its own (the models are built in
another one: Linux hands a parent's peak RSS down to the children it forks, so this process
stays small). Printed per variant:
seconds in the summarize stage, generated tokens/s, speedup over the naive loop, peak RSS,
whether torch was imported (a model already converted for CTranslate2 runs without it), and
the share of articles whose output equals the naive fp32 loop's (greedy: a correctness check;
beam: how often int8 changes the winning beam). The cached variant runs the default path twice
through the per-article cache and reports the second run's speedup.

    python benchmarks/bench_summarize.py --quick            # about 2-4 minutes on 2 cores
    python benchmarks/bench_summarize.py                    # DistilBART, 8 x 600 tokens, 60 new, beam 1 and 4
    python benchmarks/bench_summarize.py --beams 4 --variants naive default --repeat 3   # the target pair, 3 rounds

Machines are shared: compare the variants of one run (ratios), not absolute seconds across runs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHAPES = {
    # d_model, encoder layers, decoder layers, heads, ffn, vocabulary (the real checkpoints' shapes)
    "distilbart": dict(d_model=1024, encoder_layers=12, decoder_layers=6, heads=16, ffn=4096, vocab=50265),
    "t5-small": dict(d_model=512, encoder_layers=6, decoder_layers=6, heads=8, ffn=2048, vocab=32128),
}
# name -> (model settings, batch size); "naive" is the usual notebook loop: one article per
# generate() call, fp32 transformers, none of the project's changes to generation (its beam
# search re-orders the cross-attention cache, see summarizer.summarize.hf._BeamCache). "default" is what
# model.backend/quantization "auto" picks.
VARIANTS = {
    "naive": ({"backend": "transformers", "quantization": "none"}, 1),
    "transformers-batched": ({"backend": "transformers", "quantization": "none"}, 8),
    "transformers-int8": ({"backend": "transformers", "quantization": "int8"}, 8),
    "ctranslate2-fp32": ({"backend": "ctranslate2", "quantization": "none"}, 8),
    "default": ({"backend": "auto", "quantization": "auto"}, 8),
}
WORDS = (
    "the council approved budget officials police residents reported confirmed new bridge plan inquiry election "
    "hospital school on monday tuesday said after before city state national people were killed injured"
).split()


def build(shape: str, folder: Path) -> Path:
    """Save a random-weight model of ``shape`` and a word-level tokenizer to ``folder`` (once)."""
    if (folder / "config.json").is_file():
        return folder
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors
    from transformers import (
        BartConfig,
        BartForConditionalGeneration,
        PreTrainedTokenizerFast,
        T5Config,
        T5ForConditionalGeneration,
    )

    s = SHAPES[shape]
    bart = shape == "distilbart"
    specials = ["<s>", "<pad>", "</s>", "<unk>"] if bart else ["<pad>", "</s>", "<unk>"]
    words = specials + WORDS + [w.capitalize() for w in WORDS] + [".", ","]
    vocab = {w: i for i, w in enumerate(words + [f"w{i}" for i in range(s["vocab"] - len(words))])}
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.decoder = decoders.WordPiece(prefix="##")
    template = "<s> $A </s>" if bart else "$A </s>"
    tok.post_processor = processors.TemplateProcessing(single=template, special_tokens=[(t, vocab[t]) for t in specials if t in template])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="<unk>", pad_token="<pad>", eos_token="</s>", **({"bos_token": "<s>"} if bart else {}))
    torch.manual_seed(0)
    if bart:
        tokenizer.model_max_length = 1024
        config = BartConfig(vocab_size=s["vocab"], d_model=s["d_model"], encoder_layers=s["encoder_layers"], decoder_layers=s["decoder_layers"],
                            encoder_attention_heads=s["heads"], decoder_attention_heads=s["heads"], encoder_ffn_dim=s["ffn"], decoder_ffn_dim=s["ffn"],
                            max_position_embeddings=1024, pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2, forced_eos_token_id=2)
        model = BartForConditionalGeneration(config)
        model.generation_config.update(forced_bos_token_id=0)  # as sshleifer/distilbart-cnn-12-6
    else:
        tokenizer.model_max_length = 512
        config = T5Config(vocab_size=s["vocab"], d_model=s["d_model"], d_kv=64, d_ff=s["ffn"], num_layers=s["encoder_layers"],
                          num_decoder_layers=s["decoder_layers"], num_heads=s["heads"], pad_token_id=0, eos_token_id=1, decoder_start_token_id=0)
        model = T5ForConditionalGeneration(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def articles(count: int, tokens: int) -> list[str]:
    """``count`` articles of about ``tokens`` tokens, different lengths (75%-100%) so sorting matters."""
    import random

    rng = random.Random(0)
    out = []
    for k in range(count):
        target = int(tokens * (0.75 + 0.25 * k / max(count - 1, 1)))
        sentences, n = [], 0
        while n < target - 2:
            words = [rng.choice(WORDS) for _ in range(min(11, target - 2 - n - 1) or 1)]
            sentences.append(" ".join(words).capitalize() + ".")
            n += len(words) + 1
        out.append(" ".join(sentences))
    return out


def child(spec: dict) -> None:
    """Run one variant (in a subprocess) and print its measurements as JSON."""
    if spec["plain"]:  # the usual notebook loop: transformers' own beam cache, which re-orders everything
        from transformers import EncoderDecoderCache

        import summarizer.summarize.hf

        summarizer.summarize.hf._BeamCache = EncoderDecoderCache
    from summarizer.config import validate_config
    from summarizer.records import Article
    from summarizer.summarize.cache import open_cache
    from summarizer.summarize.seq2seq import Seq2SeqSummarizer
    from summarizer.summarize.stage import summarize

    config = validate_config({
        "model": {"name": spec["folder"], "batch_size": spec["batch_size"], "converted_folder": spec["converted"], "device": "cpu", **spec["model"]},
        "length": {"min_new_tokens": spec["new_tokens"], "max_new_tokens": spec["new_tokens"], "num_beams": spec["beams"]},
        "cache": {"folder": spec["cache"]},
    })
    start = time.perf_counter()
    summarizer = Seq2SeqSummarizer(config.model, config.length)
    load_s = time.perf_counter() - start
    texts = spec["articles"]
    docs = [Article(cluster_id="c", doc_id=str(i), title="", text=t) for i, t in enumerate(texts)]
    result = {"engine": summarizer.engine, "load_s": load_s}
    if spec["cached"]:
        cache = open_cache(config, summarizer.name, summarizer.method, summarizer.engine)
        for run in ("first_s", "second_s"):
            start = time.perf_counter()
            outputs = [s.summary for s in summarize(docs, summarizer, progress=False, cache=cache, batch_size=spec["batch_size"])]
            result[run] = time.perf_counter() - start
        result["seconds"] = result["first_s"]
    else:
        start = time.perf_counter()
        outputs = [summary for summary, _ in summarizer.summarize(texts, progress=False)]
        result["seconds"] = time.perf_counter() - start
    result["outputs"] = outputs
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["torch"] = "torch" in sys.modules  # a converted model runs without it (summarizer.summarize.checkpoint)
    print(json.dumps(result))


def measure(spec: dict) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(spec)], capture_output=True, text=True, env={**os.environ, "TQDM_DISABLE": "1"})
    if done.returncode:
        raise SystemExit(f"variant failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="4 articles of 300 tokens, 30 new tokens, DistilBART beam 4 only")
    parser.add_argument("--models", nargs="+", default=["distilbart"], choices=list(SHAPES))
    parser.add_argument("--articles", type=int, default=8)
    parser.add_argument("--tokens", type=int, default=600, help="input tokens per article")
    parser.add_argument("--new-tokens", type=int, default=60, help="generated tokens per article (min = max)")
    parser.add_argument("--beams", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    parser.add_argument("--repeat", type=int, default=1, help="runs per variant, interleaved; medians and the range of speedups are printed")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "summarizer-bench", help="models and conversions are kept here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--build", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(json.loads(args.child))
    if args.build:
        return print(build(args.build[0], Path(args.build[1])))
    if args.quick:
        args.articles, args.tokens, args.new_tokens, args.beams = 4, 300, 30, [4]
    texts = articles(args.articles, args.tokens)
    print(f"{args.articles} articles of {int(args.tokens * 0.75)}-{args.tokens} tokens, {args.new_tokens} new tokens each, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    for shape in args.models:
        folder = args.work / shape
        subprocess.run([sys.executable, __file__, "--build", shape, str(folder)], check=True, capture_output=True)
        for beams in args.beams:
            print(f"\n{shape}, beam {beams}" + (f", median of {args.repeat} interleaved runs" if args.repeat > 1 else ""))
            print(f"{'variant':<22}{'engine':<26}{'seconds':>9}{'tok/s':>8}{'speedup':>9}{'range':>13}{'peak RSS':>10}{'torch':>7}{'same as naive':>15}")
            specs = {}
            for name in args.variants:
                model, batch = VARIANTS[name]
                specs[name] = {"folder": str(folder), "model": model, "batch_size": batch, "new_tokens": args.new_tokens, "beams": beams,
                               "articles": texts, "converted": str(args.work / "converted"), "cached": name == "default", "plain": name == "naive"}
                if name in ("ctranslate2-fp32", "default"):
                    measure({**specs[name], "articles": texts[:1], "cached": False, "cache": tempfile.mkdtemp(dir=args.work)})  # convert once, untimed
            # interleaved, so a change in machine load hits every variant alike
            runs = {name: [] for name in args.variants}
            for _ in range(args.repeat):
                for name in args.variants:
                    runs[name].append(measure({**specs[name], "cache": tempfile.mkdtemp(dir=args.work)}))
            reference = runs[args.variants[0]]
            for name, results in runs.items():
                r = sorted(results, key=lambda run: run["seconds"])[len(results) // 2]
                ratios = sorted(ref["seconds"] / run["seconds"] for ref, run in zip(reference, results))  # within each round
                spread = f"{ratios[0]:.1f}-{ratios[-1]:.1f}x" if len(ratios) > 1 else ""
                same = sum(a == b for a, b in zip(r["outputs"], reference[0]["outputs"])) / len(texts)
                print(f"{name:<22}{r['engine']:<26}{r['seconds']:>9.1f}{len(texts) * args.new_tokens / r['seconds']:>8.1f}"
                      f"{statistics.median(ratios):>8.1f}x{spread:>13}{r['peak_rss_mb']:>8.0f}MB{'yes' if r['torch'] else 'no':>7}{same:>14.0%}")
                if "second_s" in r:
                    print(f"{'  second run (cached)':<48}{r['second_s']:>9.4f}{'':>8}{r['first_s'] / r['second_s']:>8.0f}x  over the first default run")

if __name__ == "__main__":
    main()
