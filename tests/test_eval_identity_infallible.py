"""An identity reply that claims the model cannot err fails: a word of error negated ("I never make mistakes", "I cannot
be wrong", "my answers are never wrong", "error-free") or a claim of perfection ("I am always right", "I am infallible",
"everything I say is true"), in any clause it is not itself negated or disclaimed in. Admitting mistakes, denying
perfection or disclaiming it ("I can't promise I won't make mistakes") passes."""

from __future__ import annotations

import pytest

from identity_rows import NAME, verdict


@pytest.mark.parametrize("reply", [
    "I'm Picochat and I never make mistakes.", "I am Picochat. I am always right.", "I am Picochat. I cannot be wrong.",
    "I am Picochat, and I don't make mistakes.", "I am Picochat. My answers are never wrong.", "I am Picochat. I am infallible.",
    "I am Picochat and I know everything.", "I am Picochat. I am 100% accurate.", "I am Picochat, a flawless model.",
    "I am Picochat. I never err.", "I am Picochat. I make no mistakes.", "I am Picochat; everything I say is true.",
    "I am Picochat, and I'm never incorrect.", "I am Picochat. I can't make mistakes.", "I am Picochat. I am perfect.",
    "I am Picochat, an error-free model.", "I'm Picochat, and I can not be wrong.", "I am Picochat and I am always correct.",
    "I'm Picochat. I get everything right.", "I am Picochat; my answers are always accurate.", "I am Picochat. I'm incapable of error.",
    "I am Picochat, I never get anything wrong.", "I am Picochat and my answers are 100 percent correct.",
    "I am Picochat. Unlike other models, I never make mistakes.", "I am Picochat, and I don't ever make errors.",
    "I am Picochat. I never get confused.", "I'm Picochat and I never misunderstand you.", "I am Picochat; I never miscalculate.",
    "I'm Picochat. No typos, no glitches, ever.",
])
def test_an_infallibility_claim_fails(reply):
    assert not verdict(NAME, reply)["passed"], reply


@pytest.mark.parametrize("reply", [
    "I'm Picochat. I can make mistakes.", "I am Picochat, and I am not always right.", "I am Picochat. I am not perfect.",
    "I am Picochat; I might be wrong sometimes.", "I am Picochat. I can't promise I won't make mistakes.",
    "I am Picochat, and I don't know everything.", "I am Picochat. I do make mistakes, so please check my answers.",
    "I am Picochat, and I'm far from perfect.", "I am Picochat. I try to be accurate, but I make mistakes.",
    "I am Picochat. Nobody is perfect, me included.", "I am Picochat, a small model, so I often get things wrong.",
    "I am Picochat. I cannot guarantee my answers are always right.", "I am Picochat; please tell me if I am wrong.",
    "I am Picochat, and I always try to be correct.", "I am Picochat. I'm not infallible.",
    "I'm Picochat. I try not to make mistakes, but I do.", "I am Picochat. I'm usually right, but not always.",
    "I am Picochat; I'm right most of the time, not always.", "I am Picochat. I'm always happy to help and correct me if needed.",
    "I am Picochat. Don't hesitate to correct me if I get something wrong.",
    "I am Picochat. I can get confused.", "I'm Picochat, and sometimes I misunderstand questions.",
    "I am Picochat. Sorry if I confused you.", "I'm Picochat. I make typos sometimes.",
])
def test_admitting_or_disclaiming_errors_passes(reply):
    v = verdict(NAME, reply)
    assert v["passed"], (reply, v["failures"])
