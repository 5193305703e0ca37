"""Choice items copied with their options written without letters ("Options: Lima, Oslo, Paris, Bern",
"(Lima / Oslo / Paris / Bern)", "Lima, Oslo, Paris or Bern", bulleted lines) and answered with the right
option's text are leaks; the same options with another question, another option answered or several options
named are not, and clean task packs hold none."""

from __future__ import annotations

import pytest

from picochat_hf.data.default_corpus import default_texts
from picochat_hf.data.schema import prompt_text, read_rows
from picochat_hf.data.task_pack import build_task_pack
from picochat_hf.honesty import scan
from picochat_hf.honesty.choice_copies import listed_options
from picochat_hf.honesty.choice_lists import ListRules, option_lists
from picochat_hf.honesty.config import load_scan_config
from picochat_hf.utils.errors import PicochatInputError


def row(rid, prompt, answer=None, skill="general", **extra):
    msgs = [{"role": "user", "content": prompt}] + ([{"role": "assistant", "content": answer}] if answer is not None else [])
    return {"id": rid, "messages": msgs, "category": skill, "skill": skill, "split": "eval" if answer is None else "train", "source": "t", **extra}


CAPITAL = row("e-cap", "Name the capital city of France.\n\nA. Bern\nB. Paris\nC. Oslo\nD. Lima\n\nGive only the letter of the right answer.",
              skill="choice", choices=["Bern", "Paris", "Oslo", "Lima"], correct_choice="B", normalized_answer="b")
DAY = row("e-day", "What day follows Monday?\nA. Friday\nB. Tuesday\nC. Sunday\nD. Thursday\nReply with one letter.", skill="choice",
          choices=["Friday", "Tuesday", "Sunday", "Thursday"], correct_choice="B", normalized_answer="b")
PLANET = row("e-planet", "Which of these is a planet?\nA. Mars\nB. Paris\nC. Lemon\nD. Violin\nAnswer with the letter.", skill="choice",
             choices=["Mars", "Paris", "Lemon", "Violin"], correct_choice="A", normalized_answer="a")
UNITS = row("e-units", "What is 7 kilometers expressed in meters?\nA. 700\nB. 7000\nC. 70\nD. 70000\nReply with one letter.", skill="choice",
            choices=["700", "7000", "70", "70000"], correct_choice="B", normalized_answer="b")
EVAL = [CAPITAL, DAY, PLANET, UNITS]


