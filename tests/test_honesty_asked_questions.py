"""Questions asked in other words or places: an item's question cut to its key span, asked and answered in a
corpus document, inside an SFT answer, in one turn of a conversation or on a labelled "Q:" line, and word-problem
fragments; prose that states a fact without asking the item's question stays clean."""

from __future__ import annotations

import pytest
from test_honesty_leaks import ANTONYM, AUTHOR, EVAL, FILLER, KEYED, SERBIA, convo, failing, row

@pytest.mark.parametrize(
    ("prompt", "answer", "leak"),
    [
        ("Moby-Dick author?", "Herman Melville.", True),  # cut to its key span
        ("Who wrote Moby-Dick?", "It was Herman Melville.", True),
        ("Which novel is about a whale?", "Moby-Dick, by Herman Melville.", False),  # names no entity of the item's question
        ("Moby-Dick author?", "I am not sure.", False),  # no answer
        ("Who is the author of Dracula, not Moby-Dick?", "Bram Stoker, not Herman Melville.", False),  # names an entity the item does not have
    ],
)
def test_a_free_form_question_cut_to_its_key_span_with_its_answer_is_a_leak(prompt, answer, leak):
    bad, rep = failing([*EVAL, AUTHOR], sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({"e-author"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("prompt", "answer"), [("Serbia and Hungary: capital of Hungary?", "Budapest.")])
def test_a_cut_question_naming_another_entity_or_answering_otherwise_is_not_a_leak(prompt, answer):
    bad, rep = failing(KEYED, sft=[row("other", prompt, answer, skill="general")])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(
    ("target", "doc"),
    [
        (SERBIA, f"{FILLER} Capital of Serbia? Belgrade. {FILLER}"),  # cut to its key span, in prose
        (SERBIA, f'{FILLER}\n{{"q": "Which city is the capital of Serbia?", "a": "Belgrade"}}\n{FILLER}'),  # a JSON string
        (AUTHOR, f"{FILLER}\n\nMoby-Dick author?\nHerman Melville.\n\n{FILLER}"),  # answer on the next line
        (ANTONYM, f'# Opposite of "lose"? win\n{FILLER}'),  # a code comment
    ],
)
def test_an_items_question_asked_and_answered_in_a_corpus_document_is_a_leak(target, doc):
    bad, rep = failing([*KEYED, AUTHOR], corpus=[doc])
    assert bad == {target["id"]}, rep["findings"]
    assert rep["counts"]["corpus_signature_with_answer"] == 1


@pytest.mark.parametrize(
    "doc",
    [
        "Belgrade is the capital of Serbia and its largest city, where the Sava meets the Danube.",  # prose, no question
        "Herman Melville wrote Moby-Dick in 1851; the Pequod is its whaling ship.",
        "What is the capital of Serbia? Nobody in the class knew.",  # asked, not answered
        "Capital of Hungary? Budapest.",  # another item's question
        "Moby-Dick or Dracula: which did Herman Melville write? Herman Melville wrote one of them.",  # names Dracula
    ],
)
def test_prose_stating_the_fact_or_asking_without_the_answer_is_not_a_leak(doc):
    bad, rep = failing([*KEYED, AUTHOR], corpus=[f"{FILLER} {doc} {FILLER}"])
    assert not bad, rep["findings"]


def test_an_items_question_asked_and_answered_inside_an_sft_answer_is_a_leak():
    bad, rep = failing(KEYED, sft=[row("s", "Write one quiz line.", "Quiz: Capital of Serbia? Belgrade.", skill="general")])
    assert bad == {"e-capital"} and rep["counts"]["sft_signature_with_answer"] == 1, rep["findings"]


def test_a_count_answer_after_the_word_with_the_letter_asked_before_it_is_a_leak():
    ev = [row("e-count", 'How many "i" letters are in "sylleptic"?', skill="spelling", normalized_answer="1",
              problem={"mode": "count", "word": "sylleptic", "letter": "i", "result": 1})]
    bad, rep = failing(ev, sft=[row("leak", "Count the i's in sylleptic.", "1", skill="general")])
    assert bad == {"e-count"}, rep["findings"]
    bad, rep = failing(ev, sft=[row("other", "Count the e's in sylleptic.", "1", skill="general")])
    assert not bad, rep["findings"]


SHELF = row("e-shelf", "A shelf holds 84 buttons. Olive removes 78 of them. How many buttons stay on the shelf?", normalized_answer="6",
            problem={"op": "-", "a": 84, "b": 78, "result": 6}, group="math:story:84:78")


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ("A shelf holds 84 buttons and Olive removes most. How many stay?", "6 buttons stay on the shelf.", True),  # without its 78
    ("A shelf holds 84 buttons and Olive removes most. How many stay?", "Not many.", False),  # no answer
    ("A shelf holds 20 buttons and Olive removes 14. How many stay?", "6", False),  # another item with the same answer
    ("What do you get for 4 + 7?", "11", False),  # operands in the other order: another task-pack item
])
def test_a_word_problem_fragment_without_its_second_number_answered_is_a_leak(prompt, answer, leak):
    seven_four = row("e-74", "What number equals 7 + 4?", normalized_answer="11")
    bad, rep = failing([*EVAL, SHELF, seven_four], sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({"e-shelf"} if leak else set()), rep["findings"]


@pytest.mark.parametrize("leak", [
    convo("leak", ("user", "Capital of Serbia?"), ("assistant", "Belgrade."), ("user", "Thanks! And what is 2+2?"), ("assistant", "4")),
    convo("leak", ("system", "Capital of Serbia? Belgrade."), ("user", "Hi"), ("assistant", "Hello")),
    convo("leak", ("user", "Quiz me."), ("assistant", "Q: Capital of Serbia\nA: Belgrade")),
])
def test_an_items_question_answered_in_one_turn_of_a_conversation_is_a_leak(leak):
    bad, rep = failing(KEYED, sft=[leak])
    assert bad == {"e-capital"}, rep["findings"]


@pytest.mark.parametrize(("doc", "leak"), [
    ("Q: Capital of Serbia\nA: Belgrade\n\nQ: Author of Moby-Dick\nA: Herman Melville", True),  # labelled lines, no "?"
    # a header naming the item's relation over a row naming its entity gives the answer (test_honesty_fact_tables)
    ("| Country | Capital |\n|---|---|\n| Serbia | Belgrade |\n| Hungary | Budapest |", {"e-capital"}),
    ("Question: capital of Hungary\nAnswer: Budapest", False),  # another item
])
def test_a_labelled_question_line_with_its_answer_next_is_asked(doc, leak):
    bad, rep = failing([*KEYED, AUTHOR], corpus=[f"{FILLER}\n\n{doc}\n\n{FILLER}"])
    want = leak if isinstance(leak, set) else ({"e-capital", "e-author"} if leak else set())
    assert bad == want, rep["findings"]


def test_a_small_sum_asked_and_answered_in_a_corpus_is_a_caution_at_most():
    small = row("e-small", "What number equals 7 + 4?", normalized_answer="11", problem={"op": "+", "a": 7, "b": 4, "result": 11})
    bad, rep = failing([small, SHELF], corpus=[f"{FILLER}\nQuick one: 7 + 4 = ?\n11\n{FILLER}"])
    assert not bad and rep["counts"]["corpus_signature_weak"] == 1, rep["findings"]
    bad, rep = failing([small, SHELF], corpus=[f"{FILLER} A shelf holds 84 buttons and Olive removes most. How many stay? 6. {FILLER}"])
    assert bad == {"e-shelf"}, rep["findings"]


def test_a_number_after_a_stray_question_naming_one_operand_is_not_the_item():
    item = row("e-sum", "Can you figure out 22 + 76?", normalized_answer="98", problem={"op": "+", "a": 22, "b": 76, "result": 98})
    bad, rep = failing([item], corpus=["on were from? by. or was 351 been. have be or in 22 a which was. have? 98 have which of would"])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ("7 kilometers is a long walk; how long?", "About 7000 steps.", False),  # the item's quantity, another question
    ("Seven kilometers: how long is that walk?", "7000 steps or so.", False),
    ("How many steps is a 7 kilometers walk?", "7000", False),
    ("7 kilometers in meters?", "7000", True),
    ("How far is 7 kilometers?", "7000 meters.", True),  # the reply says what the number counts
    ("7 kilometers is how many meters?", "About 7000.", True),
    ("WHAT IS 7 KILOMETERS, EXPRESSED IN METERS???", "7,000", True),  # upper-cased, extra punctuation
])
def test_a_number_answer_needs_a_question_asking_what_the_item_asks(prompt, answer, leak):
    bad, rep = failing(KEYED, sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({"e-units"} if leak else set()), rep["findings"]
    bad, rep = failing(KEYED, sft=[row("s", "Quiz me.", f"{prompt} {answer}", skill="general")])  # asked and answered in one answer
    assert bad == ({"e-units"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("reply", "leak"), [("Six.", True), ("six buttons", True), ("Seven.", False), ("Sixty.", False)])
def test_a_number_answer_written_in_words_after_the_question_is_the_number(reply, leak):
    doc = f"{FILLER} A shelf holds 84 buttons and Olive removes most. How many stay? {reply} {FILLER}"
    bad, rep = failing([*EVAL, SHELF], corpus=[doc])
    assert bad == ({"e-shelf"} if leak else set()), rep["findings"]
    bad, rep = failing([*EVAL, SHELF], sft=[row("s", "Quiz me.", doc, skill="general")])
    assert bad == ({"e-shelf"} if leak else set()), rep["findings"]


def leaked_in_both(doc, eval_rows):
    """The items a document leaks as a corpus document and as the answer of an SFT row (the same rules read both)."""
    corpus, rep = failing(eval_rows, corpus=[f"{FILLER}\n\n{doc}\n\n{FILLER}"])
    sft, rep2 = failing(eval_rows, sft=[row("s", "Write some notes.", f"{FILLER}\n\n{doc}\n\n{FILLER}", skill="general")])
    return corpus, sft, (rep["findings"], rep2["findings"])


@pytest.mark.parametrize(("doc", "leak"), [
    ("| Capital of Serbia | Belgrade |", True),  # a fact table row whose first cell asks the item's question, no "?"
    ("| Question | Answer |\n|---|---|\n| Capital of Serbia | Belgrade |\n| Capital of Peru | Lima |", True),
    ("| Capital of Serbia | Longest river |\n|:--|--:|\n| Belgrade | Danube |", True),  # the question heads a column
    ("|   CAPITAL   OF   SERBIA   |   **Belgrade**   |", True),  # upper-cased, extra whitespace, emphasis
    ("Capital of Serbia | Belgrade", True),  # a row without its outer bars
    ("| Who wrote Moby-Dick | Herman Melville |", True),
    ("| Serbia | Belgrade |\n| Hungary | Budapest |", False),  # a fact table that names the entity only
    ("| Moby-Dick | Herman Melville |", False),
    ("| Capital of Hungary | Budapest |", False),  # another question
    ("| Capital of Serbia | Belgrade or Budapest? |", False),  # asked, not answered
    ("| Capital of Serbia | Population |\n|---|---|\n| Belgrade is big | 7 million |", True),  # the answer heads its cell
    ("| Capital of Serbia | Largest river |\n|---|---|\n| Danube | Belgrade |", False),  # the answer under another column
])
def test_a_table_cell_asking_an_items_question_with_its_answer_beside_it_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    want = ({"e-author"} if "Moby" in doc else {"e-capital"}) if leak else set()
    assert corpus == want and sft == want, findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia: Belgrade", True),  # a key and its value, no "?"
    ("The capital of Serbia - Belgrade.", True),
    ("capital of serbia = BELGRADE", True),
    ('{"capital of Serbia": "Belgrade", "capital of Peru": "Lima"}', True),  # JSON text
    ("- Capital of Peru: Lima\n- Capital of Serbia: Belgrade", True),  # in a list
    ("Country: Serbia. Capital: Belgrade.", False),  # an infobox: the key "Capital" names no entity
    ("Serbia: Belgrade is its capital and largest city.", False),  # the key is the entity alone
    ("Serbia (capital: Belgrade) borders Hungary.", False),  # a parenthesis in prose: the key is "capital"
    ("Capital of Serbia: a question the class could not answer.", False),
    ("Capital of Serbia: Belgrade or Budapest?", False),  # asked, not answered
    ("Capital of Hungary: Budapest", False),
])
def test_a_key_naming_an_items_question_with_its_answer_as_value_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


