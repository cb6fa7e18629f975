"""The umT5 tokenizer's parity fixture: a small SentencePiece unigram model that stands in for
umT5's spiece.model (same special ids: pad 0, eos 1, bos 2, unk 3; byte fallback; the default
nmt_nfkc normaliser), trained here on a corpus of English, Chinese, punctuation, emoji and numbers,
and the golden ids of a prompt corpus as Wan computes them: its text cleaning (ftfy, html.unescape
twice, whitespace), transformers' fast T5 tokenizer over the same model (Wan's AutoTokenizer), EOS
(1) appended, truncated to 512 with EOS kept last, not padded.

Writes tests/inference/fixtures/wan/umt5_tokenizer.model and umt5_tokenizer.safetensors (the ids of
every prompt concatenated, their offsets; the prompts and their cleaned text in the metadata).

Kinora cleans without ftfy (only its quote straightening) and tokenises with SentencePiece itself;
the script fails unless that gives the golden ids for every prompt, except the one difference kept
on purpose: `</s>` typed in a prompt is a special token to transformers and text to SentencePiece
(that prompt's golden is SentencePiece's, and the metadata lists it). CLEAN_CASES are edge cases of
the cleaning alone (HTML references as Python's html.unescape reads them, Unicode whitespace), with
the cleaned text expected, and random strings of such fragments."""

import html
import io
import json
import pathlib

import ftfy
import regex
import sentencepiece as spm
import torch

from common import OUT, save, seed

MAX_LEN = 512
NEGATIVE = (
    "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，"
    "低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，"
    "毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走"
)


def wan_clean(text: str, with_ftfy: bool = True) -> str:
    """Wan's clean='whitespace' (wan/modules/tokenizers.py; diffusers' prompt_clean)."""
    if with_ftfy:
        text = ftfy.fix_text(text)
    text = html.unescape(html.unescape(text)).strip()
    return regex.sub(r"\s+", " ", text).strip()


def kinora_clean(text: str) -> str:
    """What WanTokenizer::clean does: Wan's cleaning with only ftfy's quote straightening."""
    return wan_clean(ftfy.fixes.uncurl_quotes(text), with_ftfy=False)


# Cleaning edge cases, compared with WanTokenizer::clean exactly (no SentencePiece needed).
CLEAN_CASES = [
    "&amp; &AMP; &amp &ampx &AMPx &lt;&gt;&quot;&apos;&nbsp;&copy &reg; &notit; &notin; &alpha; &Alpha",
    "&#65;&#065;&#x41;&#X41;&#x41 &#128;&#150;&#0;&#13;&#1;&#11;&#127;&#xFDD0;&#xFFFE;&#x1FFFF;&#xD800;",
    "&#1114111; &#1114112; &#99999999999999999999; &#; &#x; &; &zz; & ; &&amp; &amp;amp; &amp;amp;amp;",
    "&abcdefghijklmnopqrstuvwxyz0123456789; &é; &copyé &cop &c",
    "“curly” ‘single’ ‚low‛ „double‟ ʼmodifier « guillemets » ″prime″",
    " \t\n lead and trail \r\n\x0b\x0c\x1c\x1d\x1e\x1f inner\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000x ",
    "zero\u200bwidth stays, \x1cfile sep inside\x1f, tab\tand\x07bell",
    "&#32;&#32;spaces from entities&#9;&#10;",
]


def fuzz_clean_cases(count: int = 300) -> list:
    """Random strings of reference fragments, quotes and whitespace, for the cleaning's parity.
    Kinora knows the HTML 4 names (and &apos;), Python all of HTML5's: strings where that matters
    (e.g. "&in;") are left out, and counted."""
    import random

    from html import entities

    fragments = ["&", "&", "&#", "&#x", "&#X", ";", ";", "amp", "AMP", "lt", "gt", "quot", "apos", "not",
                 "in", "it", "copy", "reg", "nbsp", "alpha", "Alpha", "eacute", "0", "9", "12", "65", "128",
                 "150", "x41", "FFFE", "D800", "1114112", "a", "b", "x", "é", "猫", "🎬", "<", ">", "#", " ",
                 "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028",
                 "\u3000", "\u200b", "“", "”", "‘", "’", "ʼ", "‛", "‟", "«"]
    html4 = {f"{name};" for name in entities.name2codepoint} | {"apos;"}
    restricted = {k: v for k, v in entities.html5.items() if k in html4 or not k.endswith(";")}
    rng = random.Random(14)
    cases, skipped = [], 0
    while len(cases) < count:
        text = "".join(rng.choice(fragments) for _ in range(rng.randint(1, 12)))
        full = kinora_clean(text)
        saved = html._html5
        html._html5 = restricted
        try:
            same = kinora_clean(text) == full
        finally:
            html._html5 = saved
        if same:
            cases.append(text)
        else:
            skipped += 1
    print(f"{count} random cleaning cases ({skipped} left out: an HTML5-only name)")
    return cases


