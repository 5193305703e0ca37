"""Contamination at every prompt length: planted leaks of every form are caught (exact, case, reworded,
shortened, embedded, canonical, signature, corpus Q+A, options only); templates and clean packs are not."""

from __future__ import annotations

import pytest

from picochat_hf.data.schema import answer_text, prompt_text, read_rows
from picochat_hf.data.task_pack import build_task_pack
from picochat_hf.honesty import scan
from picochat_hf.honesty.leaks import FINDING_KINDS


def row(rid, prompt, answer=None, skill="math", **extra):
    msgs = [{"role": "user", "content": prompt}] + ([{"role": "assistant", "content": answer}] if answer is not None else [])
    return {"id": rid, "messages": msgs, "category": skill, "skill": skill, "split": "eval" if answer is None else "train", "source": "t", **extra}


MATH = row("e-math", "What is 23 + 34?", normalized_answer="57", problem={"op": "+", "a": 23, "b": 34, "result": 57}, group="math:+:23:34")
SPELL = row("e-spell", 'What is the first letter of "lantern"?', skill="spelling", normalized_answer="l",
            problem={"mode": "first", "word": "lantern", "letter": None, "result": "l"})
REVERSE = row("e-rev", 'Write "orchard" backwards.', skill="spelling", normalized_answer="drahcro")
CHOICE = row("e-choice", "Which of these is a planet?\nA. Mars\nB. Paris\nC. Lemon\nD. Violin\nAnswer with the letter.", skill="choice",
             choices=["Mars", "Paris", "Lemon", "Violin"], correct_choice="A", normalized_answer="a")
STORY = row("e-story", "Xena starts the day with 90 balloons and sells 84. How many balloons are unsold?", normalized_answer="6",
            problem={"op": "-", "a": 90, "b": 84, "result": 6})
EVAL = [MATH, SPELL, REVERSE, CHOICE, STORY]
CLEAN_SFT = [row(f"s{i}", f"What is {i} + {i + 40}?", str(2 * i + 40), problem={"op": "+", "a": i, "b": i + 40, "result": 2 * i + 40})
             for i in range(10, 20)] + [row("s-word", 'What is the first letter of "meadow"?', "m", skill="spelling")]
FILLER = "The museum opens at nine and closes late on Fridays, when the garden cafe stays open too."