def test_the_question_reader_and_stem_settings_are_data():
    from picochat_hf.honesty import scan
    from picochat_hf.honesty.config import load_scan_config
    from picochat_hf.utils.errors import PicochatInputError

    doc = f"{FILLER} A shelf holds 84 buttons and Olive removes most. How many stay? 6. {FILLER}"
    for sentences, leak in ((3, True), (1, False)):  # one sentence: "How many stay?" names none of the item's numbers
        rep = scan(eval_rows=[*EVAL, SHELF], corpus=lambda: iter([("d", doc)]), show_progress=False,
                   config=load_scan_config(corpus_question_sentences=sentences))
        assert (rep["counts"]["corpus_signature_with_answer"] == 1) == leak, rep["findings"]
    planet = f"{FILLER}\nWhich of these is a planet? Mars.\n{FILLER}"  # a choice item's question with its answer
    for words, kind in ((50, "corpus_signature_weak"), (6, "corpus_signature_with_answer")):
        rep = scan(eval_rows=EVAL, corpus=lambda: iter([("d", planet)]), show_progress=False, config=load_scan_config(stem_min_words=words))
        assert rep["counts"][kind] == 1, rep["findings"]
    for bad in ({"corpus_question_sentences": 0}, {"stem_min_words": 0}):
        with pytest.raises(PicochatInputError):
            load_scan_config(**bad)


