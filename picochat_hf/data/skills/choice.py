"""Multiple-choice stages over generated facts, four shuffled options labelled A-D; the answer is the letter.

Fact families: category membership, capitals, opposites, next/previous day or month (level 1-2);
largest/smallest number, even/odd, first letter, unit conversion, alphabetical order and word length
(level 2-3). Every fact is true by construction; the held-out part of each family is fixed by item hash.
"""

from __future__ import annotations

import random
from functools import lru_cache

from .common import Task, item_split, split_pool
from .spelling import word_pool

LETTERS = ["A", "B", "C", "D"]
INSTRUCTIONS = {
    "train": ["Answer with the letter only.", "Reply with A, B, C or D.", "Respond with just the letter of the correct option.",
              "Choose one letter.", "Pick the correct letter."],
    "eval": ["Give only the letter of the right answer.", "Which letter is correct? Answer with one letter.",
             "Select the best option and reply with its letter."],
}
LAYOUTS = {"train": ["{q}\n{opts}\n{ins}", "Question: {q}\n{opts}\n{ins}"],
           "eval": ["{q}\n\n{opts}\n\n{ins}", "Multiple choice. {q}\n{opts}\n{ins}"]}

CATEGORIES = {
    "fruit": "apple banana cherry grape lemon mango orange peach pear plum kiwi papaya apricot melon lime fig guava".split(),
    "animal": "dog cat horse cow sheep goat lion tiger bear wolf fox rabbit deer zebra camel monkey otter".split(),
    "color": "red blue green yellow purple orange pink brown black white gray violet".split(),
    "vehicle": "car bus truck bicycle train tram scooter van motorcycle airplane boat ferry".split(),
    "musical instrument": "piano guitar violin drum flute trumpet cello harp saxophone clarinet banjo".split(),
    "tool": "hammer wrench screwdriver saw drill chisel pliers shovel rake axe".split(),
    "body part": "hand foot elbow knee shoulder ankle wrist finger elbow nose ear chin".split(),
    "vegetable": "carrot potato onion cabbage spinach lettuce broccoli celery pea radish turnip".split(),
    "planet": "Mercury Venus Earth Mars Jupiter Saturn Uranus Neptune".split(),
    "piece of furniture": "chair table sofa bed desk wardrobe bookshelf stool dresser bench".split(),
}
CAPITALS = dict(pair.split(":") for pair in (
    "France:Paris Germany:Berlin Italy:Rome Spain:Madrid Portugal:Lisbon Japan:Tokyo China:Beijing India:New Delhi "
    "Egypt:Cairo Kenya:Nairobi Canada:Ottawa Mexico:Mexico City Brazil:Brasilia Argentina:Buenos Aires Peru:Lima "
    "Chile:Santiago Australia:Canberra Russia:Moscow Norway:Oslo Sweden:Stockholm Finland:Helsinki Denmark:Copenhagen "
    "Poland:Warsaw Greece:Athens Turkey:Ankara Ireland:Dublin Austria:Vienna Hungary:Budapest Belgium:Brussels "
    "Netherlands:Amsterdam Switzerland:Bern Thailand:Bangkok Vietnam:Hanoi Indonesia:Jakarta Philippines:Manila "
    "South Korea:Seoul Iran:Tehran Iraq:Baghdad Nigeria:Abuja Ghana:Accra Morocco:Rabat Ethiopia:Addis Ababa "
    "Colombia:Bogota Cuba:Havana Ukraine:Kyiv Romania:Bucharest Czechia:Prague Iceland:Reykjavik Nepal:Kathmandu "
    "Pakistan:Islamabad Bangladesh:Dhaka Saudi Arabia:Riyadh Venezuela:Caracas Uruguay:Montevideo Scotland:Edinburgh "
    "Wales:Cardiff Croatia:Zagreb Serbia:Belgrade Bulgaria:Sofia Mongolia:Ulaanbaatar"
).replace("New Delhi", "New_Delhi").replace("Mexico City", "Mexico_City").replace("Buenos Aires", "Buenos_Aires")
  .replace("South Korea", "South_Korea").replace("Addis Ababa", "Addis_Ababa").replace("Saudi Arabia", "Saudi_Arabia").split())
CAPITALS = {k.replace("_", " "): v.replace("_", " ") for k, v in CAPITALS.items()}
OPPOSITES = dict(pair.split(":") for pair in (
    "hot:cold big:small fast:slow happy:sad up:down open:closed early:late light:dark full:empty wet:dry loud:quiet "
    "strong:weak rich:poor young:old hard:soft high:low thick:thin long:short clean:dirty inside:outside "
    "first:last push:pull win:lose buy:sell true:false near:far start:finish day:night north:south east:west "
    "above:below arrive:leave remember:forget cheap:expensive deep:shallow sharp:blunt safe:dangerous"
).split())
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
UNITS = [("minutes", "hours", 60), ("seconds", "minutes", 60), ("hours", "days", 24), ("days", "weeks", 7),
         ("months", "years", 12), ("centimeters", "meters", 100), ("grams", "kilograms", 1000), ("meters", "kilometers", 1000),
         ("millimeters", "centimeters", 10), ("milliliters", "liters", 1000)]

