"""An item's question and answer written in the shapes a quiz, a flash card or a fact sheet takes, and the near-misses
beside them: a reply that mentions the answer without giving it, another entity's name ending in the answer's last
word, the same template about other facts."""

from __future__ import annotations

import pytest
from test_honesty_asked_questions import leaked_in_both
from test_honesty_leaks import AUTHOR, EVAL, FILLER, KEYED, failing, row

SERBIA_FREE = row("e-serbia", "What is the capital of Serbia?", skill="general", reference_answer="Belgrade")
INDIA = row("e-india", "What is the capital of India?", skill="general", reference_answer="New Delhi")
APPLE = row("e-apple", "Which US city is nicknamed the Big Apple?", skill="general", reference_answer="New York")


def corpus_leaks(doc: str, eval_rows: list[dict]) -> tuple[set[str], list]:
    bad, rep = failing(eval_rows, corpus=[f"{FILLER}\n\n{doc}\n\n{FILLER}"])
    return bad, rep["findings"]


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia? See page 4. Belgrade is on page 5.", False),  # the reply is "See page 4."
    ("Capital of Serbia? Nobody knew. Belgrade came up later.", False),
    ("Capital of Serbia?\nA1. Belgrade", True),  # a label is no sentence
    ("Capital of Serbia? Not sure. Ask Belgrade city hall.", False),
    ("Capital of Serbia? Belgrade. See page 4.", True),  # the reply's first sentence gives it
    ("Capital of Serbia? It is Belgrade, on the Danube.", True),
    ("Capital of Serbia? Belgrade", True),
])
def test_a_reply_gives_the_answer_only_in_its_first_sentence(doc, leak):
    for items in ([*KEYED, AUTHOR], [*EVAL, SERBIA_FREE]):
        want = {items[-1]["id"] if items[-1] is SERBIA_FREE else "e-capital"} if leak else set()
        corpus, sft, findings = leaked_in_both(doc, items)
        assert corpus == sft == want, findings


def test_an_initial_or_abbreviation_does_not_end_the_reply():
    item = row("e-renamed", "Which city was called Leningrad?", skill="general", reference_answer="St. Petersburg")
    bad, findings = corpus_leaks("Which city was called Leningrad? St. Petersburg, since 1991.", [*EVAL, item])
    assert bad == {"e-renamed"}, findings
    bad, findings = corpus_leaks("Moby-Dick author? H. Melville, see p. 4.", [*EVAL, AUTHOR])
    assert bad == {"e-author"}, findings


