"""Tiny seq2seq models with random weights but the real architectures, built offline.

The slow test tier needs a model that ``AutoModelForSeq2SeqLM`` and ``AutoTokenizer`` load from
a folder exactly like a hub checkpoint, without downloading anything. Each builder trains a
small real tokenizer (byte-level BPE for BART and LED, Metaspace BPE for T5, mT5 and PEGASUS) on
generated English (and, for mT5, French, Arabic and Hindi), creates a two-layer model of the real
class (BART, T5, mT5, PEGASUS, LED), seeds torch so the weights are the same on every run, and
saves both with ``save_pretrained``. The output is gibberish: tests check structure, not text.
"""

from __future__ import annotations

import random
import string
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    BertConfig,
    BertModel,
    LEDConfig,
    LEDForConditionalGeneration,
    PegasusConfig,
    PegasusForConditionalGeneration,
    MT5Config,
    MT5ForConditionalGeneration,
    PreTrainedTokenizerFast,
    T5Config,
    T5ForConditionalGeneration,
)

SEED = 0  # torch and text seed: the same tiny models on every run
BART_POSITIONS = 128  # tokens; the tiny BART's input window
MT5_LANGUAGES = ("fr", "ar", "hi")  # besides English, what the tiny mT5's tokenizer learns
TINY_GENERATION = {"max_new_tokens": 8, "num_beams": 1}  # cheap defaults; the summarizer overrides them

# Word lists for generated news sentences. Words combine freely (no fixed phrases), so every
# word is a frequent substring on its own and the tokenizer trainers learn whole-word pieces.
_WORDS = {
    "subject": "officials police residents investigators lawmakers engineers witnesses doctors farmers teachers",
    "verb": "approved rejected reported confirmed denied announced criticised delayed funded inspected",
    "adjective": "new costly disputed urgent local national final early revised public",
    "noun": "budget bridge plan inquiry election contract hospital school pipeline ferry",
    "place": "downtown nearby abroad upstate locally overseas there inland offshore statewide",
    "time": "Monday Tuesday Wednesday Thursday Friday yesterday today overnight recently again",
}


def news_text(sentences: int, seed: int = SEED) -> str:
    """Deterministic news-like English: ``sentences`` short random sentences from fixed word lists."""
    rng = random.Random(seed)
    pick = {slot: words.split() for slot, words in _WORDS.items()}
    return " ".join(
        f"{rng.choice(pick['subject']).capitalize()} {rng.choice(pick['verb'])} the {rng.choice(pick['adjective'])} "
        f"{rng.choice(pick['noun'])} {rng.choice(pick['place'])} on {rng.choice(pick['time'])}."
        for _ in range(sentences)
    )


# The same slots in French, Arabic and Hindi, for the multilingual tokenizer: word order is
# loose (a tokenizer learns pieces, not grammar), the words are real.
_OTHER_WORDS = {
    "fr": "les responsables|la police|les habitants|les enquêteurs|les médecins / ont approuvé|ont rejeté|ont annoncé|"
    "ont confirmé|ont retardé / le nouveau|le coûteux|le dernier|le premier / budget|pont|projet|hôpital|contrat / "
    "lundi|mardi|mercredi|hier|aujourd'hui",
    "ar": "المسؤولون|الشرطة|السكان|المحققون|الأطباء / وافق|رفض|أعلن|أكد|أجل / الجديد|المكلف|الأخير|العاجل / "
    "الميزانية|الجسر|الخطة|المستشفى|العقد / الاثنين|الثلاثاء|الأربعاء|أمس|اليوم",
    "hi": "अधिकारियों|पुलिस|निवासियों|जांचकर्ताओं|डॉक्टरों / ने मंज़ूरी दी|ने खारिज किया|ने घोषणा की|ने पुष्टि की|ने टाल दिया / "
    "नई|महंगी|अंतिम|ज़रूरी / बजट|पुल|योजना|अस्पताल|अनुबंध / सोमवार|मंगलवार|बुधवार|कल|आज",
}


