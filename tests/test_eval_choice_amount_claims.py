"""Claims about options' amounts across every unit the choice templates use, compound amounts, pronoun subjects and
plain calendar order (`choice_amounts`, `choice_claims`, `choice_relations`).

Each wrong reply has an honest twin in the same format: the true claim passes, the false one fails with a reason that
names the option. Units the pack's table leaves apart (months and days, years and weeks) are joined by readings
(`approximate_units`): a claim false under every reading fails, one that depends on the reading is not judged."""

from __future__ import annotations

import random
from itertools import combinations

import pytest

from picochat_hf.data.skills.choice import CHOICE_STAGES, LETTERS, UNITS
from picochat_hf.eval.choice_amounts import joined, read_amount, same_amount, unit_scales
from picochat_hf.eval.choice_claims import UNSETTLED, claim_words, claims

from helpers_choice import choice_row, failures


def fails_about(row: tuple[dict, str], reply: str, letter: str) -> bool:
    return any(f.startswith("choice:") and f"option {letter}" in f for f in failures(row, reply))


# key A; B is 36 (months), C 20, D 200
MONTHS = choice_row("Convert 2 years to months.", ["24", "36", "20", "200"], "A")
HOURS = choice_row("Convert 2 days to hours.", ["48", "72", "90", "200"], "A")
DAYS = choice_row("Convert 3 weeks to days.", ["21", "28", "365", "300"], "A")
GRAMS = choice_row("Convert 2 kilograms to grams.", ["2000", "3500", "20", "200"], "A")
CENTIMETERS = choice_row("What is 3 meters expressed in centimeters?", ["300", "450", "30", "3000"], "A")
MINUTES = choice_row("How many minutes are in 2 hours?", ["120", "90", "1500", "20"], "A")


@pytest.mark.parametrize("row,wrong,honest", [
    (MONTHS, "A. B is 4 years.", "A. B is 3 years."), (MONTHS, "A. B is 5 days.", "A. D is 200 months."),
    (MONTHS, "A. B is 3 weeks.", "A. C is 20 months."),
    (HOURS, "A. B is 4 days.", "A. B is 3 days."), (HOURS, "A. B is 72 minutes.", "A. B is 4320 minutes."),
    (HOURS, "A. C is 3 days.", "A. B is 259200 seconds."),
    (DAYS, "A. B is 5 weeks.", "A. B is 4 weeks."), (DAYS, "A. D is 1 month.", "A. D is 300 days."),
    (DAYS, "A. C is 2 years.", "A. B is 672 hours."),
    (GRAMS, "A. B is 3 kg.", "A. B is 3.5 kg."), (GRAMS, "A. D is 2 kilograms.", "A. D is 0.2 kilograms."),
    (CENTIMETERS, "A. B is 4 meters.", "A. B is 4.5 meters."), (CENTIMETERS, "A. D is 3 metres.", "A. D is 30 metres."),
    (CENTIMETERS, "A. C is 3 mm.", "A. C is 300 mm."),
    (MINUTES, "A. C is 1 day.", "A. C is 25 hours."), (MINUTES, "A. B is 2 hours.", "A. B is 1.5 hours."),
])
def test_a_false_amount_in_another_unit_of_the_dimension_fails_and_the_true_one_passes(row, wrong, honest):
    letter = wrong.split(". ")[1][0]
    assert fails_about(row, wrong, letter), wrong
    assert failures(row, honest) == [], honest


def test_every_pair_of_units_of_one_dimension_is_comparable():
    dims: dict[str, list[str]] = {}
    for unit, dim in claim_words().unit_dimensions.items():
        dims.setdefault(dim, []).append(unit)
    table_units = {u for small, big, _ in UNITS for u in (small, big)}
    assert table_units <= set(claim_words().unit_dimensions)  # every unit the templates write has a dimension
    pairs = 0
    for units in dims.values():
        for a, b in combinations(units, 2):
            assert joined((1.0, a), (1.0, b)) and joined((1.0, b), (1.0, a)), (a, b)
            assert same_amount((1.0, a), (1.0, b)) is False, (a, b)  # one of each is never the same amount
            pairs += 1
    assert pairs == 21 + 6 + 1 + 1
    assert same_amount((3.0, "kilograms"), (3.0, "years")) is False  # two dimensions never name one amount