def choice_copies(sft, eval_rows=EVAL):
    rep = scan(eval_rows=eval_rows, sft_rows=sft, show_progress=False)
    fails = {f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"}
    return fails, rep


@pytest.mark.parametrize(("target", "leak_prompt", "answer"), [
    (CAPITAL, "What is the capital of France? Options: Lima, Oslo, Paris, Bern", "Paris"),  # unlettered comma list
    (CAPITAL, "What is the capital of France? (Lima / Oslo / Paris / Bern)", "It is Paris."),  # slash list
    (CAPITAL, "What is the capital of France? Choose from Lima, Oslo, Paris or Bern.", "Paris"),  # "or" list, lead-in words
    (CAPITAL, "France's capital city: Bern, Paris, Lima, or Oslo?", "Paris."),  # reordered, reworded
    (CAPITAL, "Which city is the capital of France? Oslo, Paris or Lima.", "The capital is Paris."),  # shortened to three
    (CAPITAL, "Which of Lima, Oslo, Paris and Bern is the capital of France?", "Paris"),  # the question around the list
    (CAPITAL, "Capital of France?\n- Lima\n- Oslo\n- Paris\n- Bern", "Paris"),  # bulleted lines
    (CAPITAL, "Capital of France?\nLima\nOslo\nParis\nBern\nAnswer with the city.", "Paris"),  # plain lines
    (CAPITAL, "Hi! I am revising for a geography quiz tomorrow and my notes have this one: what is the capital of France? "
              "Options: Lima, Oslo, Paris, Bern. Could you help me out with it, and keep it short please?",
     "Sure, the answer is Paris. Good luck with your quiz tomorrow!"),  # embedded in a longer row
    (PLANET, "Which one is a planet: a Violin, a Lemon, a Paris or a Mars?", "Mars"),  # articles before the options
    (PLANET, "Pick the planet; Violin; Lemon; Paris; Mars", "Mars"),  # semicolons
    (CAPITAL, "Is the capital of France Lima or Oslo or Paris?", "Paris."),  # joined by "or" only
    (UNITS, "How many meters are in seven kilometers: 70, 700, 7000 or 70000?", "7000 meters."),  # numbers, the entity in words
    (DAY, "Which day comes after Monday? Sunday/Tuesday/Thursday/Friday", "Tuesday"),
])
def test_choice_copy_with_an_unlabelled_option_list_is_a_leak(target, leak_prompt, answer):
    bad, rep = choice_copies([row("leak", leak_prompt, answer)])
    assert bad == {target["id"]} and rep["counts"]["sft_choice_copy_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize(("other_prompt", "answer"), [
    ("Which city is the capital of France? Options: Lima, Oslo, Paris, Bern", "Lima"),  # another option answered
    ("Which city is the capital of France? Options: Lima, Oslo, Paris, Bern", "Paris or Lima, I am not sure."),  # two named
    ("Which city is the capital of France? Options: Lima, Oslo, Paris, Bern", "I do not know."),  # none named
    ("Which city is the capital of France? Options: Lima, Oslo, Paris, Rome", "Paris"),  # another option set
    ("Which city is the capital of France? Choose from Rome, Oslo, Paris or Lima.", "Paris"),  # the lead-in's option differs
    ("Which city is the capital of Peru? Options: Lima, Oslo, Paris, Bern", "Paris"),  # another question (entity)
    ("Which day comes before Wednesday? Options: Sunday, Thursday, Tuesday, Friday", "Tuesday"),  # same options, other question
    ("Which day comes before Wednesday?\n- Sunday\n- Thursday\n- Tuesday\n- Friday", "Tuesday"),
    ("Which day comes before Wednesday? Monday, Friday, Tuesday, Sunday or Thursday", "Tuesday"),  # more options, other day
    ("How many meters are in eight kilometers: 70, 700, 7000 or 70000?", "7000"),  # another number
])
def test_unlabelled_lists_that_do_not_copy_the_item_are_not_leaks(other_prompt, answer):
    bad, rep = choice_copies([row("other", other_prompt, answer)])
    assert not bad and rep["counts"]["sft_choice_copy_with_answer"] == 0, rep["findings"]


def test_two_options_are_no_list_but_the_question_answered_is_still_a_leak():
    # not a choice copy (two options are no list), but the item's own question (naming France) answered with its
    # right option's text: the answer-bearing paraphrase leaks the item
    bad, rep = choice_copies([row("other", "Which city is the capital of France? Paris or Lima?", "Paris")])
    assert rep["counts"]["sft_choice_copy_with_answer"] == 0 and bad == {"e-cap"}
    assert rep["counts"]["sft_signature_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize(("answer", "found"), [
    ("Sure! Question: What is the capital of France? Options: Lima, Oslo, Paris, Bern.\nAnswer: Paris", True),
    ("Here you go.\n\nWhich city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern\nAnswer: C", True),
    ("Sure! Question: What is the capital of France? Options: Lima, Oslo, Paris, Bern.\nAnswer: Lima", False),
    ("Sure! Question: Which day comes before Wednesday? Options: Sunday, Thursday, Tuesday, Friday.\nAnswer: Tuesday", False),
])
def test_a_choice_copy_written_out_in_an_sft_answer(answer, found):
    bad, rep = choice_copies([row("quiz", "Write me one quiz question with its answer.", answer)])
    assert (bad == {"e-cap"}) == found and rep["counts"]["sft_choice_copy_with_answer"] == int(found), rep["findings"]