QUESTIONS = {
    "category": {"train": ["Which of these is a {cat}?", "Which one is a {cat}?"],
                 "eval": ["Pick the item that is a {cat}.", "Which option names a {cat}?"]},
    "capital": {"train": ["What is the capital of {x}?", "Which city is the capital of {x}?"],
                "eval": ["Name the capital city of {x}.", "The capital of {x} is which city?"]},
    "opposite": {"train": ['What is the opposite of "{x}"?', 'Which word means the opposite of "{x}"?'],
                 "eval": ['Choose the antonym of "{x}".', 'Which word is the reverse of "{x}" in meaning?']},
    "calendar": {"train": ["Which {kind} comes right after {x}?", "Which {kind} comes just before {x}?"],
                 "eval": ["What {kind} follows {x}?", "What {kind} precedes {x}?"]},
    "number": {"train": ["Which number is the {rel}?", "Which of these numbers is the {rel}?"],
               "eval": ["Select the {rel} number.", "Find the {rel} value among these."]},
    "parity": {"train": ["Which of these numbers is {rel}?", "Which number is {rel}?"],
               "eval": ["Select the {rel} number.", "Find the {rel} number among these."]},
    "first_letter": {"train": ['Which word starts with the letter "{x}"?', 'Which of these words begins with "{x}"?'],
                     "eval": ['Pick the word whose first letter is "{x}".', 'Find the word that opens with "{x}".']},
    "units": {"train": ["How many {small} are in {n} {big}?", "{n} {big} equal how many {small}?"],
              "eval": ["Convert {n} {big} to {small}.", "What is {n} {big} expressed in {small}?"]},
    "alphabetical": {"train": ["Which word comes first in alphabetical order?", "Which word would appear first in a dictionary?"],
                     "eval": ["Sorted from A to Z, which word is first?", "Pick the word that is earliest alphabetically."]},
    "word_length": {"train": ["Which word has exactly {n} letters?", "Which of these words is {n} letters long?"],
                    "eval": ["Pick the word made of exactly {n} letters.", "Find the {n}-letter word."]},
}


@lru_cache(maxsize=None)
def _items(family: str) -> dict[str, list]:
    if family == "category":
        items = [(cat, x) for cat, xs in CATEGORIES.items() for x in dict.fromkeys(xs)]
    elif family == "capital":
        items = sorted(CAPITALS.items())
    elif family == "opposite":
        items = sorted(OPPOSITES.items()) + sorted((v, k) for k, v in OPPOSITES.items())
    elif family == "calendar":
        items = [(kind, x, direction) for kind, seq in (("day", DAYS), ("month", MONTHS)) for x in seq
                 for direction in ("after", "before")]
    elif family == "units":
        items = [(small, big, f, n) for small, big, f in UNITS for n in range(2, 13)]
    else:  # number-like families draw fresh items; split by the answer's key inside the generator
        return {"train": [], "eval": []}
    return split_pool(items, key=lambda it: f"{family}:{it}")


def _options(rng: random.Random, correct: str, distractors: list[str]) -> tuple[list[str], str]:
    opts = [correct] + distractors[:3]
    rng.shuffle(opts)
    return opts, LETTERS[opts.index(correct)]


def _pick_distinct(rng: random.Random, pool: list[str], exclude: set[str], k: int = 3) -> list[str]:
    out: list[str] = []
    while len(out) < k:
        x = rng.choice(pool)
        if x not in exclude and x not in out:
            out.append(x)
    return out