@pytest.mark.parametrize("a,b,truth", [
    ((12.0, "months"), (1.0, "years"), True), ((7.0, "days"), (1.0, "weeks"), True),  # the table's exact conversions
    ((12.0, "months"), (365.0, "days"), None), ((12.0, "months"), (366.0, "days"), None),  # a common or a leap year
    ((1.0, "years"), (52.0, "weeks"), None), ((1.0, "months"), (4.0, "weeks"), None), ((1.0, "months"), (30.0, "days"), None),
    ((1.0, "years"), (400.0, "days"), False), ((1.0, "years"), (360.0, "days"), False), ((2.0, "years"), (700.0, "days"), False),
    ((1.0, "months"), (32.0, "days"), False), ((1.0, "months"), (27.0, "days"), False), ((3.0, "years"), (3.0, "weeks"), False),
    ((1.0, "years"), (8784.0, "hours"), None), ((1.0, "years"), (9000.0, "hours"), False),
])
def test_readings_of_months_and_years_judge_only_what_every_reading_agrees_on(a, b, truth):
    assert same_amount(a, b) is truth and same_amount(b, a) is truth
    assert joined(a, b)


def test_a_claim_that_depends_on_the_reading_is_not_judged_and_is_read_as_a_claim():
    # 12 months is 365 days in a common year and 366 in a leap year: no failure, and B is described, not chosen
    row = choice_row("Convert 1 year to months.", ["12", "24", "10", "100"], "A")
    for reply in ("A. B is 730 days.", "A. B is 104 weeks.", "A. C is 300 days."):
        assert failures(row, reply) == [], reply
        assert [c.truth for c in claims(reply, list("ABCD"), row[0]["choices"], "A", row[1])] == [UNSETTLED], reply
    for reply in ("A. B is 600 days.", "A. B is 24 weeks.", "A. C is 1 year."):
        assert any("false claim about option" in f for f in failures(row, reply)), reply


@pytest.mark.parametrize("row,wrong,honest", [
    (MONTHS, "A. B is more than 3 years.", "A. B is more than 2 years."), (MONTHS, "A. B is less than 3 years.", "A. B is less than 4 years."),
    (MONTHS, "A. B is less than 1000 days.", "A. B is more than 1000 days."),  # 36 months are over 1000 days under every reading
    (MONTHS, "A. C is more than 2 years.", "A. C is less than 100 weeks."), (MONTHS, "A. B is not more than 2 years.", "A. B is not less than 3 years."),
    (HOURS, "A. B is more than 3 days.", "A. B is more than 2 days and 23 hours."), (GRAMS, "A. B is less than 3 kg.", "A. B is more than 3 kg."),
    (CENTIMETERS, "A. C is more than 1 meter.", "A. C is less than 1 meter."),
])
def test_a_false_comparison_with_an_amount_fails_and_the_true_one_passes(row, wrong, honest):
    letter = wrong.split(". ")[1][0]
    assert fails_about(row, wrong, letter), wrong
    assert failures(row, honest) == [], honest
    assert [c.truth for c in claims(honest, list("ABCD"), row[0]["choices"], "A", row[1])] == [True], honest


def test_a_comparison_that_depends_on_the_reading_is_not_judged_and_one_with_an_option_stays_an_order():
    row = choice_row("Convert 1 year to months.", ["12", "24", "10", "100"], "A")
    for reply in ("A. B is more than 730 days.", "A. B is less than 731 days.", "A. C is more than 300 days."):
        assert failures(row, reply) == [], reply
        assert [c.truth for c in claims(reply, list("ABCD"), row[0]["choices"], "A", row[1])] == [UNSETTLED], reply
    # "than 10" names option C: an order between two options, judged by their numbers as before
    got = claims("A. D is larger than 10.", list("ABCD"), row[0]["choices"], "A", row[1])
    assert [(c.option, c.truth, c.other_at) for c in got] == [(3, True, 20)]
    assert any("option B" in f for f in failures(row, "A. B is smaller than 10."))