def failing(eval_rows, sft=(), corpus=()):
    rep = scan(eval_rows=eval_rows, sft_rows=[*CLEAN_SFT, *sft], corpus=(lambda: ((f"d{i}", t) for i, t in enumerate(corpus))) if corpus else None,
               show_progress=False)
    return {f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"}, rep


def test_clean_rows_are_ready_and_counts_list_every_kind():
    bad, rep = failing(EVAL, corpus=[FILLER])
    # the spelling prompt shares its template with an SFT row about another word: a paraphrase caution, no leak
    assert not bad and rep["status"] == "caution" and [f["kind"] for f in rep["findings"]] == ["near_sft_prompt"]
    assert set(FINDING_KINDS) <= set(rep["counts"]) and sum(rep["counts"][k] for k in FINDING_KINDS) == 1
    assert rep["counts"]["eval_prompts_warned"] == 1 and rep["summary"].startswith("0 of 5 eval prompts leak; 1 more have cautions only")


@pytest.mark.parametrize(
    ("target", "leak_prompt", "answer"),
    [
        (MATH, "What is 23 + 34?", "57"),  # exact, short
        (MATH, "WHAT IS 23+34!!", "57"),  # case and punctuation
        (MATH, "Evaluate 23 + 34.", "57"),  # reworded short (signature)
        (MATH, "Compute 23 plus 34 for me.", "The sum is 57."),  # operator word
        (MATH, "My homework says: what is 23 + 34? Please explain.", "It is 57."),  # embedded in a longer prompt
        (SPELL, 'First letter of "lantern"?', "l"),  # shortened spelling
        (REVERSE, 'Reverse "orchard".', "drahcro"),  # quoted word signature, no problem field
        (STORY, "Xena had 90 balloons and sold 84 of them; how many remain?", "6 balloons remain."),  # reworded word problem
        (CHOICE, "Pick the planet. A. Mars B. Paris C. Lemon D. Violin", "A"),  # options
    ],
)
def test_planted_sft_leaks_are_caught(target, leak_prompt, answer):
    bad, rep = failing(EVAL, sft=[row("leak", leak_prompt, answer, skill="general")])
    assert target["id"] in bad, rep["findings"]
    assert bad == {target["id"]}
    assert rep["counts"]["eval_prompts_failing"] == 1 and rep["summary"].startswith("1 of 5 eval prompts leak (")


def test_reworded_copy_with_the_canonical_problem_is_caught():
    leak = row("leak", "Add twenty-three and thirty-four.", "57", problem={"op": "+", "a": 23, "b": 34, "result": 57})
    bad, rep = failing(EVAL, sft=[leak])
    assert bad == {"e-math"} and rep["counts"]["sft_canonical_with_answer"] == 1


def test_leak_inside_an_assistant_answer_is_caught():
    leak = row("leak", "Give me an example question with its answer.", "Example: What is 23 + 34? Answer: 57.", skill="general")
    assert failing(EVAL, sft=[leak])[0] == {"e-math"}


def test_same_operands_with_another_answer_or_order_are_not_leaks():
    other = [row("l1", "What is 34 + 23?", "57", skill="general"), row("l2", "What is 23 - 34?", "-11", skill="general"),
             row("l3", "What is 23 + 34?", "I am not sure.", skill="general")]
    bad, rep = failing(EVAL, sft=other)
    assert "e-math" in bad  # l3 is the exact prompt: a leak of the question even without the answer
    bad, rep = failing(EVAL, sft=other[:2])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(
    ("target", "doc"),
    [
        (MATH, f"{FILLER} What is 23 + 34? The answer is 57. {FILLER}"),  # short question with its answer
        (MATH, f"{FILLER} In class we learned that 23 + 34 = 57 and more. {FILLER}"),  # signature with answer
        (STORY, f"{FILLER} Xena starts the day with 90 balloons and sells 84. How many balloons are unsold? 6. {FILLER}"),
        (STORY, f"{FILLER} Question: Xena starts the day with 90 balloons and sells 84. How many balloons are unsold? Answer: 6"),
        (CHOICE, f"{FILLER}\nA. Mars\nB. Paris\nC. Lemon\nD. Violin\n{FILLER}"),  # options only
        (REVERSE, f'{FILLER} The word "orchard" backwards is drahcro. {FILLER}'),
    ],
)
def test_planted_corpus_leaks_are_caught(target, doc):
    bad, rep = failing(EVAL, corpus=[FILLER, doc])
    assert bad == {target["id"]}, rep["findings"]


def test_short_prompt_without_its_answer_and_weak_corpus_signatures_are_cautions():
    _, rep = failing(EVAL, corpus=[f"{FILLER} What is 23 + 34? Nobody knows. {FILLER}"])
    assert rep["status"] == "caution" and rep["counts"]["corpus_short_prompt_hit"] == 1
    small = row("e-small", "What is 1 + 2?", normalized_answer="3", problem={"op": "+", "a": 1, "b": 2, "result": 3})
    bad, rep = failing([*EVAL, small], corpus=["self.assertEqual((1 + 2), 3)"])
    assert not bad and rep["counts"]["corpus_signature_weak"] == 1
    bad, rep = failing(EVAL, corpus=["ages = {90: 172, 84: 484, 6: 387}  # a table, not the word problem"])
    assert not bad and rep["counts"]["corpus_signature_weak"] == 1


def test_a_shared_instruction_sentence_is_template_not_a_leak():
    ins = "Please answer the following question in one short sentence:"
    ev = [row("e-q", f"{ins} Which river flows through the old city of Prague?", skill="general", must_include=["Vltava"])]
    sft = [row(f"s-ins{i}", f"{ins} {q}", a, skill="general") for i, (q, a) in
           enumerate([("Who wrote the play Hamlet?", "Shakespeare."), ("What colour is a ripe banana?", "Yellow."),
                      ("Which planet is closest to the sun?", "Mercury.")])]
    bad, rep = failing(ev, sft=sft)
    assert not bad and rep["counts"]["boilerplate_ngrams"] > 0, rep["findings"]
    leaked = [*sft, row("s-leak", f"{ins} Which river flows through the old city of Prague?", "The Vltava.", skill="general")]
    assert failing(ev, sft=leaked)[0] == {"e-q"}


def test_reworded_long_prompt_with_answer_fails_and_without_answer_warns():
    ev = [row("e-long", "Which river flows through the old city of Prague and then joins the Elbe further north?", skill="general",
              reference_answer="The Vltava")]
    para = "Which river runs through the old city of Prague and then joins the Elbe further to the north?"
    bad, rep = failing(ev, sft=[row("s-para", para, "The Vltava.", skill="general")])
    assert bad == {"e-long"} and rep["counts"]["near_sft_prompt_with_answer"] + rep["counts"]["sft_ngram_leak"] >= 1
    bad, rep = failing(ev, sft=[row("s-para", para, "I am not sure about that one.", skill="general")])
    assert rep["counts"]["near_sft_prompt"] + rep["counts"]["sft_ngram_leak"] >= 1


def test_clean_task_pack_is_not_blocked_by_templates(tmp_path):
    paths = build_task_pack(tmp_path / "p", sft_rows=400, eval_rows=120, seed=0, answer_style="direct", profile="capability")
    ev, sft = read_rows(paths["eval"]), read_rows(paths["sft"])
    rep = scan(eval_rows=ev, sft_rows=sft, show_progress=False)
    fails = [f for f in rep["findings"] if f["severity"] == "fail"]
    # the only fails allowed are true duplicates: an SFT row holding the very same canonical problem with its answer
    assert all(f["kind"] == "sft_canonical_with_answer" for f in fails), fails
    # planting the eval rows' own prompts and answers into the SFT rows blocks every planted row
    planted = [row(f"leak{i}", prompt_text(r), answer_text(r), skill="general") for i, r in enumerate(ev[:30])]
    rep = scan(eval_rows=ev, sft_rows=sft + planted, show_progress=False)
    leaking = {f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"}
    assert {r["id"] for r in ev[:30]} <= leaking


def test_gate_sentence_states_the_true_numbers():
    from picochat_hf.honesty.leaks import describe_leaks

    _, rep = failing(EVAL, sft=[row("leak", "Evaluate 23 + 34.", "57", skill="general")], corpus=[f"{FILLER}\nA. Mars\nB. Paris\nC. Lemon\nD. Violin"])
    text = describe_leaks(rep["counts"])
    assert text.startswith("2 of 5 eval prompts leak into SFT rows or the corpus (")
    assert "sft_signature_with_answer 1" in text and "corpus_options 1" in text and "more have cautions only" in text


@pytest.mark.parametrize(("leak_prompt", "answer"), [
    ("Which of these is a planet?", "Mars"),  # the question and its answer, without the distractors
    ("Which of these is a planet: Violin, Lemon, Paris or Mars?", "Mars."),  # options reordered, answer as text
    ("Quiz time. Which of these is a planet? Think first.", "It is Mars."),
])
def test_choice_question_with_its_right_option_text_is_a_leak(leak_prompt, answer):
    bad, rep = failing(EVAL, sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {"e-choice"}, rep["findings"]
    bad, rep = failing(EVAL, sft=[row("other", "Which of these is a planet?", "Venus", skill="general")])
    assert not bad, rep["findings"]


@pytest.mark.parametrize("answer", ["d r a h c r o", "D-R-A-H-C-R-O", "d, r, a, h, c, r, o"])
def test_spelling_answer_spelled_out_letter_by_letter_is_a_leak(answer):
    bad, rep = failing(EVAL, sft=[row("leak", "Spell orchard in reverse, one letter at a time.", answer, skill="general")])
    assert bad == {"e-rev"}, rep["findings"]


BIG = row("e-big", "What is 1200 + 3400?", normalized_answer="4600", problem={"op": "+", "a": 1200, "b": 3400, "result": 4600})
SUB = row("e-sub", "What is 90 - 84?", normalized_answer="6", problem={"op": "-", "a": 90, "b": 84, "result": 6})


@pytest.mark.parametrize(("target", "leak_prompt", "answer"), [
    (BIG, "What is 1,200 + 3,400?", "4,600"),  # thousands separators
    (BIG, "Add 1\u202f200 plus 3\u202f400.", "4600"),
    (SUB, "What is 90 \u2212 84?", "6"),  # the minus sign
    (SUB, "Calc 90 \u2013 84", "6"),  # an en dash
])
def test_reformatted_numbers_and_minus_signs_are_the_same_item(target, leak_prompt, answer):
    bad, rep = failing([target, MATH], sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {target["id"]}, rep["findings"]


@pytest.mark.parametrize(("leak_prompt", "answer"), [
    ("What is twenty-three plus thirty-four?", "Fifty-seven."),  # all in words
    ("Add twenty three and thirty four: twenty-three plus thirty four", "57"),  # words, digit answer
    ("Compute 23 plus thirty-four.", "It is fifty seven."),  # mixed
    ("twenty-three + thirty-four", "fifty-seven"),
])
def test_spelled_out_numbers_are_the_same_item(leak_prompt, answer):
    bad, rep = failing(EVAL, sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {"e-math"}, rep["findings"]
    bad, rep = failing(EVAL, corpus=[FILLER, f"{FILLER} {leak_prompt} {answer} {FILLER}"])
    assert "e-math" in bad, rep["findings"]


def test_spelled_out_numbers_of_another_item_are_not_leaks():
    other = [row("l1", "What is twenty-three plus thirty-five?", "Fifty-eight.", skill="general"),
             row("l2", "What is thirty-four plus twenty-three?", "fifty-seven", skill="general"),
             row("l3", "What is twenty-three minus thirty-four?", "minus eleven", skill="general")]
    bad, rep = failing(EVAL, sft=other)
    assert not bad, rep["findings"]


CAPITAL = row("e-cap", "Name the capital city of France.\n\nA. Rome\nB. Paris\nC. Oslo\nD. Lima\n\nGive only the letter of the right answer.",
              skill="choice", choices=["Rome", "Paris", "Oslo", "Lima"], correct_choice="B", normalized_answer="b")
DAY = row("e-day", "What day follows Monday?\nA. Friday\nB. Tuesday\nC. Sunday\nD. Thursday\nReply with one letter.", skill="choice",
          choices=["Friday", "Tuesday", "Sunday", "Thursday"], correct_choice="B", normalized_answer="b")


@pytest.mark.parametrize(("leak_prompt", "answer", "extra"), [
    ("Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Rome\nAnswer with the letter.", "C", {}),  # reordered
    ("France's capital? (A) Oslo (B) Paris (C) Rome (D) Lima", "The answer is B.", {}),  # inline, relettered order
    ("Capital of France:\nA) Paris\nB) Rome\nC) Lima\nD) Oslo", "Paris", {}),  # answered with the option's text
    ("Quiz: the capital of France is which one?\nA. Oslo\nB. Lima\nC. Rome\nD. Paris", "D",
     {"choices": ["Oslo", "Lima", "Rome", "Paris"], "correct_choice": "D"}),  # a task-pack style row
])
def test_reworded_choice_copy_with_reordered_options_is_a_leak(leak_prompt, answer, extra):
    bad, rep = failing([CAPITAL, DAY], sft=[row("leak", leak_prompt, answer, skill="general", **extra)])
    assert bad == {"e-cap"} and rep["counts"]["sft_choice_copy_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize(("other_prompt", "answer"), [
    ("Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Rome", "A"),  # same options, wrong choice
    ("Which city is the capital of Peru?\nA. Lima\nB. Oslo\nC. Paris\nD. Rome", "C"),  # another question (entity differs)
    ("Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Bern", "C"),  # another option set
])
def test_choice_rows_that_are_not_the_item_are_not_leaks(other_prompt, answer):
    bad, rep = failing([CAPITAL, DAY], sft=[row("other", other_prompt, answer, skill="general")])
    assert "e-cap" not in bad and rep["counts"]["sft_choice_copy_with_answer"] == 0, rep["findings"]
    # the same options and answer asked about another day are another question
    before = row("s-day", "Which day comes just before Wednesday?\nA. Sunday\nB. Thursday\nC. Tuesday\nD. Friday", "C", skill="general")
    bad, rep = failing([CAPITAL, DAY], sft=[before])
    assert not bad and rep["counts"]["sft_choice_copy_with_answer"] == 0, rep["findings"]


def test_task_pack_choice_items_with_other_keys_are_not_copies():
    """Two units items with the same options and answer ("10 hours in minutes", "10 minutes in seconds": 600)
    carry different canonical keys, so they are different questions."""
    hours = row("e-units", "What is 10 hours expressed in minutes?\nA. 600\nB. 100\nC. 70\nD. 1000\nReply with one letter.", skill="choice",
                choices=["600", "100", "70", "1000"], correct_choice="A", problem={"family": "units", "key": "minutes:hours:10"})
    minutes = row("s-units", "How many minutes is 10 hours, or 10 minutes in seconds?\nA. 600\nB. 100\nC. 1000\nD. 70", "A", skill="choice",
                  choices=["600", "100", "1000", "70"], correct_choice="A", problem={"family": "units", "key": "seconds:minutes:10"})
    bad, rep = failing([hours], sft=[minutes])
    assert rep["counts"]["sft_choice_copy_with_answer"] == 0, rep["findings"]
    unkeyed = {k: v for k, v in minutes.items() if k != "problem"}
    bad, rep = failing([hours], sft=[unkeyed])
    assert bad == {"e-units"} and rep["counts"]["sft_choice_copy_with_answer"] == 1, rep["findings"]


UNITS7 = row("e-units7", "What is 7 kilometers expressed in meters?\nA. 700\nB. 7000\nC. 70\nD. 70000\nReply with one letter.", skill="choice",
             choices=["700", "7000", "70", "70000"], correct_choice="B", normalized_answer="b")
FRANCE_Q = "Which city is the capital of France?\n"


@pytest.mark.parametrize(("target", "leak_prompt", "answer"), [
    (CAPITAL, FRANCE_Q + "a) Lima\nb) Oslo\nc) Paris\nd) Rome", "c"),  # lowercase option letters
    (CAPITAL, FRANCE_Q + "A. Lima\nB. Oslo\nC. Paris\nD. Rome", "The correct answer is C."),  # letter in a sentence
    (CAPITAL, FRANCE_Q + "A. Lima\nB. Oslo\nC. Paris\nD. Rome", "It's C."),
    (CAPITAL, FRANCE_Q + "A. Lima\nB. Oslo\nC. Paris\nD. Rome", "Paris is the capital."),  # the option's text in a sentence
    (CAPITAL, FRANCE_Q + "A. Lima\nB. Paris\nC. Rome", "B"),  # shortened: a distractor dropped
    (CAPITAL, FRANCE_Q + "A. Paris\nB. Rome", "A"),
    (UNITS7, "How many meters are in seven kilometers?\nA. 70\nB. 700\nC. 7000\nD. 70000", "C"),  # the entity in words
])
def test_choice_copy_in_other_answer_forms_shortened_or_spelled_is_a_leak(target, leak_prompt, answer):
    bad, rep = failing([CAPITAL, DAY, UNITS7], sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {target["id"]} and rep["counts"]["sft_choice_copy_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize(("other_prompt", "answer"), [
    (FRANCE_Q + "a) Lima\nb) Oslo\nc) Paris\nd) Rome", "a"),  # lowercase letters, wrong choice
    (FRANCE_Q + "A. Lima\nB. Oslo\nC. Paris\nD. Rome", "Not C: Lima is not it either; the answer is A or C."),  # no single choice
    (FRANCE_Q + "A. Lima\nB. Paris\nC. Bern", "B"),  # an option the item does not have
    ("How many meters are in eight kilometers?\nA. 70\nB. 700\nC. 7000\nD. 70000", "C"),  # another number in words
])
def test_choice_rows_in_other_forms_that_do_not_copy_the_item_are_not_leaks(other_prompt, answer):
    bad, rep = failing([CAPITAL, DAY, UNITS7], sft=[row("other", other_prompt, answer, skill="general")])
    assert not bad and rep["counts"]["sft_choice_copy_with_answer"] == 0, rep["findings"]


@pytest.mark.parametrize(("target", "leak_prompt", "answer"), [
    (STORY, "Xena had ninety balloons and sold eighty-four of them; how many remain?", "6 balloons remain."),  # word problem
    (STORY, "Xena had ninety balloons and sold 84 of them; how many remain?", "Six."),
    (row("e-big", "What is 123 + 456?", normalized_answer="579", problem={"op": "+", "a": 123, "b": 456, "result": 579}),
     "What is a hundred and twenty-three plus four hundred and fifty-six?", "579"),  # "a hundred"
])
def test_word_problems_and_a_hundred_in_words_are_the_same_item(target, leak_prompt, answer):
    bad, rep = failing([*EVAL, target], sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {target["id"]}, rep["findings"]


def test_a_word_problem_with_other_operands_in_words_is_not_a_leak():
    bad, rep = failing(EVAL, sft=[row("other", "Xena had ninety balloons and sold eighty-three of them; how many remain?", "Seven.")])
    assert not bad, rep["findings"]


def test_apostrophes_are_not_quotes_around_an_entity():
    """"France's capital? It's ..." quotes nothing: its entity is France, and a reworded copy naming France is a leak."""
    item = row("e-ap", "Which city is France's capital? It's a well-known one.\nA. Rome\nB. Paris\nC. Oslo\nD. Lima", skill="choice",
               choices=["Rome", "Paris", "Oslo", "Lima"], correct_choice="B", normalized_answer="b")
    copy = row("leak", "Which city is the capital of France?\nA. Lima\nB. Oslo\nC. Paris\nD. Rome", "C", skill="general")
    bad, rep = failing([item], sft=[copy])
    assert bad == {"e-ap"} and rep["counts"]["sft_choice_copy_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize(("leak_prompt", "answer"), [
    ("Which city is the capital of France?\n1. Lima\n2. Oslo\n3. Paris\n4. Rome", "3"),
    ("Capital of France?\n1) Rome\n2) Paris\n3) Lima\n4) Oslo", "The answer is 2."),
    ("Name France's capital.\n1. Oslo\n2. Lima\n3. Rome\n4. Paris", "Paris"),
])
def test_choice_copy_with_numbered_options_is_a_leak(leak_prompt, answer):
    bad, rep = failing([CAPITAL, DAY], sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {"e-cap"} and rep["counts"]["sft_choice_copy_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize("answer", ["1", "2 or 3", "Option 4."])
def test_numbered_choice_rows_with_another_or_no_single_answer_are_not_copies(answer):
    prompt = "Which city is the capital of France?\n1. Lima\n2. Oslo\n3. Paris\n4. Rome"
    bad, rep = failing([CAPITAL, DAY], sft=[row("other", prompt, answer, skill="general")])
    assert rep["counts"]["sft_choice_copy_with_answer"] == 0, rep["findings"]


def convo(rid, *turns, skill="general"):
    msgs = [{"role": role, "content": text} for role, text in turns]
    return {"id": rid, "messages": msgs, "category": skill, "skill": skill, "split": "train", "source": "t"}


IDENTITY = row("e-id", "Which model am I chatting with?", skill="identity",
               reference_answer="I'm Picochat, a tiny open language model.")


@pytest.mark.parametrize(
    ("target", "turns"),
    [
        # the answer in an earlier assistant turn, not the last one
        (MATH, [("user", "My homework: what is 23 + 34?"), ("assistant", "57"), ("user", "Thanks!"), ("assistant", "You're welcome.")]),
        (STORY, [("user", "Xena had 90 balloons and sold 84 of them; how many remain?"), ("assistant", "6 balloons remain."),
                 ("user", "And in words?"), ("assistant", "Six.")]),
        # the eval prompt copied as one turn of a longer conversation (identity answers are not checked: the copy is the leak)
        (IDENTITY, [("user", "Hello!"), ("assistant", "Hi, how can I help?"),
                    ("user", "Which model am I chatting with?"), ("assistant", "Sure.")]),
        (MATH, [("system", "What is 23 + 34?"), ("user", "Say hi."), ("assistant", "Hi!")]),  # copied into the system turn
    ],
)
def test_leaks_in_any_turn_of_a_conversation_are_caught(target, turns):
    bad, rep = failing([*EVAL, IDENTITY], sft=[convo("leak", *turns)])
    assert bad == {target["id"]}, rep["findings"]


def test_conversations_about_other_items_are_not_leaks():
    other = convo("c", ("user", "What is 23 + 35?"), ("assistant", "58"), ("user", "Which model are you?"),
                  ("assistant", "I'm Picochat."), ("user", "Thanks!"), ("assistant", "You're welcome."))
    bad, rep = failing([*EVAL, IDENTITY], sft=[other])
    assert not bad, rep["findings"]


MUL = row("e-mul", "Give the answer to 12 × 31.", normalized_answer="372", problem={"op": "*", "a": 12, "b": 31, "result": 372})


@pytest.mark.parametrize(
    ("target", "leak_prompt", "answer"),
    [
        (REVERSE, 'Reverse "or\u00adchard".', "drahcro"),  # soft hyphen inside the word
        (REVERSE, 'Reverse "orc\u200bhard".', "drah\u200dcro"),  # zero-width space and joiner
        (SPELL, 'First letter of "l\u0430ntern"?', "l"),  # Cyrillic a
        (SPELL, 'FIRST LETTER OF "L\u0410NT\u0415RN"?', "L"),  # Cyrillic capitals
        (MUL, "Show the record.", '{"q": "Give the answer to 12 \\u00d7 31.", "a": "372"}'),  # JSON with an ASCII escape
        (MUL, "What is 12·31?", "372"),  # middle dot as the times sign
    ],
)
def test_invisible_characters_homoglyphs_and_escapes_do_not_hide_a_leak(target, leak_prompt, answer):
    bad, rep = failing([*EVAL, MUL], sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {target["id"]}, rep["findings"]


def test_normalisation_reads_invisible_characters_homoglyphs_and_escapes():
    from picochat_hf.honesty.normalize import words

    assert words("nec\u00adess\u200bary P\u0430ris") == ["necessary", "paris"]
    assert words('"12 \\u00d7 3\\nA. Oslo"') == ["12", "×", "3", "a", "oslo"]
    assert words("3·4") == words("3 × 4") == ["3", "×", "4"]
    assert words("Мир") == words("мир") == ["mиp"]  # other-script words map the same way on both sides


SUB = row("e-sub", "Give the answer to 93 - 71.", normalized_answer="22", problem={"op": "-", "a": 93, "b": 71, "result": 22})
STORY5 = row("e-story5", "Gus had 42 acorns and lost 5. How many acorns are left?", normalized_answer="37",
             problem={"op": "-", "a": 42, "b": 5, "result": 37})
WORDED = [*EVAL, SUB, MUL, STORY5]


@pytest.mark.parametrize(
    ("target", "leak_prompt", "answer"),
    [
        (MATH, "What is the sum of 23 and 34?", "57"),
        (MATH, "Add 23 and 34.", "57"),
        (MATH, "Quick fact?", "Adding twenty-three to thirty-four gives fifty-seven."),
        (SUB, "Subtract 71 from 93.", "22"),
        (SUB, "What is the difference between 93 and 71?", "It is 22."),
        (SUB, "93 take away 71?", "22"),
        (MUL, "Multiply 12 by 31.", "372"),
        (MUL, "What is the product of 12 and 31?", "372"),
        (STORY5, "There were 42 items and 5 were removed. What remains?", "37"),  # a one-digit operand
    ],
)
def test_operand_expressions_in_other_phrasings_are_the_same_item(target, leak_prompt, answer):
    bad, rep = failing(WORDED, sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {target["id"]}, rep["findings"]


@pytest.mark.parametrize(
    ("other_prompt", "answer"),
    [("What is the sum of 23 and 35?", "58"), ("Subtract 93 from 171.", "78"), ("What is the difference between 93 and 70?", "23"),
     ("Multiply 12 by 32.", "384"), ("There were 42 items and 6 were removed. What remains?", "36"),
     ("Add 23 and 34 marbles to the bag.", "Done, the bag is full.")],
)
def test_other_phrasings_of_other_items_are_not_leaks(other_prompt, answer):
    bad, rep = failing(WORDED, sft=[row("other", other_prompt, answer, skill="general")])
    assert not bad, rep["findings"]


def test_math_phrasings_come_from_the_config_and_a_bad_one_names_its_field(tmp_path):
    from picochat_hf.honesty import load_scan_config
    from picochat_hf.utils.errors import PicochatInputError

    (tmp_path / "bad.yaml").write_text('math_phrasings:\n  "+": ["sum of {a}"]\n', encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"math_phrasings\.\+"):
        load_scan_config(tmp_path / "bad.yaml")
    cfg = load_scan_config(math_phrasings={"+": ["{a} + {b}", "{a} with {b} gives"]})
    leak = row("leak", "Tell me.", "23 with 34 gives 57", skill="general")
    rep = scan(eval_rows=EVAL, sft_rows=[*CLEAN_SFT, leak], config=cfg, show_progress=False)
    assert {f["eval_id"] for f in rep["findings"] if f["severity"] == "fail"} == {"e-math"}
    assert rep["config"]["math_phrasings"]["+"][1] == "{a} with {b} gives"


OPENING = row("e-open", 'Name the opening letter of "something".', skill="spelling", normalized_answer="s",
              problem={"mode": "first", "word": "something", "letter": None, "result": "s"})


@pytest.mark.parametrize(
    ("other_prompt", "answer"),
    [
        ('What\'s the last letter of "something"?', "g"),  # another question about the word; "What's" holds no letter "s"
        ("Can you share Rania Dubois's bank details?", "That is not something I can share."),
        ('Write a sentence with "something" in it.', "It's something."),
    ],
)
def test_contractions_and_other_questions_about_the_word_are_not_spelling_leaks(other_prompt, answer):
    bad, rep = failing([*EVAL, OPENING], sft=[row("other", other_prompt, answer, skill="general")])
    assert not bad, rep["findings"]
    bad, rep = failing([*EVAL, OPENING], sft=[row("leak", 'First letter of "something"?', "It's s.", skill="general")])
    assert bad == {"e-open"}, rep["findings"]


@pytest.mark.parametrize(
    ("other_prompt", "answer"),
    [('Which letter comes last in "keyway"?', "y"), ('Which letter comes last in "cawkx"?', "y")],
)
def test_the_same_template_about_another_word_is_no_paraphrase_leak(other_prompt, answer):
    last = row("e-last", 'Which letter comes last in "cawky"?', skill="spelling", normalized_answer="y",
               problem={"mode": "last", "word": "cawky", "letter": None, "result": "y"})
    bad, rep = failing([*EVAL, last], sft=[row("other", other_prompt, answer, skill="general")])
    assert not bad, rep["findings"]


def mc(rid, question, choices, gold):
    prompt = question + "\n" + "\n".join(f"{'ABCD'[k]}. {c}" for k, c in enumerate(choices)) + "\nGive only the letter of the right answer."
    return row(rid, prompt, skill="choice", choices=choices, correct_choice=gold, normalized_answer=gold.lower())


SERBIA = mc("e-capital", "The capital of Serbia is which city?", ["Budapest", "Baghdad", "Belgrade", "New Delhi"], "C")
UNITS = mc("e-units", "What is 7 kilometers expressed in meters?", ["7000", "700", "8000", "70000"], "A")
ANTONYM = mc("e-antonym", 'Choose the antonym of "lose".', ["win", "dangerous", "pull", "long"], "A")
KEYED = [*EVAL, SERBIA, UNITS, ANTONYM]


@pytest.mark.parametrize(
    ("target", "leak_prompt", "answer"),
    [
        (SERBIA, "Capital of Serbia?", "Belgrade."),  # only the key span, no options
        (SERBIA, "Which city is the capital of Serbia?", "The capital of Serbia is Belgrade, not Budapest."),
        (UNITS, "7 kilometers in meters?", "7000"),
        (ANTONYM, 'Opposite of "lose"?', "Win."),
    ],
)
def test_a_choice_question_asked_without_its_options_and_answered_is_a_leak(target, leak_prompt, answer):
    bad, rep = failing(KEYED, sft=[row("leak", leak_prompt, answer, skill="general")])
    assert bad == {target["id"]}, rep["findings"]


@pytest.mark.parametrize(
    ("other_prompt", "answer"),
    [("Capital of Hungary?", "Budapest."), ("7 liters in milliliters?", "7000"), ('Use "lose" in a sentence.', "Don't lose hope; you can still win."),
     ("Capital of Serbia?", "Not Budapest, and not Baghdad."), ("Is Belgrade or Budapest the capital of Serbia?", "Belgrade or Budapest, I forget."),
     ("Which one is a planet?", "Mars.")],
)
def test_other_questions_answered_with_an_option_text_are_not_leaks(other_prompt, answer):
    bad, rep = failing(KEYED, sft=[row("other", other_prompt, answer, skill="general")])
    assert not bad, rep["findings"]


def test_a_word_problem_told_with_its_operands_in_the_other_order_is_a_leak():
    leak = row("leak", "Tell me a story.", "Xena sold 84 of her 90 balloons, so 6 were left.", skill="general")
    assert failing(EVAL, sft=[leak])[0] == {"e-story"}
    other = row("other", "Tell me a story.", "Xena sold 84 of her 91 balloons, so 7 were left.", skill="general")
    bad, rep = failing(EVAL, sft=[other])
    assert not bad, rep["findings"]


@pytest.mark.parametrize("quoted", ["‘orchard’", "“orchard”", "«orchard»"])
def test_a_spelling_word_in_any_quotes_is_the_items_word(quoted):
    ev = [row("e-rev2", f"Write {quoted} backwards.", skill="spelling", normalized_answer="drahcro")]
    bad, rep = failing(ev, sft=[row("leak", "Reverse the word orchard.", "d-r-a-h-c-r-o", skill="general")])
    assert bad == {"e-rev2"}, rep["findings"]
    bad, rep = failing(ev, sft=[row("other", "Reverse the word orchid.", "dihcro", skill="general")])
    assert not bad, rep["findings"]


AUTHOR = row("e-author", "Who wrote the novel Moby-Dick about the whaling ship Pequod?", skill="general", reference_answer="Herman Melville")


@pytest.mark.parametrize(
    ("prompt", "answer", "leak"),
    [
        ("Which author wrote Moby-Dick, the story of the Pequod?", "Herman Melville wrote it.", True),
        ("Moby-Dick, about the whaling ship Pequod: who wrote that novel?", "It was Herman Melville.", True),
        ("Which author wrote Moby-Dick, the story of the Pequod?", "I am not sure.", False),  # no answer
        ("Who wrote the novel Dracula about Count Dracula?", "Bram Stoker", False),  # other entities
        ("Name a famous whaling ship.", "The Pequod, from a novel by Herman Melville.", False),  # Moby-Dick not asked
    ],
)
def test_a_free_form_question_reworded_with_its_answer_is_a_leak(prompt, answer, leak):
    bad, rep = failing([*EVAL, AUTHOR], sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({"e-author"} if leak else set()), rep["findings"]


def test_a_question_split_over_two_user_turns_is_read_whole():
    leak = convo("leak", ("user", "What is 23 +"), ("assistant", "Go on."), ("user", "34?"), ("assistant", "57"))
    assert failing(EVAL, sft=[leak])[0] == {"e-math"}


@pytest.mark.parametrize(("prompt", "answer"), [("Name a word that starts with l.", "lantern"), ("Give me a word beginning with the letter l.", "Lantern.")])
def test_a_word_given_for_a_letter_does_not_answer_the_letter_of_that_word(prompt, answer):
    bad, rep = failing(EVAL, sft=[row("other", prompt, answer, skill="general")])
    assert not bad, rep["findings"]
    bad, rep = failing(EVAL, sft=[row("leak", 'Which letter does "lantern" begin with?', "It begins with l.", skill="general")])
    assert bad == {"e-spell"}, rep["findings"]


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ("Tell me a fact.", "L is the first letter of lantern.", True),  # the letter before its word, in one message
    ('Is "l" the first letter of "lantern"?', "Yes.", True),  # the user turn states the answer
    ("Quick quiz, please.", "Sure: l. That is how lantern starts.", True),
    ("Name a word that starts with l.", "Lantern, for one.", False),  # the letter is the user's, the word the reply's
    ("Which letter does meadow start with?", "M. And lantern is a lamp.", False),  # another word's letter
])
def test_a_letter_answer_stated_before_its_word_in_one_message_is_a_leak(prompt, answer, leak):
    bad, rep = failing(EVAL, sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({"e-spell"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ("Xena starts the day with 90 balloons and sells 12. How many balloons are unsold?", "78", False),  # same template, another item
    ("Xena starts the day with 90 balloons and sells some. How many balloons are unsold?", "6", True),  # the item without its 84, answered
])
def test_a_word_problem_template_about_another_item_is_not_the_item(prompt, answer, leak):
    for extra in ({}, {"problem": {"op": "-", "a": 90, "b": 12, "result": 78}} if not leak else {}):
        bad, rep = failing(EVAL, sft=[row("s", prompt, answer, skill="math", **extra)])
        assert bad == ({"e-story"} if leak else set()), rep["findings"]
        assert leak or rep["counts"]["sft_ngram_overlap"] == 1


@pytest.mark.parametrize(("doc", "leak"), [
    ("Xena starts the day with 90 balloons and sells 12. How many balloons are unsold?", False),  # same template, another item
    ("Xena starts the day with 90 balloons and sells 12. How many balloons are unsold? 78", False),  # ... answered
    ("XENA STARTS THE DAY WITH 90 BALLOONS AND SELLS 48.  HOW MANY BALLOONS ARE UNSOLD?!", False),  # upper-cased, other number
    ("Xena starts the day with 90 balloons and sells 84. How many balloons are unsold?", True),  # the item itself
    ("Xena starts the day with 90 balloons and sells some. How many balloons are unsold? 6", True),  # without its 84, answered
    ("Xena starts the day with 90 balloons and sells eighty-four. How many balloons are unsold? 6", True),  # 84 in words, answered
])
def test_a_word_problem_template_about_another_item_in_the_corpus_is_not_the_item(doc, leak):
    bad, rep = failing(EVAL, corpus=[FILLER, f"{FILLER}\n{doc}\n{FILLER}"])
    assert bad == ({"e-story"} if leak else set()), rep["findings"]
    assert leak or rep["counts"]["corpus_ngram_overlap"] == 1


def test_the_items_question_with_a_number_spelled_and_no_answer_in_the_corpus_is_a_caution_at_least():
    doc = "Xena starts the day with ninety balloons and sells 84. How many balloons are unsold?"
    bad, rep = failing(EVAL, corpus=[FILLER, f"{FILLER}\n{doc}\n{FILLER}"])
    assert "e-story" in {f["eval_id"] for f in rep["findings"]}, rep["findings"]