@pytest.mark.parametrize(("turns", "leak"), [
    ((("user", "Capital of Serbia?"), ("assistant", "Hmm, let me think."), ("user", "Well?"), ("assistant", "Belgrade.")), True),
    ((("user", "I have a question about Serbia."), ("assistant", "Sure."), ("user", "What is its capital city?"), ("assistant", "Belgrade.")), True),
    ((("user", "Capital of Serbia?"), ("assistant", "Maybe Budapest?"), ("user", "No, think again."), ("assistant", "Belgrade.")), True),
    ((("user", "Largest river in Serbia?"), ("assistant", "The Danube."), ("user", "And which city does it flow through?"),
      ("assistant", "Belgrade, among others.")), False),  # Serbia and a city, another question
    ((("user", "Tell me about Serbia."), ("assistant", "It is in the Balkans."), ("user", "And the capital of Hungary?"),
      ("assistant", "Budapest.")), False),
])
def test_an_items_question_split_over_turns_and_answered_later_is_a_leak(turns, leak):
    bad, rep = failing(KEYED, sft=[convo("s", *turns)])
    assert bad == ({"e-capital"} if leak else set()), rep["findings"]



@pytest.mark.parametrize(("doc", "leak"), [
    ("- q: Capital of Serbia\n  a: Belgrade", True),  # YAML, a bullet before the label
    ('{"q": "Capital of Serbia", "a": "Belgrade"}', True),  # JSON keys as labels
    ('{"Capital of Serbia":"Belgrade"}', True),  # JSON without spaces
    ("Capital of Serbia\tBelgrade", True),  # tab-separated
    ("Capital of Serbia → Belgrade", True),
    ("<table><tr><td>Capital of Serbia</td><td>Belgrade</td></tr></table>", True),  # an HTML table
    ('{"q": "Capital of Hungary", "a": "Budapest"}', False),
    ("<tr><td>Serbia</td><td>Belgrade</td></tr>", False),  # a fact table naming the entity only
    ("Meeting at 10:30 in Belgrade, the capital of Serbia.", False),  # a time is no key
])
def test_an_items_question_in_data_formats_with_its_answer_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Question 1: Capital of Serbia\nAnswer 1: Belgrade", True),  # numbered labels
    ("Q1. Capital of Serbia\nA1. Belgrade", True),
    ("**Q:** Capital of Serbia\n**A:** Belgrade", True),  # bold labels
    ("Capital of Serbia... Belgrade!", True),  # an ellipsis between key and value
    ("Capital of Serbia … Belgrade", True),
    ("Question 1: Capital of Hungary\nAnswer 1: Budapest", False),
    ("**Q:** Capital of Serbia\n**A:** I forget.", False),
    ("Capital of Serbia... nobody in the class knew.", False),
])
def test_numbered_or_emphasised_labels_and_ellipses_still_ask(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


def test_keys_and_tables_are_read_without_question_labels():
    from picochat_hf.honesty import scan
    from picochat_hf.honesty.config import load_scan_config

    for doc in ("Capital of Serbia: Belgrade", "| Capital of Serbia | Belgrade |"):
        rep = scan(eval_rows=KEYED, corpus=lambda: iter([("d", f"{FILLER}\n{doc}\n{FILLER}")]), show_progress=False,
                   config=load_scan_config(corpus_question_labels=[]))
        assert rep["counts"]["corpus_signature_with_answer"] == 1, rep["findings"]


@pytest.mark.parametrize(("answer", "leak"), [
    ("The capital of Serbia, you ask? Belgrade.", True),  # the question reworded as a statement, then the answer
    ("THE CAPITAL OF SERBIA, YOU ASK?   BELGRADE!!", True),
    ("The capital of Serbia, you ask: Belgrade.", True),
    ("The capital of Hungary, you ask? Budapest.", False),
    ("The capital of Serbia, you ask? I would have to look it up.", False),
])
def test_a_question_restated_in_an_sft_answer_with_its_answer_is_a_leak(answer, leak):
    bad, rep = failing(KEYED, sft=[row("s", "Tell me something.", answer, skill="general")])
    assert bad == ({"e-capital"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("doc", "want"), [
    ('Opposite of "lose": win', "e-antonym"),  # a synonym of the item's relation word, as a key
    ('OPPOSITE OF "LOSE" -> WIN', "e-antonym"),
    ('Antonyms of "lose": win', "e-antonym"),
    ("Moby-Dick author: Herman Melville", "e-author"),  # "author" for the item's "who wrote"
    ("Moby-Dick, written by? Herman Melville.", "e-author"),
    ("Seat of government of Serbia? Belgrade.", "e-capital"),
    ("Capital and largest city of Serbia? Belgrade.", "e-capital"),  # names the item's relation too
    ('Opposite of "lose": lost', None),  # the right key with a wrong answer
    ('Synonym of "lose": win', None),  # another relation of the same word
    ("Moby-Dick publisher: Herman Melville", None),  # names no relation of the item's question
    ("Largest city of Serbia? Belgrade.", None),  # another relation with the same answer text: a fact, not the item
    ("Biggest city in Serbia: Belgrade", None),
    ("Q: Most populous city of Serbia\nA: Belgrade", None),
    ("| Largest city of Serbia | Belgrade |", None),
])
def test_a_relation_is_asked_by_its_synonyms_and_not_by_another_relation(doc, want):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    assert corpus == sft == ({want} if want else set()), findings


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ('Give the opposite of "lose".', "Win.", True),
    ("What is Serbia's seat of government?", "Belgrade.", True),
    ("Largest city of Serbia?", "Belgrade.", False),
    ("Which is the biggest city in Serbia?", "Belgrade, by far.", False),
])
def test_an_sft_row_asking_a_relation_by_a_synonym_is_the_item_and_another_relation_is_not(prompt, answer, leak):
    bad, rep = failing(KEYED, sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({"e-antonym" if "lose" in prompt else "e-capital"} if leak else set()), rep["findings"]


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia\n\nBelgrade", True),  # a bare heading over its answer
    ("## Capital of Serbia\nBelgrade", True),
    ("**CAPITAL OF SERBIA**\n\n   Belgrade!  ", True),
    ("Capital of Serbia\n\nBelgrade, on the Danube", True),
    ("Serbia\n\nBelgrade", False),  # a heading naming the entity only
    ("Capital of Hungary\n\nBudapest", False),
    ("Capital of Serbia\n\nBudapest", False),  # the heading with a wrong answer
    ("Largest city of Serbia\n\nBelgrade", False),  # another relation
    ("Capital of Serbia\n\nBelgrade is the capital and largest city of Serbia, where the Sava meets the Danube.", False),  # prose
    ("Capital of Serbia\n\nNobody remembers", False),
])
def test_a_bare_heading_asking_an_items_question_over_its_answer_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia,Belgrade", True),  # a CSV row
    ("question,answer\nCapital of Peru,Lima\nCapital of Serbia,Belgrade", True),
    ('"Capital of Serbia", "Belgrade"', True),
    ("Capital of Serbia;Belgrade", True),
    ("Capital of Serbia,Capital of Peru\nBelgrade,Lima", True),  # the question heads a column
    ('["capital of serbia", "belgrade"]', True),  # a JSON array
    ("Serbia — capital: Belgrade", True),  # a key nested under its entity
    ("SERBIA - CAPITAL = BELGRADE", True),
    ("country,capital\nSerbia,Belgrade\nHungary,Budapest", True),  # its header names the relation (test_honesty_fact_tables)
    ("Serbia,Belgrade\nHungary,Budapest", False),  # a fact table naming the entity only
    ("Capital of Serbia,Budapest", False),
    ("Capital of Hungary,Budapest", False),
    ("Largest city of Serbia,Belgrade", False),
    ("Serbia — largest city: Belgrade", False),
    ("Country: Serbia. Capital: Belgrade.", False),  # an infobox: "Capital" names no entity
    ("The capital of Serbia, Belgrade, sits where the Sava meets the Danube.", False),  # prose
])
def test_an_items_question_in_a_delimited_row_or_nested_key_with_its_answer_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("doc", "want"), [
    ("Belgrade: capital of Serbia", "e-capital"),  # a flash card turned over: the answer, then the question
    ("Belgrade? The capital of Serbia.", "e-capital"),
    ("| Belgrade | Capital of Serbia |", "e-capital"),
    ("BELGRADE  —  CAPITAL OF SERBIA", "e-capital"),
    ("Belgrade,capital of Serbia", "e-capital"),
    ("Herman Melville: author of Moby-Dick", "e-author"),
    ('Win: the opposite of "lose"', "e-antonym"),
    ("Budapest: capital of Serbia", None),  # a wrong answer
    ("Belgrade: largest city of Serbia", None),  # another relation
    ("Belgrade: a city on the Danube in Serbia", None),  # names the entity, asks nothing of the item
    ("Belgrade is Serbia's capital.", None),  # prose stating the fact
    ("Belgrade, the capital of Serbia, sits where the Sava meets the Danube.", None),
    ("Belgrade: capital of Hungary", None),
])
def test_an_items_answer_then_its_question_is_a_leak_turned_over(doc, want):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    assert corpus == sft == ({want} if want else set()), findings