@pytest.mark.parametrize("row,wrong,honest", [
    (MONTHS, "A. B is 3 years 6 months.", "A. B is 3 years and 0 months."),
    (MONTHS, "A. C is 1 year 6 months.", "A. C is 1 year 8 months."), (MONTHS, "A. C is 1 year and 6 months.", "A. C is 1 year and 8 months."),
    (MONTHS, "A. C is a year and 6 months.", "A. C is a year and 8 months."), (MONTHS, "A. C is one year, six months.", "A. C is one year, eight months."),
    (HOURS, "A. C is 3 days 16 hours.", "A. C is 3 days 18 hours."), (HOURS, "A. B is 2 days and 1 hour.", "A. C is 3 days and 18 hours."),
    (MINUTES, "A. B is 1 hour and 20 minutes.", "A. B is 1 hour and 30 minutes."), (MINUTES, "A. C is 1 day 2 hours.", "A. C is 1 day 1 hour."),
    (GRAMS, "A. B is 3 kg 400 g.", "A. B is 3 kg 500 g."), (GRAMS, "A. B is 2 kg 500 g.", "A. B is 3 kilograms and 500 grams."),
    (CENTIMETERS, "A. B is 4 m 40 cm.", "A. B is 4 m 50 cm."), (MONTHS, "A. C is 1 yr 6 mos.", "A. C is 1 yr 8 mths."), (DAYS, "A. B is 4 weeks 1 day.", "A. B is 4 weeks 0 days."),
])
def test_a_false_compound_amount_fails_and_the_true_one_passes(row, wrong, honest):
    letter = wrong.split(". ")[1][0]
    assert fails_about(row, wrong, letter), wrong
    assert failures(row, honest) == [], honest


def test_compound_amounts_read_largest_part_first_and_restatements_are_none():
    assert read_amount("1 year 6 months") == ((1.0, "years"), (6.0, "months"))
    assert read_amount("1 hour and 30 minutes") == ((1.0, "hours"), (30.0, "minutes"))
    assert read_amount("2 kg 500 g") == ((2.0, "kilograms"), (500.0, "grams"))
    assert same_amount(read_amount("1 year 6 months"), (18.0, "months")) is True
    assert same_amount(read_amount("1 month and 2 days"), (32.0, "days")) is None  # 30 to 33 days
    assert same_amount(read_amount("1 month and 2 days"), (40.0, "days")) is False
    # "3 years, 36 months" restates one amount; "2 kg 3 years" mixes dimensions; "30 days" is not under one month
    assert read_amount("3 years, 36 months") is None
    assert read_amount("2 kg 3 years") is None
    assert read_amount("1 month 30 days") is None
    assert claims("A. B is 3 years, 36 months.", list("ABCD"), MONTHS[0]["choices"], "A", MONTHS[1]) == []


def test_compound_option_texts_are_amounts_too():
    row = choice_row("Which is 18 months?", ["1 year 6 months", "2 years", "1 hour and 30 minutes", "2 kg 500 g"], "A")
    for wrong, honest in (("A. B is 20 months.", "A. B is 24 months."), ("A. C is 80 minutes.", "A. C is 90 minutes."),
                          ("A. D is 2400 grams.", "A. D is 2500 grams."), ("A. D is 2.4 kg.", "A. D is 2 kg 500 g.")):
        letter = wrong.split(". ")[1][0]
        assert fails_about(row, wrong, letter), wrong
        assert failures(row, honest) == [], honest
    assert failures(row, "A. It is 18 months.") == []
    assert any("option A" in f for f in failures(row, "A. It is 16 months."))


@pytest.mark.parametrize("wrong,honest", [
    ("A. B is 36 months, and it is 4 years.", "A. B is 36 months, and it is 3 years."),
    ("A. B? That one is 4 years.", "A. B? That one is 3 years."),
    ("A. B is 36 months. It is 4 years.", "A. B is 36 months. It is 3 years."),
    ("A. B is 36, which is 4 years.", "A. B is 36, which is 3 years."),
    ("A. Not B: this one is 2 years 6 months.", "A. Not B: this one is 3 years."),
    ("A, since C is 20 months and D is 200 months, and the latter is 16 years.", "A, since C is 20 months and D is 200 months, and the latter is 200 months."),
])
def test_a_pronoun_for_another_option_is_judged_as_that_option(wrong, honest):
    letter = "D" if "latter" in wrong else "B"
    assert any(f"false claim about option {letter}" in f for f in failures(MONTHS, wrong)), wrong
    assert failures(MONTHS, honest) == [], honest


def test_a_pronoun_for_the_chosen_option_is_judged_as_it_and_an_unclear_one_is_not_judged():
    assert failures(MONTHS, "A. It is 2 years.") == []
    assert any("false claim about option A" in f for f in failures(MONTHS, "A. It is 3 years."))
    # the sentence before names A and B: "it" could be either, so nothing is judged
    assert claims("A, not B. It is 3 years.", list("ABCD"), MONTHS[0]["choices"], "A", MONTHS[1]) == []
    # a pronoun that does not open a clause is no subject ("I think that is 3 years")
    assert claims("A. I think that is 3 years.", list("ABCD"), MONTHS[0]["choices"], "A", MONTHS[1]) == []