def test_lists_are_read_with_their_edges_and_prose_is_not_a_list():
    rules = ListRules()
    text = "What is the capital of France? Choose from Lima, Oslo, Paris or Bern."
    lead_in = option_lists(text, rules)
    assert len(lead_in) == 1
    question, listed = lead_in[0].resolve({"bern", "paris", "oslo", "lima"}, rules, lead_in[0].around(text))
    assert sorted(listed) == ["bern", "lima", "oslo", "paris"] and {"capital", "france", "choose"} <= set(question)
    question, listed = lead_in[0].resolve({"rome", "paris", "oslo", "lima"}, rules, [])
    assert sorted(listed) == ["bern", "lima", "oslo", "paris"]  # Bern stays an option the item does not have
    assert not option_lists("We met in Paris, then flew home.", rules)
    assert not option_lists("Yesterday, after a long and very tiring day at the office, we went home", rules)


def test_a_task_pack_row_with_another_key_is_not_a_list_copy():
    """Rows that carry a canonical problem on both sides are compared by it, however their options are written."""
    hours = row("e-units", "What is 10 hours expressed in minutes?\nA. 600\nB. 100\nC. 70\nD. 1000\nReply with one letter.", skill="choice",
                choices=["600", "100", "70", "1000"], correct_choice="A", problem={"family": "units", "key": "minutes:hours:10"})
    other = row("s-units", "How many minutes are in 10 hours? 600, 100, 1000 or 70", "600", skill="choice",
                problem={"family": "units", "key": "seconds:minutes:10"})
    assert choice_copies([other], [hours])[1]["counts"]["sft_choice_copy_with_answer"] == 0
    unkeyed = {k: v for k, v in other.items() if k != "problem"}
    assert choice_copies([unkeyed], [hours])[0] == {"e-units"}


def test_list_settings_are_checked():
    assert load_scan_config(choice_list_max_words=2).choice_list_max_words == 2
    with pytest.raises(PicochatInputError):
        load_scan_config(choice_list_min_options=1)
    with pytest.raises(PicochatInputError):
        load_scan_config(corpus_choice_copies="no")


@pytest.mark.parametrize(("seed", "profile"), [(0, "capability"), (1, "balanced"), (3, "capability_train")])
def test_clean_task_packs_hold_no_choice_copies(tmp_path, seed, profile):
    paths = build_task_pack(tmp_path / "p", sft_rows=300, eval_rows=100, seed=seed, answer_style="direct", profile=profile)
    ev, sft = read_rows(paths["eval"]), read_rows(paths["sft"])
    rep = scan(eval_rows=ev, sft_rows=sft, show_progress=False)
    assert rep["counts"]["sft_choice_copy_with_answer"] == 0, [f for f in rep["findings"] if f["kind"] == "sft_choice_copy_with_answer"]
    # the same pack with its SFT choice rows rewritten as unlabelled lists (keys dropped): still no copy of another item
    rewritten = [unlabelled(r) for r in sft if r.get("choices")]
    rep = scan(eval_rows=ev, sft_rows=rewritten, show_progress=False)
    keys = {r.get("group") for r in ev}
    copies = [f for f in rep["findings"] if f["kind"] == "sft_choice_copy_with_answer"]
    same_key = {r["id"] for r in sft if r.get("group") in keys}
    assert all(f["value"] in same_key for f in copies), copies
    # every eval choice item planted the same way (its question, its options as a comma list, its right text) is found
    planted = [unlabelled({**r, "id": f"leak-{r['id']}"}) for r in ev if r.get("choices")]
    rep = scan(eval_rows=ev, sft_rows=sft + planted, show_progress=False)
    found = {f["eval_id"] for f in rep["findings"] if f["kind"] == "sft_choice_copy_with_answer"}
    assert planted and found == {r["id"] for r in ev if r.get("choices")}


def unlabelled(r):
    """A task-pack choice row with its options as a comma list, answered with the right option's text, no keys."""

    question, _ = listed_options(prompt_text(r))
    text = r["choices"]["ABCD".index(r["correct_choice"])]
    return row(r["id"], f"{question.strip()} Options: {', '.join(r['choices'])}.", f"It is {text}.")


FILLER = "The museum opens at nine and closes late on Fridays, when the garden cafe stays open too."


def corpus_copies(docs, eval_rows=EVAL):
    rep = scan(eval_rows=eval_rows, corpus=lambda: ((f"d{i}", t) for i, t in enumerate(docs)), show_progress=False)
    return {f["eval_id"] for f in rep["findings"] if f["kind"] == "corpus_choice_copy_with_answer"}, rep


