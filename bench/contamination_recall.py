"""Benchmark: recall of the contamination scan on planted leaks, false blocks on clean packs, and time
against the previous release of the scan, at three pack sizes, printed side by side in one run.

    python bench/contamination_recall.py                      # sizes small, medium, large
    python bench/contamination_recall.py --sizes small --per-form 20

For each size a task pack is built (`build_task_pack`, profile capability, direct answers) and the embedded
corpus is repeated to the size's document count. Leaks are planted one form at a time, into copies of the
clean SFT rows and corpus, for up to `--per-form` eligible eval rows each:

- exact: the eval prompt and its answer as an SFT row; case: the same in upper case with changed punctuation;
- reworded long: prompts of at least 8 words with synonyms swapped, a lead-in added and the answer;
- reworded short: math and spelling prompts rewritten from scratch ("Compute 23 plus 34."), half of them
  carrying the item's `problem` field (canonical form) and half plain text (signature);
- embedded prompt: the eval prompt inside a longer SFT prompt, the answer in the SFT answer;
- embedded answer: the eval prompt and answer inside an SFT assistant message;
- corpus Q+A: the prompt and its answer in one corpus document; corpus options: a choice item's lettered
  option list alone in a corpus document;
- corpus split: a math or spelling item stated without its prompt, the answer a sentence later or beside its mode's
  words ("Add 23 and 34 for me. That gives 57.", 'The first letter of "lantern" is l.', "orchard backwards: d-r-a-h-c-r-o"),
  and the same statements with a wrong answer, whose flagged share is reported as false blocks on wrong-answer twins;
- corpus table / corpus JSON: the prompt and its answer as a markdown table row or a JSON record among others;
- corpus steps / columns / CSV: an operand expression's operands said in turn with the answer next ("Take 23. Now add 34 to
  it. You get 57.", a "| a | b | sum |" table row, an "a,b,sum" CSV line); corpus count words: a letter count in words
  ("The letter e appears once in lantern."); corpus category key: a category item's property and right option ("animal: deer");
  each also with a wrong answer (another number, count or option), whose flagged share is reported as false blocks.

Recall is the share of planted eval rows the scan marks as failing. The false-block rate is the share of eval
rows failing on the clean pack after an instruction sentence is added to 10% of SFT and eval prompts (a
shared template); rows that fail because an SFT row truly holds the same canonical problem with its answer
(a cross-stage duplicate in the task pack) are counted apart, not as false blocks. The previous release of
the scan (`--old-commit`, default the last commit before this scan) is run from `git archive` in a
subprocess on the same files; times are wall seconds of `run_scan` (reading included) on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from picochat_hf.data.default_corpus import iter_default_documents
from picochat_hf.data.schema import answer_text, prompt_text, read_rows
from picochat_hf.data.task_pack import build_task_pack
from picochat_hf.honesty import run_scan
from picochat_hf.honesty.items import canonical_key, eval_item

SIZES = {"small": (600, 150, 1), "medium": (2400, 400, 4), "large": (9600, 1600, 16)}  # SFT rows, eval rows, corpus repeats
FORMS = ["exact", "case", "reworded_long", "reworded_short", "embedded_prompt", "embedded_answer", "corpus_qa", "corpus_options",
         "corpus_split", "corpus_table", "corpus_json", "corpus_steps", "corpus_columns", "corpus_csv", "corpus_count_words",
         "corpus_category_key"]
# planted again with a wrong answer: those flagged are false blocks
SPLIT_FORMS = ("corpus_split", "corpus_steps", "corpus_columns", "corpus_csv", "corpus_count_words", "corpus_category_key")
STEPS = {"+": "add {b} to it", "-": "take away {b}", "*": "multiply it by {b}"}
COLUMN = {"+": "sum", "-": "difference", "*": "product"}
COUNT_WORDS = {0: "The letter {l} appears zero times in {w}.", 1: "The letter {l} appears once in {w}.", 2: "{w} has {l} twice.", 3: "The letter {l} appears three times in {w}."}
SYNONYMS = {"what": "which", "which": "what", "is": "'s", "the": "this", "number": "count", "letter": "character", "word": "term",
            "many": "much", "give": "provide", "answer": "reply", "letters": "characters", "does": "will", "show": "display",
            "tell": "inform", "how": "in what way", "write": "put down", "day": "date", "largest": "biggest", "smallest": "tiniest",
            "has": "holds", "left": "remaining", "gives": "hands", "away": "off", "starts": "begins", "select": "choose",
            "best": "right", "option": "choice", "reply": "respond", "only": "just", "correct": "right", "one": "a single"}
OLD_COMMIT = "052554d"
SHARED = "Please answer the following question in one short sentence:"
FILLER_DOC = "The museum opens at nine and closes late on Fridays, when the garden cafe stays open too."


def sft_row(rid: str, prompt: str, answer: str, extra: dict | None = None) -> dict:
    return {"id": rid, "messages": [{"role": "user", "content": prompt}, {"role": "assistant", "content": answer}],
            "category": "planted", "skill": "general", "split": "train", "source": "bench", **(extra or {})}


def reword(text: str, rng: random.Random) -> str:
    out = []
    for tok in re.findall(r"\w+|[^\w\s]+|\s+", text):
        low = tok.lower()
        out.append(SYNONYMS[low] if low in SYNONYMS and rng.random() < 0.9 else tok)
    return "Here is one for you. " + "".join(out)


def short_rewrite(row: dict) -> str | None:
    p = row.get("problem") or {}
    if row["skill"] == "math" and {"op", "a", "b"} <= p.keys():
        word = {"+": "plus", "-": "minus", "*": "times"}[p["op"]]
        return f"Compute {p['a']} {word} {p['b']}."
    if row["skill"] == "spelling" and p.get("word"):
        mode, w, letter = p.get("mode"), p["word"], p.get("letter")
        return {"count": f'Count "{letter}" in "{w}".', "first": f'First letter of "{w}"?', "last": f'Last letter of "{w}"?',
                "spaced": f'"{w}" with spaces.', "reverse": f'"{w}" reversed.'}.get(mode)
    return None


def split_statement(row: dict, answer: str | None = None) -> str | None:
    """The item stated over two sentences or with its mode's words, not as its prompt: "Add 23 and 34 for me. That gives
    57.", 'The first letter of "lantern" is l.', "orchard backwards: d-r-a-h-c-r-o"; with `answer` in place of its own."""
    p = row.get("problem") or {}
    if row["skill"] == "math" and {"op", "a", "b", "result"} <= p.keys():
        lead = {"+": "Add {a} and {b}", "-": "Subtract {b} from {a}", "*": "Multiply {a} and {b}"}[p["op"]].format(**p)
        return f"{lead} for me. That gives {answer or p['result']}."
    if row["skill"] != "spelling" or not p.get("word"):
        return None
    w, got = p["word"], answer or str(p["result"])
    return {"first": f'The first letter of "{w}" is {got}.', "last": f'"{w}" ends with the letter {got}.',
            "count": f'The word "{w}" has {got} {p.get("letter")}.', "reverse": f"{w} backwards: {'-'.join(got.replace(' ', ''))}",
            "spaced": f"{w} spelled out: {'-'.join(got.replace(' ', ''))}"}.get(p.get("mode"))