FOLLOWS = choice_row("What month follows May?", ["July", "November", "June", "April"], "C")
DAY_AFTER = choice_row("What day follows Monday?", ["Friday", "Sunday", "Tuesday", "Saturday"], "C")
MONTH_BEFORE = choice_row("What month precedes January?", ["March", "December", "October", "January"], "B")


@pytest.mark.parametrize("row,wrong,honest", [
    (FOLLOWS, "C. D comes after B.", "C. B comes after D."), (FOLLOWS, "C. C comes after A.", "C. A comes after C."),
    (FOLLOWS, "C. A is later than B.", "C. A is earlier than B."), (FOLLOWS, "C. B comes before A.", "C. D comes before A."),
    (FOLLOWS, "C. A comes before April.", "C. A comes after April."), (FOLLOWS, "C. A? That one comes before May.", "C. A? That one comes after May."),
    (FOLLOWS, "C. D follows B.", "C. A follows C."), (FOLLOWS, "C. November comes after July, and it comes before April.",
                                                       "C. November comes after July, and it comes before December."),
    (DAY_AFTER, "C. A comes after D.", "C. D comes after A."), (DAY_AFTER, "C. C comes after A.", "C. A comes after C."),
    (MONTH_BEFORE, "B. A comes before C, and C comes after B.", "B. A comes before C, and B comes after C."),
    (MONTH_BEFORE, "B. A comes after B.", "B. D comes after B."),  # the next January comes after December
])
def test_plain_calendar_order_between_options_is_judged(row, wrong, honest):
    assert any(f.startswith("choice:") and "false claim about option" in f for f in failures(row, wrong)), wrong
    assert failures(row, honest) == [], honest


def test_calendar_order_that_depends_on_where_the_week_starts_is_not_judged():
    # Sunday comes after Friday in a week from Monday, before it in a week from Sunday
    for reply in ("C. B comes after A.", "C. C comes after B.", "C. B comes before C."):
        assert failures(DAY_AFTER, reply) == [], reply
        assert [c.truth for c in claims(reply, list("ABCD"), DAY_AFTER[0]["choices"], "C", DAY_AFTER[1])] == [UNSETTLED], reply
    # Sunday right after Saturday holds from either start
    assert [c.truth for c in claims("C. B comes after D.", list("ABCD"), DAY_AFTER[0]["choices"], "C", DAY_AFTER[1])] == [True]
    # alphabetically is its own order: "Sunday" comes after "Friday" from A to Z
    assert failures(DAY_AFTER, "C. B comes after A alphabetically.") == []
    assert any("option A" in f for f in failures(DAY_AFTER, "C. A comes after B alphabetically."))


def _task_row(task) -> tuple[dict, str]:
    """A generated task as an eval row and its prompt."""
    return ({"id": "c", "skill": "choice", "correct_choice": task.answer, "choices": task.rules["choices"], "max_words": 30,
             "must_include": [task.answer], "messages": [{"role": "user", "content": task.prompt}]}, task.prompt)


def _units_rows(seeds: range) -> list:
    gen = CHOICE_STAGES["choice_l3_units"][1]
    return [(task, _task_row(task)) for task in (gen(random.Random(seed), "eval", "direct") for seed in seeds)]


def test_every_generated_units_row_judges_claims_in_every_unit_of_its_dimension():
    dims = claim_words().unit_dimensions
    exact = approx = 0
    for task, row in _units_rows(range(60)):
        small = task.problem["key"].split(":")[0]
        base, scale = unit_scales()[small]
        for k, text in enumerate(task.rules["choices"]):
            if LETTERS[k] == task.answer:
                continue
            for unit in (u for u in dims if dims[u] == dims[small] and u != small):
                subject = f"{task.answer}. {LETTERS[k]} is"
                true = int(text) * scale / unit_scales()[unit][1]
                if unit_scales()[unit][0] == base and true == int(true):
                    assert failures(row, f"{subject} {int(true)} {unit}.") == [], (task.prompt, text, unit)
                    assert fails_about(row, f"{subject} {int(true) * 2 + 1} {unit}.", LETTERS[k]), (task.prompt, text, unit)
                    exact += 1
                elif unit_scales()[unit][0] != base:  # joined by readings: the option's own number in the other unit is false under every reading
                    assert fails_about(row, f"{subject} {text} {unit}.", LETTERS[k]), (task.prompt, text, unit)
                    approx += 1
    assert exact >= 100 and approx >= 20