@pytest.mark.parametrize(("answer", "leak"), [
    ("7 kilometers in meters = 7,000", True),  # a thousands separator does not end the value
    ("7 kilometers in meters: 7,000.", True),
    ("7 kilometers in meters = 8,000", False),
    ("7 kilometers in meters: 70,000", False),
    ("7 kilometers in meters = 700, as the book says", False),
])
def test_a_keyed_number_answer_with_a_thousands_separator_is_read_whole(answer, leak):
    bad, rep = failing(KEYED, sft=[row("s", "Quiz me.", answer, skill="general")])
    assert bad == ({"e-units"} if leak else set()), rep["findings"]


def test_an_answer_written_with_an_apostrophe_is_read_in_a_corpus():
    oneill = row("e-oneill", "Which playwright wrote the play Long Day's Journey into Night?", skill="general", reference_answer="O'Neill")
    bad, rep = failing([oneill], corpus=[f"{FILLER}\nLong Day's Journey into Night playwright? O'Neill.\n{FILLER}"])
    assert bad == {"e-oneill"}, rep["findings"]
    bad, rep = failing([oneill], corpus=[f"{FILLER}\nLong Day's Journey into Night playwright? O'Brien.\n{FILLER}"])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("7 km in meters?", "7000", "e-units"),  # a unit's abbreviation is the unit
    ("How many metres are 7 kms?", "7000.", "e-units"),
    ("Moby-Dick was penned by?", "Herman Melville.", "e-author"),
    ("7 miles in meters?", "7000", None),  # another unit
    ("7 km in centimeters?", "7000", None),
    ("Who published Moby-Dick?", "Herman Melville.", None),  # another relation: the publisher, whatever the reply
    ("Moby-Dick was translated by?", "Herman Melville.", None),
])
def test_unit_abbreviations_are_the_unit_and_another_relation_of_a_book_is_not_its_author(prompt, answer, want):
    bad, rep = failing([*KEYED, AUTHOR], sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({want} if want else set()), rep["findings"]
    corpus, sft, findings = leaked_in_both(f"{prompt} {answer}", [*KEYED, AUTHOR])
    assert sft == ({want} if want else set()), findings
    assert corpus == ({want} if want else set()), findings  # a one-digit quantity asks a fact of its own, no sum


@pytest.mark.parametrize(("doc", "leak"), [
    ("Name the capital of Serbia.\nBelgrade", True),  # an instruction asks like a "?"
    ("NAME SERBIA'S CAPITAL.   Belgrade.", True),
    ("- Give the capital of Serbia: \n  Belgrade", True),
    ("The capital of Serbia is ____.\nAnswer: Belgrade", True),  # a blank to fill in
    ("The capital of Serbia is ___ (Belgrade).", True),
    ("____ is the capital of Serbia. Belgrade", True),
    ("Capital of Serbia:\n\nBelgrade", True),  # a key over its value on the next line
    ("Capital of Serbia:\n- Belgrade", True),
    ("Name the capital of Serbia.\nBudapest", False),
    ("Name the largest city of Serbia.\nBelgrade", False),
    ("Name three rivers of Serbia.\nDanube, Sava, Morava", False),
    ("The capital of Serbia is ____.\nAnswer: Budapest", False),
    ("The largest city of Serbia is ____ (Belgrade).", False),
    ("The capital of Hungary is ____ (Budapest).", False),
    ("Capital of Hungary:\n\nBudapest", False),
    ("Capital of Serbia:\n\nBelgrade is the capital and largest city of Serbia, where the Sava meets the Danube.", False),
])
def test_an_instruction_a_blank_or_a_key_over_its_value_asks_the_items_question(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


def test_the_instruction_words_are_data():
    from picochat_hf.honesty import scan
    from picochat_hf.honesty.config import load_scan_config

    # inline: on lines of their own the two are a flash card, a leak whatever the instruction words
    doc = f"{FILLER}\nName the capital of Serbia. Belgrade.\n{FILLER}"
    for imperatives, leaks in ((["name"], 1), ([], 0)):
        rep = scan(eval_rows=KEYED, corpus=lambda: iter([("d", doc)]), show_progress=False,
                   config=load_scan_config(corpus_question_imperatives=imperatives))
        assert rep["counts"]["corpus_signature_with_answer"] == leaks, rep["findings"]


@pytest.mark.parametrize(("prompt", "answer", "want"), [
    ("Belgrade?", "The capital of Serbia.", "e-capital"),  # an SFT row turned over: the answer asked, the question replied
    ("What is Belgrade?", "It is the capital of Serbia.", "e-capital"),
    ("Herman Melville", "The author of Moby-Dick.", "e-author"),
    ("What is Belgrade?", "A city on the Danube in Serbia.", None),  # describes it, without the item's relation
    ("What is Budapest?", "The capital of Serbia.", None),  # a wrong pairing
    ("What is Belgrade?", "The largest city of Serbia.", None),
    ("Tell me about Belgrade and its history.", "It is the capital of Serbia.", None),  # asks more than the answer
])
def test_an_sft_row_asking_the_answer_and_replying_with_the_question_is_a_leak(prompt, answer, want):
    bad, rep = failing([*KEYED, AUTHOR], sft=[row("s", prompt, answer, skill="general")])
    assert bad == ({want} if want else set()), rep["findings"]


@pytest.mark.parametrize(("reply", "leak"), [
    ("Melville.", True),  # a person's name answer given by its last name
    ("Melville, Herman", True),  # written last name first
    ("H. MELVILLE", True),
    ("Hawthorne.", False),
    ("Herman.", False),  # a first name names nobody
    ("I am not sure.", False),
])
def test_a_name_answer_given_by_its_last_name_is_the_answer(reply, leak):
    bad, rep = failing([*EVAL, AUTHOR], sft=[row("s", "Moby-Dick author?", reply, skill="general")])
    assert bad == ({"e-author"} if leak else set()), rep["findings"]
    corpus, sft, findings = leaked_in_both(f"Moby-Dick author? {reply}", [*EVAL, AUTHOR])
    assert corpus == sft == ({"e-author"} if leak else set()), findings


def test_a_last_name_after_another_books_question_is_not_the_item():
    bad, rep = failing([*EVAL, AUTHOR], sft=[row("s", "Who wrote Typee?", "Melville.", skill="general")])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("doc", "leak"), [
    ("<q>Capital of Serbia</q><a>Belgrade</a>", True),  # markup elements, each read as a line
    ("<question>What is the capital of Serbia?</question>\n<answer>Belgrade</answer>", True),
    ("<dt>Capital of Serbia</dt><dd>Belgrade</dd>", True),
    ("<b>Capital of Serbia</b>: Belgrade", True),
    ("<q>Capital of Serbia</q><a>Budapest</a>", False),
    ("<q>Largest city of Serbia</q><a>Belgrade</a>", False),
    ("<p>Belgrade is the capital of <b>Serbia</b>, on the Danube.</p>", False),  # prose in markup
    ("<dt>Serbia</dt><dd>Belgrade</dd>", False),
])
def test_an_items_question_and_answer_in_markup_elements_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("prompt", "kind"), [
    ("Which city is the largest city of Serbia today?", "near_sft_prompt"),  # the template, another relation: a caution
    ("Which city is the biggest city of Serbia today?", "near_sft_prompt"),
    ("Which city is the capital city of Serbia today?", "near_sft_prompt_with_answer"),  # the item's relation: a leak
])
def test_a_paraphrase_asking_another_relation_with_the_same_answer_is_a_caution(prompt, kind):
    capital = row("e-cap2", "Which city is the capital of Serbia today?", skill="general", reference_answer="Belgrade")
    bad, rep = failing([*EVAL, capital], sft=[row("s", prompt, "Belgrade.", skill="general")])
    assert bad == ({"e-cap2"} if kind.endswith("with_answer") else set()), rep["findings"]
    assert any(f["kind"] == kind and f["eval_id"] == "e-cap2" for f in rep["findings"]), rep["findings"]