def other_news_text(language: str, sentences: int, seed: int = SEED) -> str:
    """Deterministic news-like text in French, Arabic or Hindi ("fr", "ar", "hi"), like :func:`news_text`."""
    rng = random.Random(seed)
    subject, verb, adjective, noun, time = ([w.strip() for w in slot.split("|")] for slot in _OTHER_WORDS[language].split(" / "))
    end = "।" if language == "hi" else "."
    return " ".join(
        f"{rng.choice(subject)} {rng.choice(verb)} {rng.choice(noun)} {rng.choice(adjective)} {rng.choice(time)}{end}"
        for _ in range(sentences)
    )


def _training_corpus(languages: tuple[str, ...] = ()) -> list[str]:
    """Lines the tokenizers learn from: generated sentences (English, then ``languages``) plus
    every printable ASCII character."""
    lines = [news_text(5, seed) for seed in range(200)] + [other_news_text(lang, 5, seed) for lang in languages for seed in range(100)]
    return lines + [" ".join(string.digits + string.ascii_letters + string.punctuation)]


def _train_bpe(
    vocab_size: int,
    special_tokens: list[str],
    pre_tokenizer: pre_tokenizers.PreTokenizer,
    decoder: decoders.Decoder,
    template: str,
    languages: tuple[str, ...] = (),
) -> PreTrainedTokenizerFast:
    """A BPE tokenizer trained on :func:`_training_corpus`; special tokens get ids 0, 1, ... in order."""
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>"))
    tokenizer.pre_tokenizer = pre_tokenizer
    tokenizer.decoder = decoder
    alphabet = pre_tokenizers.ByteLevel.alphabet() if isinstance(pre_tokenizer, pre_tokenizers.ByteLevel) else []
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=special_tokens, initial_alphabet=alphabet)
    tokenizer.train_from_iterator(_training_corpus(languages), trainer)
    ids = {token: special_tokens.index(token) for token in template.split() if token in special_tokens}
    tokenizer.post_processor = processors.TemplateProcessing(single=template, special_tokens=list(ids.items()))
    return PreTrainedTokenizerFast(tokenizer_object=tokenizer)


def _bart_tokenizer(positions: int = BART_POSITIONS) -> PreTrainedTokenizerFast:
    """Byte-level BPE as in BART (and LED): <s>=0, <pad>=1, </s>=2, <unk>=3; input wrapped in <s> ... </s>."""
    tokenizer = _train_bpe(
        1000,  # 256 byte symbols + merges enough for whole words
        ["<s>", "<pad>", "</s>", "<unk>"],
        pre_tokenizers.ByteLevel(add_prefix_space=False),
        decoders.ByteLevel(),
        "<s> $A </s>",
    )
    tokenizer.add_special_tokens({"bos_token": "<s>", "pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"})
    tokenizer.model_max_length = positions
    return tokenizer


def _t5_tokenizer(positions: int = 512, vocab_size: int = 400, languages: tuple[str, ...] = ()) -> PreTrainedTokenizerFast:
    """SentencePiece-style (Metaspace) BPE as in T5, mT5 and PEGASUS: <pad>=0, </s>=1, <unk>=2; </s> appended.

    T5 ships a Unigram model; the trainers of both ``tokenizers`` and ``sentencepiece`` keep only
    character-level pieces on a corpus this small, so BPE stands in (same pre-tokenizer and ids).
    """
    tokenizer = _train_bpe(
        vocab_size, ["<pad>", "</s>", "<unk>"], pre_tokenizers.Metaspace(), decoders.Metaspace(), "$A </s>", languages
    )
    tokenizer.add_special_tokens({"pad_token": "<pad>", "eos_token": "</s>", "unk_token": "<unk>"})
    tokenizer.model_max_length = positions  # 512: what t5-small declares; T5's positions are relative
    return tokenizer