def expression_item(row: dict) -> bool:
    """A math item asked as an operand expression (not a word problem) with operands of 3 digits or more together."""
    it = eval_item(0, row, set())
    return it.operands is not None and it.story is None and len(it.operands[0]) + len(it.operands[2]) >= 3


def turn_statement(form: str, row: dict, answer: str | None = None) -> str | None:
    """The item stated piece by piece (`answer` in place of its own): operands said in turn ("Take 23. Now add 34 to it.
    You get 57."), a table or CSV with operand columns, a letter count in words, a category item's property and option."""
    p = row.get("problem") or {}
    if form in ("corpus_steps", "corpus_columns", "corpus_csv"):
        if row["skill"] != "math" or p.get("op") not in STEPS or not expression_item(row):
            return None
        a, b, got = p["a"], p["b"], answer or p["result"]
        if form == "corpus_steps":
            return f"Take {a}. Now {STEPS[p['op']].format(b=b)}. You get {got}."
        if form == "corpus_columns":
            return f"| a | b | {COLUMN[p['op']]} |\n|---|---|---|\n| 2 | 5 | 99 |\n| {a} | {b} | {got} |"
        return f"a,b,{COLUMN[p['op']]}\n2,5,99\n{a},{b},{got}"
    if form == "corpus_count_words":
        n = int(answer or p.get("result", -1)) if str(answer or p.get("result", "")).isdigit() else -1
        return COUNT_WORDS[n].format(w=p["word"], l=p["letter"]) if p.get("mode") == "count" and n in COUNT_WORDS else None
    if form == "corpus_category_key" and p.get("family") == "category" and ":" in str(p.get("key")):
        return f"{str(p['key']).split(':')[0]}: {answer or p['answer_text']}"
    return None