def test_every_generated_units_row_judges_compounds_of_its_two_units():
    checked = 0
    for task, row in _units_rows(range(60)):
        small, big, _ = task.problem["key"].split(":")
        factor = round(unit_scales()[big][1] / unit_scales()[small][1])
        for k, text in enumerate(task.rules["choices"]):
            whole, rest = divmod(int(text), factor)
            if LETTERS[k] == task.answer or not whole or not rest:
                continue
            honest = f"{task.answer}. {LETTERS[k]} is {whole} {big} and {rest} {small}."
            wrong = f"{task.answer}. {LETTERS[k]} is {whole + 1} {big} and {rest} {small}."
            assert failures(row, honest) == [], (task.prompt, honest)
            assert fails_about(row, wrong, LETTERS[k]), (task.prompt, wrong)
            checked += 1
    assert checked >= 20


def test_malformed_readings_and_calendar_starts_name_the_file_and_field(tmp_path, monkeypatch):
    import picochat_hf.eval.choice_amounts as ca
    import picochat_hf.eval.choice_claims as cc
    import picochat_hf.eval.choice_relations as cr
    from picochat_hf.utils.errors import PicochatInputError

    text = cc.CLAIMS_YAML.read_text(encoding="utf-8")
    for old, new, field, load in (("[months, days, 28, 31]", "[months, days, 31, 28]", "approximate_units[0]", ca.bridges),
                                  ("[months, days, 28, 31]", "[months, years, 28, 31]", "approximate_units[0]", ca.bridges),
                                  ("[months, days, 28, 31]", "[months, kilos, 28, 31]", "approximate_units[0]", ca.bridges),
                                  ("days: [monday, sunday]", "days: [moonday]", "calendar_starts.days", cr.relation_words)):
        bad = tmp_path / "choice_claims.yaml"
        assert old in text
        bad.write_text(text.replace(old, new), encoding="utf-8")
        monkeypatch.setattr(cc, "CLAIMS_YAML", bad)
        load.cache_clear()
        try:
            with pytest.raises(PicochatInputError) as err:
                load()
            assert "choice_claims.yaml" in str(err.value) and field in str(err.value), str(err.value)
        finally:
            monkeypatch.setattr(cc, "CLAIMS_YAML", cc.Path(cc.__file__).with_name("choice_claims.yaml"))
            load.cache_clear()


def _calendar_tasks(seeds: range) -> list:
    gen = CHOICE_STAGES["choice_l1_calendar"][1]
    return [gen(random.Random(seed), "eval", "direct") for seed in seeds]


def _after(x: str, y: str) -> bool | None:
    """x comes after y: in the year from January, in a week from Monday and from Sunday; the next one always does."""
    from picochat_hf.data.skills.choice import DAYS, MONTHS

    seq = MONTHS if x in MONTHS else DAYS
    i, j = seq.index(x), seq.index(y)
    if i == (j + 1) % len(seq):
        return True
    starts = [0] if seq is MONTHS else [0, 6]
    said = {(i - s) % len(seq) > (j - s) % len(seq) for s in starts}
    return said.pop() if len(said) == 1 else None


def test_every_generated_calendar_row_judges_plain_order_between_its_options():
    wrong = honest = 0
    for task in _calendar_tasks(range(30)):
        row, opts = _task_row(task), task.rules["choices"]
        for a in range(4):
            for b in range(4):
                if a == b or task.answer in (LETTERS[a], LETTERS[b]):
                    continue
                reply = f"{task.answer}. {LETTERS[a]} comes after {LETTERS[b]}."
                got = failures(row, reply)
                if _after(opts[a], opts[b]) is False:
                    assert any(f"false claim about option {LETTERS[a]}" in f for f in got), (task.prompt, reply)
                    wrong += 1
                else:
                    assert got == [], (task.prompt, reply, got)
                    honest += 1
    assert wrong >= 20 and honest >= 20


def test_a_pronoun_gives_the_asked_property_to_the_option_it_stands_for():
    for task in _units_rows(range(8)):
        _, big, n = task[0].problem["key"].split(":")
        key, row = task[0].answer, task[1]
        other = next(x for x in LETTERS if x != key)
        assert failures(row, f"{key}. It is {n} {big}.") == [], row[1]
        assert any(f"option {other}" in f for f in failures(row, f"{key}. {other}? That one is {n} {big}.")), row[1]
    for task in _calendar_tasks(range(8)):
        kind, x, direction = task.problem["key"].split(":")
        row = _task_row(task)
        other = next(x for x in LETTERS if x != task.answer)
        assert failures(row, f"{task.answer}. It comes right {direction} {x}.") == [], task.prompt
        assert any(f"option {other}" in f for f in failures(row, f"{task.answer}. {other}? That one comes right {direction} {x}.")), task.prompt