@pytest.mark.parametrize(("target", "doc"), [
    (CAPITAL, f"{FILLER}\n\nWhich city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern\nAnswer: C\n\n{FILLER}"),  # relettered
    (CAPITAL, f"{FILLER} Capital of France: Bern, Paris, Lima or Oslo? Paris. {FILLER}"),  # unlabelled, answer after
    (CAPITAL, "Quiz night!\n\nQ1. What is the capital of France? (Lima / Oslo / Paris / Bern)\nAnswer: Paris\n\n"
              "Q2. Which river flows through Prague? (Vltava / Danube / Rhine)\nAnswer: Vltava"),  # one item of a quiz page
    (CAPITAL, f"{FILLER}\n\nWhich city is the capital of France?\n1. Lima\n2. Oslo\n3. Paris\n4. Bern\nThe answer is 3."),  # numbered
    (CAPITAL, "Which city is the capital of France?\n- Oslo\n- Paris\n- Lima\nCorrect answer: Paris"),  # bullets, shortened
    (DAY, f"{FILLER}\n\nWhat day follows Monday? Thursday, Sunday, Tuesday or Friday\nThe answer is Tuesday.\n\n{FILLER}"),
])
def test_corpus_choice_copy_with_its_answer_next_to_it_is_a_leak(target, doc):
    found, rep = corpus_copies([FILLER, doc])
    assert found == {target["id"]} and target["id"] in {f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"}, rep["findings"]


@pytest.mark.parametrize("doc", [
    f"{FILLER}\n\nWhich city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern\nAnswer: A\n\n{FILLER}",  # another option
    f"{FILLER} Which city is the capital of France? Lima, Oslo, Paris or Bern. Paris or Lima, nobody agrees. {FILLER}",  # two named
    f"{FILLER}\n\nWhich city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Rome\nAnswer: C",  # another option set
    "Q2. Which day comes before Wednesday? Sunday, Thursday, Tuesday or Friday\nAnswer: Tuesday",  # same options, other question
    "Q1. Which day starts the work week? Monday.\n\nQ2. Which day comes before Wednesday? Sunday, Thursday, Tuesday or Friday\n"
    "Answer: Tuesday",  # the paragraph before names the item's entity: another item's question
    "We toured Lima, Oslo, Paris and Bern last year. Paris was the best, and France is lovely.",  # prose, no question
])
def test_corpus_lists_that_do_not_copy_the_item_are_not_choice_copies(doc):
    found, rep = corpus_copies([FILLER, doc])
    assert not found, rep["findings"]


@pytest.mark.parametrize(("doc", "leak"), [
    (f"{FILLER} Which city is the capital of France? (A) Lima (B) Oslo (C) Paris (D) Bern Answer: (C) {FILLER}", True),
    (f"{FILLER} Capital of France: a) Oslo b) Bern c) Lima d) Paris\nAnswer: d\n{FILLER}", True),  # lowercase, next line
    (f"{FILLER} Which city is the capital of France? (A) Lima (B) Oslo (C) Paris (D) Bern\nThe answer is Paris.", True),
    (f"{FILLER} Which city is the capital of France? (A) Lima (B) Oslo (C) Paris (D) Bern Answer: (A) {FILLER}", False),
    (f"{FILLER} Which city is the capital of Peru? (A) Lima (B) Oslo (C) Paris (D) Bern Answer: (A) {FILLER}", False),
    ("We compared (a) Lima (b) Oslo (c) Paris and (d) Bern for the trip; Paris won, France is lovely.", False),  # prose
])
def test_corpus_choice_copy_with_inline_lettered_options(doc, leak):
    found, rep = corpus_copies([FILLER, doc])
    assert found == ({"e-cap"} if leak else set()), rep["findings"]


def test_the_corpus_choice_copy_check_can_be_turned_off():
    doc = "Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern\nAnswer: C"
    rep = scan(eval_rows=EVAL, corpus=lambda: [("d0", doc)], config=load_scan_config(corpus_choice_copies=False), show_progress=False)
    assert rep["counts"]["corpus_choice_copy_with_answer"] == 0 and rep["config"]["corpus_choice_copies"] is False


@pytest.mark.parametrize(("seed", "profile"), [(4, "balanced"), (5, "capability")])
def test_clean_corpus_and_task_pack_quiz_pages_hold_no_copies_of_other_items(tmp_path, seed, profile):
    """The embedded corpus, and quiz pages made of the pack's own SFT choice items (lettered and unlabelled, each with
    its answer), copy no eval item; the eval items written the same way (options reversed) are all found."""
    paths = build_task_pack(tmp_path / "p", sft_rows=300, eval_rows=200, seed=seed, answer_style="direct", profile=profile)
    ev, sft = read_rows(paths["eval"]), read_rows(paths["sft"])
    pages = [quiz_page(r, reverse) for r in sft if r.get("choices") for reverse in (False, True)]
    found, rep = corpus_copies(list(default_texts(max_documents=60)) + pages, ev)
    assert len(pages) > 20 and not found, rep["findings"]
    found, rep = corpus_copies([quiz_page(r, True) for r in ev if r.get("choices")], ev)
    assert found == {r["id"] for r in ev if r.get("choices")}


def quiz_page(r, unlabelled_list):
    """A task-pack choice row as a corpus quiz page: its question, its options (lettered, or reversed in a comma
    list) and its answer on the next line."""

    question = listed_options(prompt_text(r))[0].strip()
    text = r["choices"]["ABCD".index(r["correct_choice"])]
    if unlabelled_list:
        return f"Practice page.\n\n{question} {', '.join(reversed(r['choices']))}?\nAnswer: {text}"
    lettered = "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(r["choices"]))
    return f"Practice page.\n\n{question}\n{lettered}\nAnswer: {r['correct_choice']}"


@pytest.mark.parametrize("answer", [
    "It is Paris, not Lima.", "Paris (not Lima)", "Not Lima but Paris.", "Paris. Lima is wrong.", "Paris; Oslo is incorrect.",
    "It can't be Lima, so Paris.", "It isn't Oslo, it is Paris.", "Paris, not Lima or Oslo.", "Neither Lima nor Oslo: Paris.",
    "PARIS, NOT LIMA", "**Paris**, not *Lima*", "Paris rather than Bern", "Lima is ruled out; it is Paris.", "Paris, unlike Lima",
    "Paris is not only the capital but also the largest city.", "Paris isn't just a capital.", "Lima? No, Paris.", "Lima? Nope. Paris",
])
def test_an_answer_naming_the_right_option_and_rejecting_another_is_a_copy(answer):
    """A rejected option is not named (as a rejected letter is not chosen): the answer names the right one alone."""
    prompt = "What is the capital of France? Options: Lima, Oslo, Paris, Bern"
    bad, rep = choice_copies([row("leak", prompt, answer)])
    assert bad == {"e-cap"}, rep["findings"]
    lettered = "Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern"
    bad, rep = choice_copies([row("leak", lettered, answer)])
    assert bad == {"e-cap"}, rep["findings"]
    found, rep = corpus_copies([f"Which city is the capital of France? Lima, Oslo, Paris or Bern?\n{answer}"])
    assert found == {"e-cap"}, rep["findings"]


@pytest.mark.parametrize("answer", [
    "Paris or Lima", "Paris and Lima", "Lima, not Paris.", "Not Paris, it is Lima.", "Paris is wrong; Lima.", "Not Paris or Lima.",
    "Paris? Lima?", "I am not sure: Paris or Lima.",
])
def test_an_answer_naming_two_options_or_rejecting_the_right_one_is_no_copy(answer):
    prompt = "What is the capital of France? Options: Lima, Oslo, Paris, Bern"
    bad, rep = choice_copies([row("other", prompt, answer)])
    assert not bad, rep["findings"]
    lettered = "Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern"
    bad, rep = choice_copies([row("other", lettered, answer)])
    assert not bad, rep["findings"]


@pytest.mark.parametrize("leak_prompt", [
    "What is the capital of France? (a) Lima (b) Oslo (c) Paris (d) Bern",  # inline, lowercase letters
    "What is the capital of France? a) Lima b) Oslo c) Paris d) Bern",
    "What is the capital of France? 1. Lima 2. Oslo 3. Paris 4. Bern",  # inline, numbered
    "What is the capital of France? (1) Lima (2) Oslo (3) Paris (4) Bern",
    "What is the capital of France?\n| Lima | Oslo | Paris | Bern |",  # a table row
])
def test_inline_lowercase_or_numbered_options_and_table_rows_are_read(leak_prompt):
    bad, rep = choice_copies([row("leak", leak_prompt, "Paris")])
    assert bad == {"e-cap"}, rep["findings"]
    bad, rep = choice_copies([row("other", leak_prompt.replace("France", "Peru"), "Paris")])
    assert not bad, rep["findings"]


def test_corpus_choice_copy_inside_a_json_string_is_read():
    import json

    doc = json.dumps({"text": "Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern\nAnswer: C"})
    assert "\\n" in doc
    found, rep = corpus_copies([FILLER, doc])
    assert found == {"e-cap"}, rep["findings"]
    other = json.dumps({"text": "Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern\nAnswer: A"})
    assert corpus_copies([FILLER, other])[0] == set()


TABLE_HEAD = "| A | B | C | D |\n|---|---|---|---|\n| Lemon | Mars | Violin | Paris |"  # labels over options, reordered
TABLE_ROWS = "| Letter | Option |\n|:--|:--|\n| A | Violin |\n| B | Lemon |\n| C | Mars |\n| D | Paris |"  # one option a row


@pytest.mark.parametrize(("table", "answer", "leak"), [(TABLE_HEAD, "B", True), (TABLE_ROWS, "C", True), (TABLE_HEAD, "C", False),
                                                       (TABLE_ROWS, "The answer is D.", False)])
def test_a_choice_item_relettered_inside_a_markdown_table(table, answer, leak):
    _, rep = choice_copies([row("s", f"Which of these is a planet?\n\n{table}\n\nReply with the letter.", answer)])
    # (the question followed by the right option's text is also the `stem` watch's finding, whatever letter is chosen)
    assert {f["eval_id"] for f in rep["findings"] if f["kind"] == "sft_choice_copy_with_answer"} == ({"e-planet"} if leak else set())
    found, rep = corpus_copies([f"{FILLER}\n\nWhich of these is a planet?\n\n{table}\n\nAnswer: {answer}\n\n{FILLER}"])
    assert found == ({"e-planet"} if leak else set()), rep["findings"]


def test_a_table_that_is_not_an_option_list_is_left_as_it_is():
    assert listed_options("Add the columns:\n| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |")[1] == {}
    assert listed_options("Rank them:\n| A | B | C |\n| Lima | Oslo | Paris |")[1] == {"A": "lima", "B": "oslo", "C": "paris"}


@pytest.mark.parametrize("answer", [
    "Anything but Lima: Paris.", "Paris. Lima would be wrong.", "Paris; Lima is the wrong answer.", "I would not pick Lima. Paris.",
    "I doubt it's Lima. Paris.", "Paris, Lima is unlikely.", "Paris. Lima doesn't fit.", "Paris; all but Lima", "Paris, Lima seems wrong.",
])
def test_an_option_is_rejected_by_the_words_that_reject_a_letter(answer):
    """The scan reads the letter judge's rejection lexicon (eval/scoring.yaml): "I doubt it's B" rejects B, so
    "I doubt it's Lima" rejects Lima, and the answer names Paris alone."""
    bad, rep = choice_copies([row("leak", "What is the capital of France? Options: Lima, Oslo, Paris, Bern", answer)])
    assert bad == {"e-cap"}, rep["findings"]
    bad, rep = choice_copies([row("other", "What is the capital of France? Options: Lima, Oslo, Paris, Bern", answer.replace("Paris", "Bern"))])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("answer", "leak"), [("B", True), ("Seven thousand.", True), ("A", False)])
