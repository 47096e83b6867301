"""Trains the tiny model's tokenizer: byte-level BPE with Mistral's control
tokens as special tokens (ids 0-9 in Mistral's order, so <s> is 1 and </s> 2),
on text of our own (this repository's prose). Maintainers' tool; CI never runs it.

    python make_tokenizer.py OUT_DIR [VOCAB_SIZE]
"""
import pathlib
import sys

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers

SPECIAL = ["<unk>", "<s>", "</s>", "[INST]", "[/INST]", "[TOOL_CALLS]", "[AVAILABLE_TOOLS]", "[/AVAILABLE_TOOLS]", "[TOOL_RESULTS]", "[/TOOL_RESULTS]"]
ROOT = pathlib.Path(__file__).resolve().parents[2]


def corpus():
    """The project's own prose and code: enough to give the merges some shape."""
    for path in sorted(ROOT.glob("*.md")) + sorted((ROOT / "docs").glob("*.md")) + sorted((ROOT / "src").rglob("*.ts*")):
        yield path.read_text(encoding="utf-8")
    # JSON shapes the tests ask for (tool calls, schemas), so they tokenize in a few pieces.
    yield '[{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}] {"a": "b", "n": 1, "x": [true, false, null]}' * 20


def main(out_dir, vocab_size=512):
    tokenizer = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=False))
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=SPECIAL, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tokenizer.train_from_iterator(corpus(), trainer=trainer)
    for i, token in enumerate(SPECIAL):
        assert tokenizer.token_to_id(token) == i, (token, tokenizer.token_to_id(token))
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tokenizer.save(str(out / "tokenizer.json"))
    print(f"tokenizer.json: {tokenizer.get_vocab_size()} tokens")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 512)