def _fact(rng: random.Random, split: str, family: str) -> tuple[str, str, list[str], str]:
    """(question, correct option, three distractors, item key)."""
    q = QUESTIONS[family][split]
    if family == "category":
        cat, x = rng.choice(_items(family)[split])
        others = sorted({y for c, ys in CATEGORIES.items() if c != cat for y in ys} - set(CATEGORIES[cat]))
        return rng.choice(q).format(cat=cat), x, _pick_distinct(rng, others, {x}), f"{cat}:{x}"
    if family == "capital":
        country, city = rng.choice(_items(family)[split])
        return rng.choice(q).format(x=country), city, _pick_distinct(rng, sorted(CAPITALS.values()), {city}), country
    if family == "opposite":
        word, opp = rng.choice(_items(family)[split])
        pool = sorted(set(OPPOSITES) | set(OPPOSITES.values()))
        return rng.choice(q).format(x=word), opp, _pick_distinct(rng, pool, {word, opp}), f"{word}:{opp}"
    if family == "calendar":
        kind, x, direction = rng.choice(_items(family)[split])
        seq = DAYS if kind == "day" else MONTHS
        i = seq.index(x)
        ans = seq[(i + 1) % len(seq)] if direction == "after" else seq[(i - 1) % len(seq)]
        tmpl = [t for t in q if ("after" in t or "follows" in t) == (direction == "after")]
        return rng.choice(tmpl).format(kind=kind, x=x), ans, _pick_distinct(rng, seq, {x, ans}), f"{kind}:{x}:{direction}"
    if family == "units":
        small, big, f, n = rng.choice(_items(family)[split])
        ans = n * f
        wrong = sorted({n * f + f, n * f - f, n * 10, n * 100, n * f * 10, n + f} - {ans, 0})
        return rng.choice(q).format(small=small, big=big, n=n), str(ans), [str(w) for w in rng.sample(wrong, 3)], f"{small}:{big}:{n}"
    return _fresh_fact(rng, split, family, q)


def _fresh_fact(rng: random.Random, split: str, family: str, q: list[str]) -> tuple[str, str, list[str], str]:
    """A fact of a family that draws fresh items (numbers, words): draw until the item belongs to `split`."""
    while True:
        if family in ("number", "parity"):
            nums = rng.sample(range(1, 1000), 4)
            if family == "number":
                rel = rng.choice(["largest", "smallest"])
                ans = max(nums) if rel == "largest" else min(nums)
            else:
                rel = rng.choice(["even", "odd"])
                want = 0 if rel == "even" else 1
                ans = rng.choice([n for n in range(1, 1000) if n % 2 == want])
                nums = [ans] + [n - 1 if n % 2 == want else n for n in nums[:3]]
                nums = [n if n > 0 else n + 2 for n in nums]
                if len(set(nums)) < 4:
                    continue
            key = f"{family}:{rel}:{sorted(nums)}"
            if item_split(key) != split:
                continue
            return rng.choice(q).format(rel=rel), str(ans), [str(n) for n in nums if n != ans], key
        words = word_pool()[split]
        if family == "first_letter":
            ans = rng.choice(words)
            others = [w for w in (rng.choice(words) for _ in range(12)) if w[0] != ans[0]]
            if len(set(others)) < 3:
                continue
            return rng.choice(q).format(x=ans[0]), ans, list(dict.fromkeys(others))[:3], f"first:{ans}"
        if family == "alphabetical":
            ws = list(dict.fromkeys(rng.choice(words) for _ in range(4)))
            if len(ws) < 4:
                continue
            ans = min(ws)
            return rng.choice(q), ans, [w for w in ws if w != ans], f"alpha:{sorted(ws)}"
        # word_length
        ans = rng.choice(words)
        others = list(dict.fromkeys(w for w in (rng.choice(words) for _ in range(12)) if len(w) != len(ans)))
        if len(others) < 3:
            continue
        return rng.choice(q).format(n=len(ans)), ans, others[:3], f"len:{ans}"


def _gen(family: str, stage: str):
    def gen(rng: random.Random, split: str, style: str) -> Task:
        question, correct, distractors, key = _fact(rng, split, family)
        opts, letter = _options(rng, correct, distractors)
        lines = "\n".join(f"{LETTERS[i]}. {o}" for i, o in enumerate(opts))
        prompt = rng.choice(LAYOUTS[split]).format(q=question, opts=lines, ins=rng.choice(INSTRUCTIONS[split]))
        rules = {"must_include": [letter], "max_words": 12, "normalized_answer": letter.lower(), "choices": opts,
                 "correct_choice": letter}
        return Task(skill="choice", category=f"choice_{family}", stage=stage, group=f"choice:{key}", prompt=prompt,
                    answer=letter, rules=rules, problem={"family": family, "key": key, "answer_text": correct},
                    answer_style="direct")

    return gen


CHOICE_STAGES = {
    "choice_l1_category": ("choice", _gen("category", "choice_l1_category")),
    "choice_l1_opposite": ("choice", _gen("opposite", "choice_l1_opposite")),
    "choice_l1_calendar": ("choice", _gen("calendar", "choice_l1_calendar")),
    "choice_l2_capital": ("choice", _gen("capital", "choice_l2_capital")),
    "choice_l2_number": ("choice", _gen("number", "choice_l2_number")),
    "choice_l2_parity": ("choice", _gen("parity", "choice_l2_parity")),
    "choice_l2_first_letter": ("choice", _gen("first_letter", "choice_l2_first_letter")),
    "choice_l3_units": ("choice", _gen("units", "choice_l3_units")),
    "choice_l3_alphabetical": ("choice", _gen("alphabetical", "choice_l3_alphabetical")),
    "choice_l3_word_length": ("choice", _gen("word_length", "choice_l3_word_length")),
}