@pytest.mark.parametrize(("doc", "target", "leak"), [
    ("Big Apple city? York.", APPLE, False),  # York is another city: a place's last word is not its name
    ("City nicknamed the Big Apple? Not York, the English one.", APPLE, False),
    ("Capital of India? Delhi.", INDIA, False),
    ("Capital of India: Delhi", INDIA, False),
    ("Capital of India? New Delhi.", INDIA, True),
    ("Big Apple city? New York.", APPLE, True),
    ("Moby-Dick author? Melville.", AUTHOR, True),  # a person is named by the last name
])
def test_the_last_word_of_a_multi_word_answer_names_only_a_person(doc, target, leak):
    bad, findings = corpus_leaks(doc, [*EVAL, INDIA, APPLE, AUTHOR])
    assert bad == ({target["id"]} if leak else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia.\nBelgrade", True),  # a flash card's front written as a sentence
    ("Capital of Serbia.\n\nBelgrade.", True),
    ("CAPITAL OF SERBIA.\nBELGRADE", True),
    ("Capital of Serbia.\nBudapest", False),
    ("Largest city of Serbia.\nBelgrade", False),  # another relation
    ("I visited the capital of Serbia.\nBelgrade was busy.", False),  # a sentence over prose
    ("Capital of Hungary.\nBelgrade", False),
])
def test_a_short_line_ending_in_a_full_stop_over_the_answer_alone_is_a_card(doc, leak):
    for items in ([*KEYED, AUTHOR], [*EVAL, SERBIA_FREE]):
        want = ({"e-serbia"} if SERBIA_FREE in items else {"e-capital"}) if leak else set()
        corpus, sft, findings = leaked_in_both(doc, items)
        assert corpus == sft == want, findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("CapitalOfSerbia: Belgrade", True),  # camel case
    ("capitalOfSerbia = 'Belgrade'", True),
    ("capital_of_serbia: Belgrade", True),  # snake case
    ("capital-of-serbia: Belgrade", True),
    ("CapitalOfHungary: Belgrade", False),
    ("LargestCityOfSerbia: Belgrade", False),
    ("CapitalOfSerbia: Budapest", False),
])
def test_a_key_written_as_an_identifier_asks_like_words(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital (Serbia): Belgrade", True),  # the entity in brackets inside the key
    ("Capital [Serbia] - Belgrade", True),
    ("Capital (Hungary): Belgrade", False),
    ("Largest city (Serbia): Belgrade", False),
    ("Serbia (capital: Belgrade) borders Hungary.", False),  # a parenthesis in prose: the key is "capital"
])
def test_a_key_with_its_entity_in_brackets_asks_the_item(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    assert corpus == sft == ({"e-capital"} if leak else set()), findings


@pytest.mark.parametrize(("doc", "target"), [
    ("Serbia / capital / Belgrade", "e-capital"),  # a path of keys
    ("Serbia > capital > Belgrade", "e-capital"),
    ("Serbia | capital | Belgrade", "e-capital"),  # a table row without a header
    ("Serbia,capital,Belgrade", "e-capital"),
    ("lose ↔ win (antonyms)", "e-antonym"),  # a pair, its relation in brackets after it
    ("lose <-> win (opposites)", "e-antonym"),
    ("lose - win (antonym)", "e-antonym"),
    ("Antonyms: lose ↔ win", "e-antonym"),  # the relation as the key before the pair
    ("win ↔ lose (antonyms)", "e-antonym"),  # the pair turned over
    ("Serbia / capital / Budapest", None),
    ("Serbia / largest city / Belgrade", None),
    ("Hungary / capital / Belgrade", None),
    ("lose ↔ find (antonyms)", None),
    ("lose ↔ win (rhymes)", None),  # another relation
    ("lose ↔ win", None),  # no relation named: a word list
])
def test_a_path_or_a_pair_naming_the_items_relation_asks_it(doc, target):
    corpus, sft, findings = leaked_in_both(doc, [*KEYED, AUTHOR])
    assert corpus == sft == ({target} if target else set()), findings


WEEK_FREE = row("e-week", "How many weeks are in 7 days?", skill="general", reference_answer="1")


@pytest.mark.parametrize(("doc", "target"), [
    ("7 days in weeks: 1", "e-week"),  # a one-digit quantity, asked as a key
    ("How many weeks in 7 days? 1.", "e-week"),
    ("Weeks in 7 days = 1", "e-week"),
    ("7 days in weeks: 2", None),  # a wrong answer
    ("14 days in weeks: 2", None),  # the same template, other numbers
    ("7 days in hours: 168", None),
    ("Convert 7 days to weeks.\n1", "e-week"),
    ("7 days in weeks: 1 or 2?", None),  # asked, not answered
])
def test_a_small_number_answering_a_question_that_is_no_sum_is_a_leak_in_a_corpus(doc, target):
    bad, findings = corpus_leaks(doc, [*EVAL, WEEK_FREE])
    assert bad == ({target} if target else set()), findings


def test_a_small_sum_asked_and_answered_in_a_corpus_stays_a_caution():
    small = row("e-small", "What number equals 7 + 4?", normalized_answer="11", problem={"op": "+", "a": 7, "b": 4, "result": 11})
    story = row("e-few", "Ann had 5 pens and lost 2. How many pens are left?", normalized_answer="3")
    bad, findings = corpus_leaks("Quick one: 7 + 4 = ?\n11\nAnn had 5 pens, lost 2. How many pens left? 3", [*EVAL, small, story])
    assert not bad, findings


@pytest.mark.parametrize(("doc", "target"), [
    ("Antonymous word for lose: win", "e-antonym"),  # an inflected relation word not listed
    ('"lose" antonymic pair: win', "e-antonym"),
    ("Moby-Dick authorship? Herman Melville.", "e-author"),
    ("Capitals of Serbia? Belgrade.", "e-capital"),
    ("Moby-Dick illustrations? Herman Melville.", None),  # another relation, inflected: not the author
    ("Moby-Dick publishing house? Herman Melville.", None),
    ("Largest cities of Serbia? Belgrade.", None),
    ("Synonymous word for lose: win", None),
])
def test_an_inflected_relation_word_is_its_relation(doc, target):
    bad, findings = corpus_leaks(doc, [*KEYED, AUTHOR])
    assert bad == ({target} if target else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Capital of Serbia? Not Belgrade.", False),  # the answer rejected is not given
    ("The capital of Serbia: not Belgrade but Nis.", False),
    ("Capital of Serbia? Belgrade is wrong; it is Nis.", False),
    ("Capital of Serbia? Belgrade, not Nis.", True),
    ("Capital of Serbia? Belgrade is not only the capital but the largest city.", True),
    ("Capital of Serbia? It is Belgrade.", True),
])
def test_a_free_form_answer_rejected_in_the_reply_is_not_given(doc, leak):
    corpus, sft, findings = leaked_in_both(doc, [*EVAL, SERBIA_FREE])
    assert corpus == sft == ({"e-serbia"} if leak else set()), findings