@pytest.mark.parametrize("entry", ["7", "''", "null"])
def test_a_word_list_setting_with_a_non_string_entry_is_bad_input_naming_file_line_and_field(tmp_path, entry):
    from picochat_hf.honesty.config import load_scan_config
    from picochat_hf.utils.errors import PicochatInputError

    bad = tmp_path / "scan.yaml"
    bad.write_text(f"ngram_size: 8\ncorpus_question_imperatives:\n  - name\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(PicochatInputError, match=r"scan\.yaml:2, field 'corpus_question_imperatives'"):
        load_scan_config(bad)


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia (Belgrade)", True),  # a short key with its value in brackets ending the line
    ("- capital of SERBIA [Belgrade]", True),
    ("Capital of Serbia (Budapest)", False),
    ("Largest city of Serbia (Belgrade)", False),
    ("He moved to the capital of Serbia in the spring (Belgrade).", False),  # prose: the sentence runs longer
    ("Serbia (Belgrade)", False),  # the entity only
])
def test_a_short_key_with_its_value_in_brackets_is_a_leak(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, KEYED)
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("turns", "leak"), [
    ((("user", "Let's talk about Serbia."), ("assistant", "Sure."), ("user", "Its seat of government?"), ("assistant", "Belgrade.")), True),
    ((("user", "A question on Serbia."), ("assistant", "Go on."), ("user", "Capital?"), ("assistant", "Belgrade.")), True),
    ((("user", "Let's talk about Serbia."), ("assistant", "Sure."), ("user", "Its largest city?"), ("assistant", "Belgrade.")), False),
    ((("user", "Let's talk about Serbia."), ("assistant", "Sure."), ("user", "Its seat of government?"), ("assistant", "Budapest.")), False),
    ((("user", "Tell me about Serbia."), ("assistant", "It is in the Balkans."), ("user", "And the capital of Hungary?"),
      ("assistant", "Belgrade, I think.")), False),  # the follow-up names its own entity: another question
])
def test_a_follow_up_naming_nothing_asks_about_the_entities_named_before_it(turns, leak):
    bad, rep = failing(KEYED, sft=[convo("s", *turns)])
    assert bad == ({"e-capital"} if leak else set()), rep["findings"]