def training_corpus() -> list:
    subjects = ["A cat", "The old man", "Two dogs", "A red car", "A young woman", "The camera",
                "A small boat", "Children", "A robot", "The astronaut"]
    verbs = ["walks slowly across", "runs through", "jumps over", "looks at", "drives along",
             "flies above", "dances in", "sits beside", "waits near", "explores"]
    places = ["a quiet street at night.", "the snowy mountains, cinematic lighting.",
              "a crowded market; bright colors!", "the beach at sunset (golden hour).",
              "an empty room - soft light, 4k.", "the forest: fog, rain & wind?",
              "a neon city, 1990s style, 35mm film.", "the kitchen \"at home\", close-up.",
              "a stadium with 50,000 people.", "the river, 3.5 seconds, slow motion."]
    lines = [f"{s} {v} {p}" for s in subjects for v in verbs for p in places]
    chinese = ["一只猫在安静的街道上慢慢地走。", "夜晚的城市，霓虹灯，电影感，高清画质。",
               "小狗在草地上奔跑，阳光明媚。", "老人坐在河边看着夕阳。", "宇航员在月球上行走，慢动作。",
               "一个女孩在雨中跳舞，背景是高楼。", "海浪拍打着岩石，镜头缓缓推进。"]
    lines += chinese * 20 + [NEGATIVE] * 20
    lines += [f"{n} frames at {n % 30 + 1} fps, {n * 7}% zoom, ${n}.{n % 100:02d}" for n in range(200)]
    lines += ["Emoji: 🎬 🐱 🌅 ✨ 🚀 ❤️ 😀 — fun!"] * 30
    lines += ["Punctuation: ... !!! ??? ;;; ::: --- (( )) [[ ]] {{ }} <> / \\ | @ # % ^ & * + = ~ `"] * 10
    return lines


def train_model() -> bytes:
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_corpus()), model_writer=out, model_type="unigram",
        vocab_size=1000, hard_vocab_limit=False, character_coverage=1.0, byte_fallback=True,
        pad_id=0, eos_id=1, bos_id=2, unk_id=3, num_threads=1, seed_sentencepiece_size=100000,
        minloglevel=2)
    return out.getvalue()


def prompt_corpus(sp) -> list:
    long_en = " ".join(
        "The camera slowly pans across a vast desert landscape at dawn, revealing ancient ruins,"
        " drifting sand and a lone traveller in a red cloak; cinematic, 35mm, 4k.".split() * 30)
    prompts = [
        "A cat walks slowly across a quiet street at night.",
        "  Leading, trailing   and\tinner\n\nwhitespace\u3000(ideographic)\u00a0nbsp\u2003em  ",
        NEGATIVE,
        "夜晚的城市，霓虹灯，电影感。A neon city at night!",
        "Emoji 🎬🐱 and unseen ones 🦙🧬🪐 (byte fallback), ZWJ 👩‍🚀, flags 🇫🇷",
        "Numbers: 1234567890, 3.14159, -42, 1e-6, 50%, $9.99, 12:30, 2025-03-02",
        "Punctuation!?… «quotes» “curly” ‘single’ — dash – en; (parens) [brackets] {braces} <angle>",
        "HTML: Tom &amp; Jerry &lt;3 &quot;hi&quot; &#39;x&#39; &#x1F600; &amp;amp; &copy 2025 &notit;",
        "Entities at the edges: &#128; &#0; &#xD800; &#1114112; &#99999999999; &#x; &; &zz; &AMP &amp",
        "Full width ＡＢＣ１２３！ ligature ﬁne, Cyrillic кот, Greek γάτα, Arabic قطة, Hindi बिल्ली",
        "한국어 프롬프트: 고양이가 걷는다. 日本語：猫が歩く。",
        "<extra_id_0> is plain text to SentencePiece, </s> too",
        "",
        "   ",
        "a",
        long_en,
    ]
    # A prompt of exactly 511 pieces (512 ids with EOS: nothing cut) and one of 512 (one cut).
    word = next(w for w in ["cat", "the", "a", "of"] if len(sp.encode(f"{w} {w} {w}")) == 3)
    prompts += [" ".join([word] * 511), " ".join([word] * 512)]
    return prompts


def golden(sp, text: str) -> list:
    ids = sp.encode(text) + [1]
    return ids if len(ids) <= MAX_LEN else ids[: MAX_LEN - 1] + [1]