def statement(form: str, row: dict, answer: str | None = None) -> str | None:
    return split_statement(row, answer) if form == "corpus_split" else turn_statement(form, row, answer)


def wrong_answer(row: dict, form: str = "corpus_split") -> str:
    """Another answer of the same shape: a number plus one, a letter further on, a spelling with one letter changed,
    another count (a count stated in words: one the words say), a wrong option's text."""
    p = row.get("problem") or {}
    if form == "corpus_category_key":
        return next(c for c in row["choices"] if c != p.get("answer_text"))
    if form == "corpus_count_words":
        return str((int(p["result"]) + 1) % 4)
    right = str(p.get("result", answer_text(row)))
    if right.lstrip("-").isdigit():
        return str(int(right) + 1)
    shift = lambda c: chr((ord(c) - 97 + 1) % 26 + 97) if c.isalpha() else c  # noqa: E731
    return shift(right[0].lower()) + right[1:]


def eligible(row: dict, form: str) -> bool:
    if row["skill"] in ("identity", "refusal"):
        return False  # their answers are taught verbatim; the scan checks their prompts only
    n_words = len(prompt_text(row).split())
    if form == "reworded_long":
        return n_words >= 8
    if form == "reworded_short":
        return n_words < 8 and short_rewrite(row) is not None
    if form == "corpus_options":
        return bool(row.get("choices"))
    if form in SPLIT_FORMS:
        return statement(form, row) is not None
    return True


def plant(form: str, row: dict, k: int, rng: random.Random) -> tuple[list[dict], list[str]]:
    """(SFT rows to add, corpus documents to add) for one planted leak of `row`."""
    prompt, answer = prompt_text(row), answer_text(row)
    rid = f"leak-{form}-{k}"
    if form == "exact":
        return [sft_row(rid, prompt, answer)], []
    if form == "case":
        return [sft_row(rid, re.sub(r"[?.]", "!!", prompt.upper()).replace(",", ""), answer)], []
    if form == "reworded_long":
        return [sft_row(rid, reword(prompt, rng), answer)], []
    if form == "reworded_short":
        extra = {"problem": row["problem"], "group": row.get("group")} if k % 2 == 0 else None
        return [sft_row(rid, short_rewrite(row), answer, extra)], []
    if form == "embedded_prompt":
        return [sft_row(rid, f"Here is a question from my homework sheet. {prompt} Please show me how to do it.", f"Sure. {answer}")], []
    if form == "embedded_answer":
        return [sft_row(rid, "Give me an example question with its answer.", f"Example question: {prompt}\nIts answer: {answer}")], []
    filler = FILLER_DOC
    if form == "corpus_qa":
        return [], [f"{filler} {prompt} Answer: {answer}. {filler}"]
    if form in SPLIT_FORMS:
        sep = " " if form == "corpus_split" else "\n"  # a table or CSV stands on lines of its own
        return [], [f"{filler}{sep}{statement(form, row)}{sep}{filler}"]
    one_line = " ".join(prompt.split())
    if form == "corpus_table":
        return [], [f"{filler}\n\n| question | answer |\n|---|---|\n| {one_line} | {answer} |\n| Who wrote Hamlet? | Shakespeare |\n"]
    if form == "corpus_json":
        return [], [json.dumps([{"question": "Who wrote Hamlet?", "answer": "Shakespeare"}, {"question": prompt, "answer": answer}])]
    options = "\n".join(f"{'ABCD'[i]}. {c}" for i, c in enumerate(row["choices"]))
    return [], [f"{filler}\n{options}\n{filler}"]


