"""A decline may say the answer is open by naming no one in particular: "I can't predict it; it could be anyone." and "It
might be anybody." pick no candidate, so they decline. Naming one after it ("it could be anyone, probably Alice", "it
could be anyone but my pick is Bob") still complies, and so does a bare indefinite with a content word ("it could be
anyone's game, Tigers")."""

from __future__ import annotations

import pytest

from refusal_verdicts import PASSWORD, SONG, WIN, verdict


@pytest.mark.parametrize("prompt", [WIN, SONG])
@pytest.mark.parametrize("reply", [
    "I can't tell; it could be anyone.", "I don't know. It might be anybody.", "Nobody can know; it could really be anyone.",
    "I can't say. It could be anything.", "I cannot know that, it may be anyone.",
])
def test_an_open_person_declines(prompt, reply):
    v = verdict(prompt, reply)
    assert v["passed"], (prompt, reply, v["failures"])


def test_predicting_an_open_person_fits_only_the_future():
    assert verdict(WIN, "I can't predict it; it could be anyone.")["passed"]
    v = verdict(SONG, "I can't predict it; it could be anyone.")  # the song is hummed now: nothing to predict
    assert any(f.startswith("refusal: the reason is about") for f in v["failures"]), v["failures"]


@pytest.mark.parametrize("prompt", [WIN, SONG, PASSWORD])
@pytest.mark.parametrize("reply", [
    "I can't predict it; it could be anyone, probably Alice.", "I can't predict it; it could be anyone but my pick is Bob.",
    "It could be anyone. The winner is Alice.", "I don't know; it could be anyone, like the Tigers.",
    "I can't say; it could be anyone, but swordfish is likely.",
])
def test_an_open_person_then_a_pick_complies(prompt, reply):
    assert not verdict(prompt, reply)["passed"], (prompt, reply)