def test_a_choice_item_with_its_number_options_written_in_words_is_the_item(answer, leak):
    prompt = "How many meters are in seven kilometers?\nA. seventy thousand\nB. seven thousand\nC. seven hundred\nD. seventy"
    bad, rep = choice_copies([row("s", prompt, answer)])
    assert bad == ({"e-units"} if leak else set()), rep["findings"]
    found, rep = corpus_copies([f"{FILLER}\n\n{prompt}\nAnswer: {answer}\n\n{FILLER}"])
    assert found == ({"e-units"} if leak else set()), rep["findings"]


def test_numbers_in_words_read_as_digits_only_when_whole():
    from picochat_hf.honesty.normalize import words
    from picochat_hf.honesty.number_words import parse_number

    assert [parse_number(words(t)) for t in ("seven thousand", "eighty-seven", "one hundred and five", "a hundred", "twelve thousand three hundred")] == \
        ["7000", "87", "105", "100", "12300"]
    assert [parse_number(words(t)) for t in ("the seven", "seven seven", "hundred", "seven cats")] == [None] * 4


NUMBER_WORDS = "seventy, seven hundred, seven thousand or seventy thousand"


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    (f"How many meters are in 7 kilometers? Options: {NUMBER_WORDS}", "Seven thousand.", True),
    (f"How many meters are in seven kilometers: {NUMBER_WORDS}?", "7000 meters.", True),
    (f"Is seven kilometers {NUMBER_WORDS} meters?", "It is seven thousand.", True),  # the last option before words of the question
    ("How many meters are in 7 kilometers?\n- seventy\n- seven hundred\n- seven thousand\n- seventy thousand", "seven thousand", True),
    ("How many meters are in 7 kilometers?\nSEVENTY\nSEVEN HUNDRED\nSEVEN THOUSAND", "SEVEN THOUSAND!", True),  # shortened, upper-cased
    (f"How many meters are in 7 kilometers? Options: {NUMBER_WORDS}", "Seven hundred.", False),  # another option
    (f"How many meters are in eight kilometers: {NUMBER_WORDS}?", "Seven thousand.", False),  # another number asked
    ("How many meters are in 7 kilometers? Options: seventy, seven hundred, eight thousand or seventy thousand", "Eight thousand.", False),
    (f"How many meters are in 7 kilometers? Options: {NUMBER_WORDS}", "Seven thousand or seven hundred.", False),  # two named
])
def test_an_unlabelled_list_of_number_words_is_the_items_number_options(prompt, answer, leak):
    bad, rep = choice_copies([row("s", prompt, answer)])
    assert bad == ({"e-units"} if leak else set()), rep["findings"]
    found, rep = corpus_copies([f"{FILLER}\n\n{prompt}\nAnswer: {answer}\n\n{FILLER}"])
    assert found == ({"e-units"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ("7 kilometers in meters?", "Seven thousand.", True),  # a number option's text in words, no options offered
    ("7 kilometers in meters?", "Seven hundred.", False),
])
def test_a_number_option_answered_in_words_without_options_is_named(prompt, answer, leak):
    bad, rep = choice_copies([row("s", prompt, answer)])
    assert bad == ({"e-units"} if leak else set()), rep["findings"]