def hf_tokenizers(model_path):
    """transformers' T5Tokenizer (tokenizers-backed in transformers 5) built from the model as a hub
    folder holds it (spiece.model, converted to a `tokenizers` Unigram); and the same with the two
    settings its T5 converter assumes corrected to umT5's layout (unk id 3, byte fallback), which
    the real umT5's tokenizer.json carries itself."""
    import shutil
    import tempfile

    from tokenizers.models import Unigram
    from transformers import T5Tokenizer

    with tempfile.TemporaryDirectory() as folder:
        shutil.copy(model_path, pathlib.Path(folder) / "spiece.model")
        converted = T5Tokenizer.from_pretrained(folder, extra_ids=0)
        fixed = T5Tokenizer.from_pretrained(folder, extra_ids=0)
    sp = spm.SentencePieceProcessor(model_file=str(model_path))
    vocab = [(sp.id_to_piece(i), sp.get_score(i)) for i in range(sp.get_piece_size())]
    fixed.backend_tokenizer.model = Unigram(vocab, unk_id=sp.unk_id(), byte_fallback=True)
    return converted, fixed


def hf_ids(tok, cleaned: list) -> list:
    return [tok(t, truncation=True, max_length=MAX_LEN, add_special_tokens=True).input_ids for t in cleaned]


def main() -> None:
    seed(0)
    proto = train_model()
    OUT.mkdir(parents=True, exist_ok=True)
    model_path = OUT / "umt5_tokenizer.model"
    model_path.write_bytes(proto)
    sp = spm.SentencePieceProcessor(model_proto=proto)
    prompts = prompt_corpus(sp)
    # The golden: what Wan does, i.e. its whole cleaning (ftfy included) and transformers' fast
    # T5 tokenizer over the model, in umT5's layout (unk 3, byte fallback).
    cleaned = [wan_clean(p) for p in prompts]
    converted, fixed = hf_tokenizers(model_path)
    ids = hf_ids(fixed, cleaned)
    # Kinora: its cleaning (ftfy's quote straightening only) and SentencePiece itself.
    kinora = [golden(sp, kinora_clean(p)) for p in prompts]
    # transformers matches `</s>`, `<pad>`, `<unk>` typed in a prompt as special tokens; SentencePiece
    # (and Kinora) reads them as text. Those prompts' goldens are SentencePiece's, listed here.
    special_text = [i for i, p in enumerate(prompts) if any(t in p for t in ("</s>", "<pad>", "<unk>"))]
    for i in special_text:
        assert ids[i] != kinora[i], f"prompt {i}: expected transformers to read its special-token text"
        ids[i] = kinora[i]
    mismatch = [i for i in range(len(ids)) if ids[i] != kinora[i]]
    for i in mismatch:
        print(f"Kinora differs from transformers on prompt {i}: {cleaned[i][:50]!r}")
        print("  hf:    ", sp.id_to_piece(ids[i][:24]))
        print("  kinora:", sp.id_to_piece(kinora[i][:24]))
    assert not mismatch, "the corpus must tokenise alike in Kinora and transformers"
    as_converted = [i for i, x in enumerate(hf_ids(converted, cleaned)) if x != ids[i]]
    print(f"{len(prompts)} prompts, lengths {[len(x) for x in ids]}; special-token text in {special_text};"
          f" transformers' own T5 conversion ({converted.backend_tokenizer.model}) differs on {as_converted}")
    offsets = [0]
    for x in ids:
        offsets.append(offsets[-1] + len(x))
    save("umt5_tokenizer", {
        "ids": torch.tensor([t for x in ids for t in x], dtype=torch.int64),
        "offsets": torch.tensor(offsets, dtype=torch.int64),
    }, {
        "what": "umT5 tokenizer goldens: Wan's cleaning, transformers' T5 tokenizer (unk 3, byte fallback),"
                " EOS, <= 512 ids; special-token text as SentencePiece reads it",
        "prompts": json.dumps(prompts, ensure_ascii=False),
        "cleaned": json.dumps(cleaned, ensure_ascii=False),
        "clean_cases": json.dumps([[c, kinora_clean(c)] for c in CLEAN_CASES + fuzz_clean_cases()],
                                  ensure_ascii=False),
        "max_length": MAX_LEN,
        "piece_size": sp.get_piece_size(),
        "special_text_prompts": special_text,
        "hf_tokenizer": f"transformers {type(fixed).__name__}: {fixed.backend_tokenizer.model}",
        "hf_as_converted_differs": as_converted,
    })
    print(f"{model_path.name}: {len(proto) / 1024:.0f} KiB, {sp.get_piece_size()} pieces")


if __name__ == "__main__":
    main()
