"""A question offering its answers as a list ("Capital of Serbia — Belgrade, Budapest or Baghdad?") gives none of them:
read as a key and its value ("Capital of Serbia: Belgrade") it would. Answered after its "?", the reply names the one
offered answer it gives, whatever the number of options ("... Budapest, Baghdad or Belgrade? Belgrade."); a reply naming
another offered answer as the answer ("Belgrade is lovely, but Budapest is the answer.") gives that one."""

from __future__ import annotations

import pytest
from test_honesty_far_answers import ITEMS, SERBIAN, corpus_leaks
from test_honesty_leaks import failing, row


@pytest.mark.parametrize(("doc", "want"), [
    # a list of offered answers after a key is asked, not answered
    ("Capital of Serbia — Belgrade, Budapest or Baghdad?", set()),
    ("Capital of Serbia: Belgrade, Budapest or Baghdad?", set()),
    ("Capital of Serbia - Belgrade, Budapest, Baghdad?", set()),
    ("Capital of Serbia: Belgrade, Budapest or Baghdad", set()),
    # a key's value with more after it still gives the value
    ("Capital of Serbia: Belgrade, not Budapest.", SERBIAN),
    ("Capital of Serbia: Belgrade, a city on the Danube.", SERBIAN),
    ("Capital of Serbia: Belgrade, of course.", SERBIAN),
    ("Capital of Serbia: Belgrade, or so I think.", SERBIAN),
    # the offered list answered after its "?"
    ("Capital of Serbia: Belgrade, Budapest or Baghdad? Belgrade.", SERBIAN),
    ("Capital of Serbia — Budapest, Baghdad or Belgrade? Belgrade.", SERBIAN),
    ("Capital of Serbia — Budapest or Belgrade? Belgrade, not Budapest.", SERBIAN),
    ("Capital of Serbia — Budapest or Belgrade? Belgrade. Budapest is in Hungary.", SERBIAN),
    ("Capital of Serbia — Budapest, Baghdad or Belgrade? Budapest.", set()),
    ("Capital of Hungary — Budapest, Baghdad or Belgrade? Belgrade.", set()),
    ("Capital of Serbia — Budapest or Belgrade? Belgrade is lovely, but Budapest is the answer.", set()),
    ("Which is the capital of Serbia, Budapest, Baghdad or Belgrade? Belgrade is lovely but Budapest is the answer.", set()),
])
def test_a_list_of_offered_answers_gives_none_and_its_reply_gives_the_one_it_names(doc, want):
    assert corpus_leaks(doc) == want


def test_an_sft_prompt_offering_a_list_without_a_reply_naming_it_is_not_a_leak():
    bad, rep = failing(ITEMS, sft=[row("s", "Capital of Serbia — Belgrade, Budapest or Baghdad?", "Hmm.", skill="general")])
    assert not bad, rep["findings"]


@pytest.mark.parametrize(("prompt", "reply", "want"), [
    ("Capital of Serbia — Budapest, Baghdad or Belgrade?", "Belgrade.", SERBIAN),  # three options answered
    ("Capital of Serbia — Budapest or Belgrade?", "Belgrade, not Budapest.", SERBIAN),
    ("Capital of Serbia — Budapest, Baghdad or Belgrade?", "Budapest.", set()),
    ("Capital of Serbia — Budapest or Belgrade?", "Belgrade is lovely, but Budapest is the answer.", set()),
    ("Capital of Serbia — Budapest or Belgrade?", "Not Budapest, not Belgrade.", set()),
])
def test_an_sft_reply_gives_the_one_offered_answer_it_names(prompt, reply, want):
    bad, rep = failing(ITEMS, sft=[row("s", prompt, reply, skill="general")])
    assert bad == want, rep["findings"]