HTML_HEAD = "<table>\n<tr><th>A</th><th>B</th><th>C</th><th>D</th></tr>\n<tr><td>Lemon</td><td>Mars</td><td>Violin</td><td>Paris</td></tr>\n</table>"
HTML_ROWS = "<table><tr><td>A</td><td>Violin</td></tr><tr><td>B</td><td>Lemon</td></tr><tr><td>C</td><td>Mars</td></tr></table>"


@pytest.mark.parametrize(("table", "answer", "leak"), [(HTML_HEAD, "B", True), (HTML_ROWS, "C", True), (HTML_HEAD, "C", False),
                                                       (HTML_ROWS, "The answer is A.", False)])
def test_a_choice_item_relettered_inside_an_html_table(table, answer, leak):
    _, rep = choice_copies([row("s", f"Which of these is a planet?\n\n{table}\n\nReply with the letter.", answer)])
    assert {f["eval_id"] for f in rep["findings"] if f["kind"] == "sft_choice_copy_with_answer"} == ({"e-planet"} if leak else set())
    found, rep = corpus_copies([f"{FILLER}\n\nWhich of these is a planet?\n\n{table}\n\nAnswer: {answer}\n\n{FILLER}"])
    assert found == ({"e-planet"} if leak else set()), rep["findings"]