def _save(folder: str | Path, model: torch.nn.Module, tokenizer: PreTrainedTokenizerFast) -> Path:
    """Write model and tokenizer side by side, as a hub snapshot holds them."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


#: The sizes BART, PEGASUS and LED share here: two layers of width 32 on each side, and weights
#: drawn at 10x BART's init_std (with 0.02 the untrained model only ever emits special tokens).
_BART_FAMILY_SIZES = dict(
    d_model=32,
    encoder_layers=2,
    decoder_layers=2,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
    init_std=0.2,
)


def build_tiny_bart(folder: str | Path, positions: int = BART_POSITIONS) -> Path:
    """A 2-layer BART (d_model 32, 128 positions unless told) with BART's token conventions, saved to ``folder``."""
    tokenizer = _bart_tokenizer(positions)
    config = BartConfig(
        vocab_size=len(tokenizer),
        **_BART_FAMILY_SIZES,
        max_position_embeddings=positions,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(config)
    # forced_bos_token_id as in facebook/bart-large-cnn: a model default our settings must keep
    model.generation_config.update(forced_bos_token_id=0, **TINY_GENERATION)
    return _save(folder, model, tokenizer)


def build_tiny_t5(folder: str | Path) -> Path:
    """A 2-layer T5 (d_model 32, relative positions) with T5's token conventions, saved to ``folder``."""
    tokenizer = _t5_tokenizer()
    return _save(folder, _tiny_t5_family(T5Config, T5ForConditionalGeneration, len(tokenizer)), tokenizer)


def build_tiny_mt5(folder: str | Path) -> Path:
    """A 2-layer mT5 (T5's tiny sizes, mT5's config class and gated-GELU feed-forward), its tokenizer
    trained on English, French, Arabic and Hindi, saved to ``folder``."""
    tokenizer = _t5_tokenizer(vocab_size=1500, languages=MT5_LANGUAGES)
    model = _tiny_t5_family(MT5Config, MT5ForConditionalGeneration, len(tokenizer), feed_forward_proj="gated-gelu", tie_word_embeddings=False)
    return _save(folder, model, tokenizer)


def _tiny_t5_family(config_class: type, model_class: type, vocab_size: int, **extra: object) -> torch.nn.Module:
    """A seeded 2-layer T5 or mT5 with T5's token ids (<pad>=0 starts decoding, </s>=1)."""
    config = config_class(
        vocab_size=vocab_size,
        d_model=32,
        d_kv=16,
        d_ff=64,
        num_layers=2,
        num_heads=2,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        initializer_factor=5.0,  # with T5's 1.0 the untrained model only ever emits special tokens
        **extra,
    )
    torch.manual_seed(SEED)
    model = model_class(config)
    model.generation_config.update(**TINY_GENERATION)
    return model


def build_tiny_pegasus(folder: str | Path) -> Path:
    """A 2-layer PEGASUS (d_model 32, 512 sinusoidal positions) with PEGASUS's token conventions
    (<pad>=0 starts the decoder, </s>=1 ends), saved to ``folder``."""
    tokenizer = _t5_tokenizer()
    config = PegasusConfig(
        vocab_size=len(tokenizer),
        **_BART_FAMILY_SIZES,
        max_position_embeddings=512,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        forced_eos_token_id=1,
    )
    torch.manual_seed(SEED)
    model = PegasusForConditionalGeneration(config)
    model.generation_config.update(**TINY_GENERATION)
    return _save(folder, model, tokenizer)


#: The tiny LED's input window and local attention span (tokens); LED pads inputs to a multiple of the span.
LED_POSITIONS, LED_WINDOW = 16384, 16  # 16384: led-base's window, which the shipped LED config asks for


def build_tiny_led(folder: str | Path) -> Path:
    """A 2-layer LED (Longformer encoder-decoder: d_model 32, 16384 encoder positions, local
    attention over 16 tokens) with BART's token conventions, saved to ``folder``."""
    tokenizer = _bart_tokenizer(LED_POSITIONS)
    config = LEDConfig(
        vocab_size=len(tokenizer),
        **_BART_FAMILY_SIZES,
        max_encoder_position_embeddings=LED_POSITIONS,
        max_decoder_position_embeddings=256,
        attention_window=[LED_WINDOW, LED_WINDOW],
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
    )
    torch.manual_seed(SEED)
    model = LEDForConditionalGeneration(config)
    model.generation_config.update(**TINY_GENERATION)
    return _save(folder, model, tokenizer)


def build_tiny_bert(folder: str | Path) -> Path:
    """A 2-layer BERT encoder (not seq2seq), to check that loading it fails with a clear message."""
    tokenizer = Tokenizer(models.WordLevel({"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "news": 4}, unk_token="[UNK]"))
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    wrapped = PreTrainedTokenizerFast(tokenizer_object=tokenizer, pad_token="[PAD]", unk_token="[UNK]")
    config = BertConfig(
        vocab_size=len(wrapped), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
    )
    torch.manual_seed(SEED)
    return _save(folder, BertModel(config), wrapped)
