"""nanochat's SFT mixture, rebuilt on `datasets`: conversations, lettered multiple choice, GSM8K tool calls,
spelling drills and identity conversations, with a validation mixture and a deterministic shuffle.

Train components (epochs are how many times a source is repeated before the shuffle):

    smoltalk        HuggingFaceTB/smol-smoltalk train; a leading system message is merged into the first user turn
    mmlu            cais/mmlu all/auxiliary_train x3, rendered as "Multiple Choice question: ..." with "- choice=A" lines;
                    the assistant answer is the letter
    gsm8k           openai/gsm8k main/train x4; each <<expr=result>> becomes a python part and a python_output part
    simple_spelling "Spell the word: w" -> "w:w,o,r,d" over the english-words list
    spelling_bee    letter counting: the word spelled out with a running count, then checked by a python part
    identity        local JSONL of conversations x2 (no file: procedural identity conversations)

Validation: smol-smoltalk test, MMLU test (first 5200), GSM8K test (first 420). Every Hub source can be
replaced by a local file (`local_files={"smoltalk": path, ...}`: JSON lines, a JSON array, CSV, parquet or Arrow,
text formats optionally compressed, shaped like the Hub rows),
which is how the tests run it. Components are converted into temporary JSONL files, and the final order is
a seeded shuffle of (component, row) pairs read back by byte offset, so memory stays bounded.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import xxhash
from tqdm.auto import tqdm

from ..utils.errors import PicochatInputError
from ..utils.io import atomic_output_dir, atomic_write_json, atomic_write_text, sha256_file
from ..utils.provenance import provenance
from ..utils.yaml_text import load_yaml_text
from .chat_messages import holds_tool_turns, to_picochat_messages
from .readers import iter_data_records
from .schema import refuse_unrendered_columns, validate_row
from .sft_mixture_inputs import check_local_files

HUB = {
    "smoltalk": ("HuggingFaceTB/smol-smoltalk", None, {"train": "train", "val": "test"}),
    "mmlu": ("cais/mmlu", "all", {"train": "auxiliary_train", "val": "test"}),
    "gsm8k": ("openai/gsm8k", "main", {"train": "train", "val": "test"}),
}
LETTERS = "ABCD"
PROFILE = "nanochat_sft"


# ----------------------------------------------------------------------------------------------- loading

def _iter_local(path: Path) -> Iterator[tuple[str, int, dict]]:
    """Records of a local source file in any data format `readers.iter_data_records` reads (JSON lines, a JSON
    array, CSV, parquet, Arrow; text formats optionally compressed); a file that holds none is refused."""
    n = 0
    for n, (line, obj) in enumerate(iter_data_records(path, allow_lists=True), start=1):
        yield str(path), line, obj
    if n == 0:
        raise PicochatInputError("no rows in this file", path=path)


def _iter_hub(name: str, split: str, seed: int | None = None) -> Iterator[tuple[str, int, dict]]:
    import datasets

    hub_id, config, _ = HUB[name]
    ds = datasets.load_dataset(hub_id, config, split=split, streaming=True)
    if seed is not None:  # a sample rather than the head of the split (streaming shuffle buffer)
        ds = ds.shuffle(seed=seed, buffer_size=10_000)
    for i, row in enumerate(ds):
        yield f"{hub_id}[{split}]", i + 1, row


def load_source_rows(name: str, split: str, *, local_file: str | Path | None = None, max_rows: int | None = None,
                     seed: int | None = None) -> Iterator[dict]:
    """Raw rows of a Hub source (`name` in HUB; `split` is the Hub split name) or of a local file.
    With `seed`, Hub rows pass through a seeded streaming shuffle buffer."""
    it = _iter_local(Path(local_file)) if local_file is not None else _iter_hub(name, split, seed)
    for k, (_, _, row) in enumerate(it):
        if max_rows is not None and k >= max_rows:
            return
        yield row


# ----------------------------------------------------------------------------------------------- converters

def _need(row: dict, field: str, typ, where: tuple[str, int]):
    if field not in row:
        raise PicochatInputError("missing field", path=where[0], line=where[1], field=field)
    if not isinstance(row[field], typ):
        names = typ.__name__ if isinstance(typ, type) else "/".join(t.__name__ for t in typ)
        raise PicochatInputError(f"expected {names}, got {type(row[field]).__name__}", path=where[0], line=where[1], field=field)
    return row[field]


def render_mc(question: str, choices: list[str], letters: str = LETTERS) -> str:
    """nanochat's multiple-choice prompt: the letter follows each choice, so the answer token appears in the prompt."""
    lines = "".join(f"- {c}={letters[i]}\n" for i, c in enumerate(choices))
    return f"Multiple Choice question: {question}\n{lines}\nRespond only with the letter of the correct answer."