@pytest.mark.parametrize(("prompt", "answer", "leak"), [
    ("Is Belgrade the capital of Serbia?", "Yes, it is.", True),  # the answer in the question, confirmed
    ("Belgrade is Serbia's capital, right?", "Correct.", True),
    ("Belgrade is the capital of which country?", "Serbia.", True),  # asked the other way round
    ("Is Belgrade the capital of Serbia?", "No.", False),
    ("Is Belgrade the capital of Hungary?", "Yes.", False),  # another fact
    ("Is Belgrade the largest city of Serbia?", "Yes.", False),  # another relation
    ("Belgrade is the capital of which country?", "Hungary.", False),
    ("Belgrade is the largest city of which country?", "Serbia.", False),
    ("Is Budapest the capital of Serbia?", "Yes.", False),
])
def test_the_answer_confirmed_or_asked_the_other_way_round_is_a_leak(prompt, answer, leak):
    for items, want in (([*KEYED, AUTHOR], "e-capital"), ([*EVAL, SERBIA_FREE], "e-serbia")):
        bad, rep = failing(items, sft=[row("s", prompt, answer, skill="general")])
        assert bad == ({want} if leak else set()), rep["findings"]
        bad, findings = corpus_leaks(f"{prompt} {answer}", items)
        assert bad == ({want} if leak else set()), findings


@pytest.mark.parametrize(("prompt", "answer"), [
    ("What is Belgrade?", "A city on the Danube, the capital of Serbia."),  # the reply states the relation: turned over, a leak
])
def test_a_reply_stating_the_items_question_about_the_named_answer_is_a_leak(prompt, answer):
    bad, rep = failing([*KEYED, AUTHOR], sft=[row("s", prompt, answer, skill="general")])
    assert bad == {"e-capital"}, rep["findings"]


@pytest.mark.parametrize(("doc", "leak"), [
    ("Moby Dick author? Herman Melville.", True),  # the hyphen of an entity dropped
    ("MobyDickAuthor: Herman Melville", True),
    ("Herman Melville wrote which novel about the Pequod? Moby-Dick.", True),  # the other way round, one entity in the reply
    ("Herman Melville wrote which novel? Typee.", False),
    ("Moby Dick publisher? Herman Melville.", False),
    ("Did Herman Melville write Typee? Yes.", False),
])
def test_an_entity_without_its_hyphen_or_named_in_the_reply_still_asks_the_item(doc, leak):
    bad, findings = corpus_leaks(doc, [*EVAL, AUTHOR])
    assert bad == ({"e-author"} if leak else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Belgrade: capital of which country? Serbia", True),  # the answer as a key before the reversed question
    ("Belgrade - the capital of what country?\nSerbia.", True),
    ("Belgrade: capital of which country? Hungary", False),
    ("Belgrade: largest city of which country? Serbia", False),  # another relation
    ("Budapest: capital of which country? Serbia", False),
])
def test_the_answer_as_a_key_before_a_question_asked_the_other_way_round_is_a_leak(doc, leak):
    for items, want in (([*KEYED, AUTHOR], "e-capital"), ([*EVAL, SERBIA_FREE], "e-serbia")):
        bad, findings = corpus_leaks(doc, items)
        assert bad == ({want} if leak else set()), findings


@pytest.mark.parametrize(("doc", "leak"), [
    ("Belgrade is the capital of which country? Tough call, mate. Serbia.", True),
    ("Is Belgrade the capital of Serbia? Crikey, hard one. Yes.", True),
    ("Belgrade is the capital of which country? Tough call, mate. Hungary.", False),
    ("Is Belgrade the capital of Serbia? Crikey, hard one. No.", False),
    ("Belgrade is the capital of which country? Tough call, mate. Serbia has many cities.", False),  # a statement
])
def test_a_question_asked_the_other_way_round_answered_after_a_short_aside_is_a_leak(doc, leak):
    for items, want in (([*KEYED, AUTHOR], "e-capital"), ([*EVAL, SERBIA_FREE], "e-serbia")):
        bad, findings = corpus_leaks(doc, items)
        assert bad == ({want} if leak else set()), findings