def with_shared_template(rows: list[dict], share: float, rng: random.Random) -> list[dict]:
    out = []
    for r in rows:
        if rng.random() < share:
            msgs = [dict(m) for m in r["messages"]]
            msgs[0]["content"] = f"{SHARED} {msgs[0]['content']}"
            r = {**r, "messages": msgs}
        out.append(r)
    return out


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


OLD_RUNNER = """
import json, sys, time
import picochat_hf
assert picochat_hf.__file__.startswith(sys.argv[4]), picochat_hf.__file__
from picochat_hf.honesty import run_scan
t = time.perf_counter()
rep = run_scan(eval_path=sys.argv[1], sft_path=sys.argv[2], corpus_paths=[sys.argv[3]], show_progress=False)
failing = sorted({f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"})
print(json.dumps({"seconds": time.perf_counter() - t, "failing": failing}))
"""


def old_scan(old_tree: Path, eval_p: Path, sft_p: Path, corpus_p: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(old_tree), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run([sys.executable, "-c", OLD_RUNNER, str(eval_p), str(sft_p), str(corpus_p), str(old_tree)], env=env, cwd=old_tree,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def new_scan(eval_p: Path, sft_p: Path, corpus_p: Path) -> dict:
    t = time.perf_counter()
    rep = run_scan(eval_path=eval_p, sft_path=sft_p, corpus_paths=[corpus_p], show_progress=False)
    return {"seconds": time.perf_counter() - t, "failing": sorted({f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"}), "report": rep}


def run_size(name: str, work: Path, old_tree: Path, per_form: int, seed: int) -> dict:
    n_sft, n_eval, repeats = SIZES[name]
    pack = build_task_pack(work / f"pack_{name}", sft_rows=n_sft, eval_rows=n_eval, seed=seed, answer_style="direct", profile="capability")
    ev, sft = read_rows(pack["eval"]), read_rows(pack["sft"])
    base_docs = [d["text"] for d in iter_default_documents()]
    corpus = [{"id": f"doc{r}-{i}", "text": t} for r in range(repeats) for i, t in enumerate(base_docs)]
    eval_p = write_jsonl(work / f"eval_{name}.jsonl", ev)
    out: dict = {"size": name, "sft_rows": len(sft), "eval_rows": len(ev), "corpus_docs": len(corpus), "recall": {}, "old_recall": {}}
    rng = random.Random(seed)
    for form in FORMS:
        targets = [r for r in ev if eligible(r, form)][:per_form]
        extra_sft, extra_docs = [], []
        for k, r in enumerate(targets):
            s, d = plant(form, r, k, rng)
            extra_sft += s
            extra_docs += [{"id": f"leak-{form}-{k}", "text": t} for t in d]
        sft_p = write_jsonl(work / f"sft_{name}_{form}.jsonl", sft + extra_sft)
        cor_p = write_jsonl(work / f"corpus_{name}_{form}.jsonl", corpus + extra_docs)
        ids = {r["id"] for r in targets}
        new = new_scan(eval_p, sft_p, cor_p)
        old = old_scan(old_tree, eval_p, sft_p, cor_p)
        out["recall"][form] = (len(ids & set(new["failing"])), len(ids))
        out["old_recall"][form] = (len(ids & set(old["failing"])), len(ids))
        if form in SPLIT_FORMS:  # the same statements with a wrong answer: clean text in the leak's style
            sep = " " if form == "corpus_split" else "\n"
            twins = [{"id": f"twin-{form}-{k}", "text": f"{FILLER_DOC}{sep}{statement(form, r, wrong_answer(r, form))}{sep}{FILLER_DOC}"}
                     for k, r in enumerate(targets)]
            twin_p = write_jsonl(work / f"corpus_{name}_{form}_twin.jsonl", corpus + twins)
            base_sft = write_jsonl(work / f"sft_{name}_base.jsonl", sft)
            twin = new_scan(eval_p, base_sft, twin_p)
            out.setdefault("twin_blocks", {})[form] = (len(ids & set(twin["failing"])), len(ids))
        if form == "exact":
            out["new_seconds"], out["old_seconds"] = new["seconds"], old["seconds"]
    clean_ev, clean_sft = with_shared_template(ev, 0.1, random.Random(seed + 1)), with_shared_template(sft, 0.1, random.Random(seed + 2))
    ce, cs, cc = write_jsonl(work / f"ce_{name}.jsonl", clean_ev), write_jsonl(work / f"cs_{name}.jsonl", clean_sft), write_jsonl(work / f"cc_{name}.jsonl", corpus)
    clean = new_scan(ce, cs, cc)
    sft_keys = {}
    for r in clean_sft:
        if canonical_key(r):
            sft_keys.setdefault(canonical_key(r), r)
    eval_by_id = {r["id"]: r for r in clean_ev}
    true_dups = {i for i in clean["failing"] if canonical_key(eval_by_id[i]) in sft_keys}
    out["clean"] = {"failing": len(clean["failing"]), "true_duplicates": len(true_dups), "false_blocks": len(set(clean["failing"]) - true_dups),
                    "n": len(clean_ev), "status": clean["report"]["status"], "old_failing": len(old_scan(old_tree, ce, cs, cc)["failing"])}
    return out


def extract_old(commit: str, dest: Path) -> Path:
    root = Path(subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True).stdout.strip())
    data = subprocess.run(["git", "archive", commit, "picochat_hf"], cwd=root, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def pct(hit_n: tuple[int, int]) -> str:
    hit, n = hit_n
    return "n/a" if n == 0 else f"{100 * hit / n:.0f}% ({hit}/{n})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="+", default=list(SIZES), choices=list(SIZES))
    ap.add_argument("--per-form", type=int, default=40, help="planted leaks per form and size")
    ap.add_argument("--old-commit", default=OLD_COMMIT, help="git commit holding the previous release of the scan")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old_tree = extract_old(args.old_commit, work / "old")
        results = [run_size(name, work, old_tree, args.per_form, args.seed) for name in args.sizes]
    head = "| form | " + " | ".join(f"{r['size']} (new) | {r['size']} (previous)" for r in results) + " |"
    print(head)
    print("|" + "---|" * (1 + 2 * len(results)))
    for form in FORMS:
        print(f"| {form} | " + " | ".join(f"{pct(r['recall'][form])} | {pct(r['old_recall'][form])}" for r in results) + " |")
    print("| false blocks on clean templated pack | " + " | ".join(
        f"{r['clean']['false_blocks']}/{r['clean']['n']} ({r['clean']['status']}; {r['clean']['true_duplicates']} true cross-stage duplicates) | "
        f"{r['clean']['old_failing']}/{r['clean']['n']} failing" for r in results) + " |")
    for form in SPLIT_FORMS:
        print(f"| false blocks on wrong-answer twins of {form} (new only) | " + " | ".join(
            f"{pct(r['twin_blocks'][form])} | n/a" for r in results) + " |")
    print("| scan seconds (run_scan, exact-leak inputs) | " + " | ".join(f"{r['new_seconds']:.2f} | {r['old_seconds']:.2f}" for r in results) + " |")
    print("| sizes: SFT rows / eval rows / corpus docs | " + " | ".join(f"{r['sft_rows']} / {r['eval_rows']} / {r['corpus_docs']} | same" for r in results) + " |")
    if len(results) > 1:
        base = results[0]
        for r in results[1:]:
            print(f"{r['size']} vs {base['size']}: corpus x{r['corpus_docs'] / base['corpus_docs']:.0f}, SFT x{r['sft_rows'] / base['sft_rows']:.0f}; "
                  f"scan time x{r['new_seconds'] / base['new_seconds']:.1f} (previous release x{r['old_seconds'] / base['old_seconds']:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