def _answer_index(answer: int | str) -> int | None:
    """The option index an MMLU answer names: one letter A-D or an index 0-3 (a number or its digits); None otherwise."""
    if isinstance(answer, bool):
        return None
    text = str(answer).strip().upper()
    if len(text) == 1 and text in LETTERS:
        return LETTERS.index(text)
    return int(text) if text.isdigit() and int(text) < len(LETTERS) else None


def mmlu_to_row(row: dict, where: tuple[str, int] = ("<mmlu>", 0)) -> dict:
    if "train" in row and isinstance(row["train"], dict):  # auxiliary_train nests each row under "train"
        row = row["train"]
    question = _need(row, "question", str, where)
    choices = _need(row, "choices", list, where)
    answer = _need(row, "answer", (int, str), where)
    if not question.strip():
        raise PicochatInputError("empty question", path=where[0], line=where[1], field="question")
    if len(choices) != 4 or not all(isinstance(c, str) for c in choices):
        raise PicochatInputError("expected 4 string choices", path=where[0], line=where[1], field="choices")
    if not all(c.strip() for c in choices):
        raise PicochatInputError("a choice is empty", path=where[0], line=where[1], field="choices")
    if len({" ".join(c.split()).lower() for c in choices}) < 4:  # the letter of one of two equal options is a coin toss
        raise PicochatInputError("two choices are the same text", path=where[0], line=where[1], field="choices")
    idx = _answer_index(answer)
    if idx is None:  # a bool is an int to Python; '' and 'AB' are substrings of 'ABCD'
        digits = str(answer).strip()
        why = f"answer index {int(digits)} out of range" if not isinstance(answer, bool) and digits.lstrip("-").isdigit() \
            else f"expected a letter A-D or an index 0-3, got {answer!r}"
        raise PicochatInputError(why, path=where[0], line=where[1], field="answer")
    return {"question": question, "choices": choices, "correct_choice": LETTERS[idx], "subject": row.get("subject") or "",
            "prompt": render_mc(question, choices)}


def gsm8k_parts(answer: str) -> list[dict]:
    """Split a GSM8K solution at each <<expr=result>>: text, python(expr), python_output(result), text..."""
    parts: list[dict] = []
    for piece in re.split(r"(<<[^>]+>>)", answer):
        if piece.startswith("<<") and piece.endswith(">>"):
            inner = piece[2:-2]
            expr, _, result = inner.rpartition("=")
            if not _:
                parts.append({"type": "text", "text": piece})
                continue
            parts.append({"type": "python", "text": expr})
            parts.append({"type": "python_output", "text": result})
        elif piece:
            parts.append({"type": "text", "text": piece})
    return parts


_ARITHMETIC = re.compile(r"^[\d\s.+\-*/()]+$")


def _arithmetic(expr: str) -> float | None:
    """The value of a plain arithmetic expression (numbers, + - * / and brackets), None for anything else."""
    import ast

    if not _ARITHMETIC.match(expr):
        return None
    try:
        tree = ast.parse(expr.strip(), mode="eval")
    except SyntaxError:
        return None
    ops = {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__, ast.Div: float.__truediv__}

    def value(node: ast.AST) -> float:
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -value(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in ops:
            return ops[type(node.op)](value(node.left), value(node.right))
        raise ValueError("not plain arithmetic")

    try:
        return value(tree.body)
    except (ValueError, ZeroDivisionError, OverflowError):
        return None


def wrong_tool_call(answer: str) -> str | None:
    """The first `<<expr=result>>` whose plain-arithmetic expression does not give its result (to the digits the
    result shows: `<<10/3=3.33>>` and `<<7/2=3>>` round), as `"expr=result"`; None when every checkable call holds."""
    for inner in re.findall(r"<<([^>]+)>>", answer):
        expr, sep, result = inner.rpartition("=")
        got = _arithmetic(expr) if sep else None
        shown = result.strip().replace(",", "")
        if got is None or not re.fullmatch(r"-?\d*\.?\d+", shown):
            continue
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        if abs(got - float(shown)) > 0.5 * 10 ** -decimals + 1e-9:
            return inner
    return None


def _final_text(answer: str) -> str | None:
    m = re.search(r"####\s*(.+?)\s*$", answer.strip())
    return m.group(1).replace(",", "").strip() if m else None


def gsm8k_final(answer: str, question: str = "") -> str | None:
    """The `#### final` answer; one in number words is its number ("seven", "Seven pets" -> "7" when the question
    asks about pets: `reasoning_checks.answer_core`)."""
    final = _final_text(answer)
    if final is None:
        return None
    if _number(final) is None and not re.search(r"\d", final):
        from .reasoning_checks import checked_answer

        value = checked_answer(final, question)
        return value if value is not None and _number(value) is not None else final
    return final


_NUMBER = re.compile(r"(?<![\d.])-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)")


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def unsupported_final(answer: str, question: str = "") -> str | None:
    """The `#### final` answer when the solution's concluding line (its last line stating a number) does not state it
    (a correct working closed by another answer would teach it, and score it as the reference); None when it is
    stated, or nothing can be compared (a final that is not a number, a solution without numbers)."""
    final = gsm8k_final(answer, question)
    value = _number(final) if final is not None else None
    body = answer.strip().rsplit("####", 1)[0]
    # the working concludes on its last line stating a number; a number of an earlier line (an intermediate, a given)
    # is not its conclusion ("... 24.\nIn all 48+24 = 72.\n#### 24")
    from .reasoning_checks import result_numbers

    line = next((ln for ln in reversed(body.splitlines()) if _NUMBER.search(ln)), "")
    stated = [v for v in (_number(m) for m in _NUMBER.findall(line)) if v is not None]
    results = result_numbers(re.sub(r"<<[^<>]*>>", "", line))  # "48+24 = 72": 72, not the operands
    stated = results or stated
    if value is None or not stated or any(abs(v - value) < 1e-9 for v in stated):
        return None
    return _final_text(answer)


def _merge_system(messages: list[dict]) -> list[dict]:
    if not all(isinstance(m, dict) for m in messages[:2]) or not all(isinstance(m.get("content"), str) for m in messages[:2]):
        return messages  # not two text messages: left for `validate_row` to refuse, never turned into str(list)
    if messages and messages[0].get("role") == "system" and len(messages) > 1 and messages[1].get("role") == "user":
        first = {"role": "user", "content": f"{messages[0]['content']}\n\n{messages[1]['content']}"}
        return [first] + messages[2:]
    return messages


def _base(name: str, split: str, source: str, skill: str, category: str, messages: list[dict]) -> dict:
    return {"id": "", "messages": messages, "category": category, "skill": skill, "split": split, "source": source,
            "answer_style": "direct", "mixture_profile": PROFILE, "mixture_component": name,
            "mixture_benchmark_profile": "nanochat"}


def convert(name: str, split: str, raw: dict, where: tuple[str, int], source: str) -> dict | None:
    if name in ("smoltalk", "identity"):
        if isinstance(raw, dict):  # the row keeps only the messages: a tool schema beside them would be dropped
            refuse_unrendered_columns(raw, path=where[0], line=where[1])
        messages = raw if isinstance(raw, list) else _need(raw, "messages", list, where)
        if holds_tool_turns(messages):  # tool calls, ShareGPT speakers, roles spelled as other formats spell them
            messages = to_picochat_messages(messages, path=where[0], line=where[1])
        messages = _merge_system(messages)
        row = _base(name, split, source, "general" if name == "smoltalk" else "identity", name, messages)
    elif name == "mmlu":
        mc = mmlu_to_row(raw, where)
        row = _base(name, split, source, "choice", f"mmlu_{mc['subject'] or 'misc'}",
                    [{"role": "user", "content": mc["prompt"]}, {"role": "assistant", "content": mc["correct_choice"]}])
        row.update(choices=mc["choices"], correct_choice=mc["correct_choice"],
                   normalized_answer=mc["correct_choice"].lower())
    elif name == "gsm8k":
        question, answer = _need(raw, "question", str, where), _need(raw, "answer", str, where)
        if wrong_tool_call(answer) is not None or unsupported_final(answer, question) is not None:
            return None  # a calculator output its call does not give, or a final the working never reaches
        row = _base(name, split, source, "math", "gsm8k",
                    [{"role": "user", "content": question}, {"role": "assistant", "content": gsm8k_parts(answer)}])
        row["answer_style"] = "tool"
        final = gsm8k_final(answer, question)
        if final is not None:
            row["normalized_answer"] = final
    else:  # pragma: no cover
        raise KeyError(name)
    validate_row(row, path=where[0], line=where[1])
    if not any(m["role"] == "assistant" for m in row["messages"]):  # nothing to learn: no token would carry a label
        raise PicochatInputError("a conversation with no assistant reply", path=where[0], line=where[1], field="messages")
    return row


# ----------------------------------------------------------------------------------------------- spelling tasks

def load_words(path: str | Path | None = None) -> list[str]:
    if path is not None:
        path = Path(path)
        if not path.exists():
            raise PicochatInputError("file not found", path=path)
        words = [w.strip().lower() for w in path.read_text(encoding="utf-8").split() if w.strip().isalpha()]
        if not words:
            raise PicochatInputError("no alphabetic words", path=path)
        return sorted(set(words))
    from english_words import get_english_words_set

    return sorted(get_english_words_set(["web2"], lower=True, alpha=True))


def simple_spelling_row(words: list[str], index: int, seed: int = 42) -> dict:
    word = words[random.Random(seed * 1_000_003 + index).randrange(len(words))]
    return _base("simple_spelling", "train", "english-words", "spelling", "simple_spelling",
                 [{"role": "user", "content": f"Spell the word: {word}"},
                  {"role": "assistant", "content": f"{word}:{','.join(word)}"}])


BEE_TEMPLATES = [
    "How many {l} are in the word {w}", "How many {l}s are in {w}", "Count the number of {l} in {w}",
    "How many times does {l} appear in {w}", "Count how many {l} are in {w}", "In the word {w}, how many {l} are there",
    "What is the count of letter {l} in {w}", "How many letter {l} does {w} have", "Tell me how many {l} the word {w} has",
    "Number of {l} in {w}", "How often does the letter {l} occur in {w}", "Can you count the {l} letters in {w}",
]


def spelling_bee_row(words: list[str], index: int, split: str = "train") -> dict:
    rng = random.Random(index if split == "train" else 10_000_000 + index)
    word = rng.choice(words)
    letter = rng.choice(word) if rng.random() < 0.9 else rng.choice("abcdefghijklmnopqrstuvwxyz")
    q = rng.choice(["", "'", '"'])
    prompt = rng.choice(BEE_TEMPLATES).format(l=f"{q}{letter}{q}", w=f"{q}{word}{q}")
    if rng.random() < 0.3:
        prompt = prompt.lower()
    prompt += "?" if rng.random() < 0.5 else ""
    count, lines = 0, []
    for i, ch in enumerate(word, start=1):
        if ch == letter:
            count += 1
            lines.append(f"{i}:{ch} hit! count={count}")
        else:
            lines.append(f"{i}:{ch}")
    manual = (f"We need the number of '{letter}' in '{word}'. First spell the word out:\n{word}:{','.join(word)}\n\n"
              f"Then go letter by letter, counting '{letter}':\n" + "\n".join(lines) + f"\n\nThat gives {count}.\n\n"
              "Let me double check this using Python:\n\n")
    parts = [{"type": "text", "text": manual}, {"type": "python", "text": f"'{word}'.count('{letter}')"},
             {"type": "python_output", "text": str(count)},
             {"type": "text", "text": f"\n\nPython gives {count} as well.\n\nMy final answer is:\n\n#### {count}"}]
    row = _base("spelling_bee", split, "english-words", "spelling", "spelling_bee",
                [{"role": "user", "content": prompt}, {"role": "assistant", "content": parts}])
    row.update(answer_style="tool", normalized_answer=str(count))
    return row


def _identity_rows(n: int, seed: int) -> Iterator[dict]:
    from .skills.behavior import BEHAVIOR_STAGES

    stages = [s for s, (skill, _) in BEHAVIOR_STAGES.items() if skill == "identity"]
    rng = random.Random(seed)
    for _ in range(n):
        task = BEHAVIOR_STAGES[rng.choice(stages)][1](rng, "train", "direct")
        row = _base("identity", "train", "picochat_hf/offline", "identity", task.category,
                    [{"role": "user", "content": task.prompt}, {"role": "assistant", "content": task.answer}])
        yield row


# ----------------------------------------------------------------------------------------------- mixture

def _count_wrong_call(status: dict, raw: dict, where: tuple[str, int]) -> None:
    """Record a GSM8K row dropped for a wrong calculator output or a final answer its working never states (count per
    reason, and the first one's place and call or final)."""
    call = wrong_tool_call(raw["answer"])
    key, what = ("dropped_wrong_tool_output", f"<<{call}>>") if call is not None else (
        "dropped_final_answer_unsupported", f"#### {unsupported_final(raw['answer'], str(raw.get('question') or ''))}")
    status[key] = status.get(key, 0) + 1
    status.setdefault("first_dropped", f"{where[0]}:{where[1]} {what}")


def _component_rows(name: str, split: str, *, source: str, local_files: dict, max_rows: int | None, sizes: dict,
                    words: list[str] | None, seed: int, status: dict) -> Iterator[dict]:
    key = f"{name}:{split}"
    if name in HUB:
        local = local_files.get(name if split == "train" else f"{name}_val")
        hub_split = HUB[name][2][split]
        if local is not None and source != "hf":
            it, origin = _iter_local(Path(local)), str(local)
        elif source == "offline":
            status[key] = {"status": "skipped", "reason": "no local file and --source offline"}
            return
        else:
            it, origin = _iter_hub(name, hub_split), f"hf:{HUB[name][0]}"
        status[key] = {"status": "ok", "origin": origin}
        from_hub = origin.startswith("hf:")
        where: tuple[str, int] = (origin, 0)
        try:
            for k, (path, line, raw) in enumerate(it):
                if max_rows is not None and k >= max_rows:
                    break
                where = (path, line)
                row = convert(name, "train" if split == "train" else "val", raw, where, origin)
                if row is None:
                    _count_wrong_call(status[key], raw, where)
                    continue
                yield row
        except PicochatInputError:
            raise
        except Exception as exc:
            reason = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
            if not from_hub:  # a file the user named is never skipped: its error is theirs to fix
                raise PicochatInputError(f"cannot convert this {name} row ({reason})", path=where[0], line=where[1] or None) from None
            if source == "hf" or where[1]:  # Hub required, or the Hub failed mid-stream: no partial source
                raise PicochatInputError(f"could not load {HUB[name][0]} ({reason})", path=HUB[name][0]) from None
            # an optional Hub source that cannot be reached at all (offline, outage): skipped, and said so
            status[key] = {"status": "skipped", "reason": reason}
            print(f"picochat: warning: skipped optional source {key} ({reason})", file=sys.stderr)
        return
    if name == "identity":
        local = local_files.get("identity")
        if local is not None:
            status[key] = {"status": "ok", "origin": str(local)}
            for k, (path, line, raw) in enumerate(_iter_local(Path(local))):
                if max_rows is not None and k >= max_rows:
                    break
                yield convert("identity", "train", raw, (path, line), str(local))
        else:
            n = min(sizes["identity"], max_rows) if max_rows is not None else sizes["identity"]
            status[key] = {"status": "ok", "origin": "picochat_hf/offline (procedural identity conversations)"}
            yield from _identity_rows(n, seed)
        return
    n = sizes[name] if max_rows is None else min(sizes[name], max_rows)
    status[key] = {"status": "ok", "origin": "english-words" if "words" not in local_files else str(local_files["words"])}
    for i in range(n):
        yield simple_spelling_row(words, i) if name == "simple_spelling" else spelling_bee_row(words, i, "train")


def _write_components(parts_dir: Path, *, source: str, local_files: dict, sizes: dict, words: list[str] | None, seed: int,
                      epochs: dict[str, int], val_limits: dict[str, int | None], max_rows_per_source: int | None,
                      progress: bool, status: dict, counts: dict) -> dict[str, list[int]]:
    """Convert every component into `<split>-<name>.jsonl` under `parts_dir`; fill `counts` and return each
    file's row byte offsets."""
    offsets: dict[str, list[int]] = {}
    trained: set[int] = set()  # the train conversations, so a validation row that is one of them is left out
    for split, names in (("train", list(epochs)), ("val", ["smoltalk", "mmlu", "gsm8k"])):
        for name in names:
            cap = max_rows_per_source if split == "train" else _min(val_limits.get(name), max_rows_per_source)
            comp_file = parts_dir / f"{split}-{name}.jsonl"
            offs: list[int] = []
            with open(comp_file, "wb") as fh:
                rows = _component_rows(name, split, source=source, local_files=local_files, max_rows=cap, sizes=sizes,
                                       words=words, seed=seed, status=status)
                for row in tqdm(rows, desc=f"{split}/{name}", unit="row", disable=not progress):
                    key = xxhash.xxh64_intdigest(json.dumps(row["messages"], sort_keys=True).encode())
                    if split == "train":
                        trained.add(key)
                    elif key in trained:
                        st = status[f"{name}:val"]
                        st["dropped_training_rows"] = st.get("dropped_training_rows", 0) + 1
                        continue
                    offs.append(fh.tell())
                    fh.write((json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8"))
            offsets[f"{split}-{name}"] = offs
            counts[split][name] = {"rows": len(offs), "epochs": epochs.get(name, 1) if split == "train" else 1}
    return offsets


def _write_shuffled(split: str, out_file: Path, parts_dir: Path, offsets: dict[str, list[int]], *, seed: int,
                    status: dict, counts: dict) -> None:
    """Write one split's rows in a seeded shuffle of (component, row) pairs, each component repeated per its
    epochs; an empty validation split writes no file."""
    index = [(name, i) for name, c in counts[split].items() for _ in range(c["epochs"]) for i in range(c["rows"])]
    random.Random(seed).shuffle(index)
    if not index:
        skipped = "; ".join(f"{k}: {v['reason']}" for k, v in status.items() if v["status"] == "skipped")
        if split == "train":
            raise PicochatInputError(f"the train mixture is empty: every source was skipped ({skipped})")
        counts[split]["total"] = 0
        return  # no validation sources reachable: recorded in the report, no empty file written
    handles = {name: open(parts_dir / f"{split}-{name}.jsonl", "rb") for name in counts[split]}
    try:
        with open(out_file, "w", encoding="utf-8") as fh:
            for n, (name, i) in enumerate(index):
                h = handles[name]
                h.seek(offsets[f"{split}-{name}"][i])
                row = json.loads(h.readline())
                row["id"] = f"{PROFILE}-{split}-{n:07d}"
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    finally:
        for h in handles.values():
            h.close()
    counts[split]["total"] = len(index)


def build_sft_mixture(
    out_dir: str | Path,
    *,
    source: str = "auto",
    local_files: dict[str, Path] | None = None,
    mmlu_epochs: int = 3,
    gsm8k_epochs: int = 4,
    identity_epochs: int = 2,
    simple_spelling_size: int = 200_000,
    spelling_bee_size: int = 80_000,
    identity_size: int = 1000,
    max_rows_per_source: int | None = None,
    val_limits: dict[str, int] | None = None,
    seed: int = 42,
    force: bool = False,
    progress: bool | None = None,
) -> dict[str, Path]:
    """Build `sft_mixture_train.jsonl`, `sft_mixture_val.jsonl` and `sft_mixture.json/.md` in `out_dir`.

    `source`: "auto" (local file if given, else the Hub; an unreachable source is skipped and recorded),
    "hf" (Hub required), "offline" (local files and procedural tasks only). `local_files` keys: smoltalk,
    mmlu, gsm8k (train), smoltalk_val, mmlu_val, gsm8k_val, identity, words (a word-list text file).
    A row of a local file that cannot be converted is an error naming the file and line; only an
    optional Hub source that cannot be reached at all is skipped (recorded, and warned about on stderr).
    Progress bars show when stderr is a terminal (or `progress=True`).
    """
    if progress is None:
        progress = sys.stderr.isatty()
    sizes, epochs = _planned_counts(simple_spelling_size=simple_spelling_size, spelling_bee_size=spelling_bee_size,
                                    identity_size=identity_size, mmlu_epochs=mmlu_epochs, gsm8k_epochs=gsm8k_epochs,
                                    identity_epochs=identity_epochs)
    local_files = check_local_files(source, local_files)
    words = load_words(local_files.get("words"))
    val_limits = {"smoltalk": None, "mmlu": 5200, "gsm8k": 420, **(val_limits or {})}
    with atomic_output_dir(out_dir, force=force) as tmp:
        _write_mixture(tmp, source=source, local_files=local_files, sizes=sizes, words=words, seed=seed, epochs=epochs,
                       val_limits=val_limits, max_rows_per_source=max_rows_per_source, progress=progress)
    out_dir = Path(out_dir)
    val = out_dir / "sft_mixture_val.jsonl"
    return {"train": out_dir / "sft_mixture_train.jsonl", "val": val if val.exists() else None,
            "report_json": out_dir / "sft_mixture.json", "report_md": out_dir / "sft_mixture.md"}


def _planned_counts(*, simple_spelling_size: int, spelling_bee_size: int, identity_size: int, mmlu_epochs: int,
                    gsm8k_epochs: int, identity_epochs: int) -> tuple[dict[str, int], dict[str, int]]:
    """(rows per procedural component, passes per component), refused past `sft_mixture_limits.yaml` before any work."""
    sizes = {"simple_spelling": simple_spelling_size, "spelling_bee": spelling_bee_size, "identity": identity_size}
    epochs = {"smoltalk": 1, "mmlu": mmlu_epochs, "gsm8k": gsm8k_epochs, "simple_spelling": 1, "spelling_bee": 1,
              "identity": identity_epochs}
    _check_sizes({f"{k}_size": v for k, v in sizes.items()},
                 {f"{k}_epochs": epochs[k] for k in ("mmlu", "gsm8k", "identity")})
    return sizes, epochs


def _write_mixture(tmp: Path, *, source: str, local_files: dict, sizes: dict, words: list[str] | None, seed: int,
                   epochs: dict, val_limits: dict, max_rows_per_source: int | None, progress: bool) -> None:
    """Write each component, then the shuffled train/val files and the report, into the staging folder `tmp`."""
    status: dict[str, Any] = {}
    counts: dict[str, Any] = {"train": {}, "val": {}}
    parts_dir = tmp / ".components"
    parts_dir.mkdir()
    offsets = _write_components(parts_dir, source=source, local_files=local_files, sizes=sizes, words=words, seed=seed,
                                epochs=epochs, val_limits=val_limits, max_rows_per_source=max_rows_per_source,
                                progress=progress, status=status, counts=counts)
    out = {"train": tmp / "sft_mixture_train.jsonl", "val": tmp / "sft_mixture_val.jsonl"}
    for split in ("train", "val"):
        _write_shuffled(split, out[split], parts_dir, offsets, seed=seed, status=status, counts=counts)
    shutil.rmtree(parts_dir)
    out = {k: v for k, v in out.items() if v.exists()}
    report = {"source": source, "seed": seed, "status": status, "counts": counts,
              "sha256": {k: sha256_file(v) for k, v in out.items()}, "files": {k: v.name for k, v in out.items()},
              "provenance": provenance()}
    atomic_write_json(tmp / "sft_mixture.json", report)
    atomic_write_text(tmp / "sft_mixture.md", _render(report))


def _check_sizes(sizes: dict[str, int], epochs: dict[str, int]) -> None:
    """Refuse a row count or epoch count past `sft_mixture_limits.yaml` (or below zero) before any work."""
    limits = load_yaml_text(Path(__file__).with_name("sft_mixture_limits.yaml").read_text(encoding="utf-8"))
    for values, most in ((sizes, limits["max_procedural_rows"]), (epochs, limits["max_epochs"])):
        for name, value in values.items():
            if not 0 <= value <= most:
                raise PicochatInputError(f"must be within [0, {most}] (sft_mixture_limits.yaml), got {value}", field=name)


def _min(a: int | None, b: int | None) -> int | None:
    vals = [x for x in (a, b) if x is not None]
    return min(vals) if vals else None


def _render(report: dict) -> str:
    lines = ["# SFT mixture (nanochat)", "", f"- source mode: {report['source']}; shuffle seed {report['seed']}", "",
             "| split | component | rows | epochs | status | origin / reason |", "|---|---|---|---|---|---|"]
    for split in ("train", "val"):
        for name, c in report["counts"][split].items():
            if name == "total":
                continue
            st = report["status"].get(f"{name}:{split}", {})
            reasons = [f"{st[k]} {why}" for k, why in (("dropped_wrong_tool_output", "with a wrong calculator output"),
                                                         ("dropped_final_answer_unsupported", "with a final answer "
                                                          "its working never states")) if st.get(k)]
            dropped = f"; dropped {', '.join(reasons)} (first: {st['first_dropped']})" if reasons else ""
            lines.append(f"| {split} | {name} | {c['rows']} | {c['epochs']} | {st.get('status', '')} | "
                         f"{st.get('origin') or st.get('reason', '')}{dropped} |")
        lines.append(f"| {split} | **total** | {report['counts'][split]['total']} | | | |")
    return "\n".join(lines) + "\n"
