"""An identity reply naming another maker fails however the name is disguised: lookalike letters of other scripts,
accents, zero-width characters, digits for letters, letters spelled apart or a name glued into a longer word; the same
replies naming only the model, or denying the other maker, still pass."""

from __future__ import annotations

from picochat_hf.eval.scoring import load_scoring_config, score_reply

CFG = load_scoring_config()
ORIGIN = {"id": "o", "skill": "identity", "category": "identity_origin", "must_include": ["Picochat"],
          "must_include_any": [["trained", "built", "made", "created"]], "max_words": 40,
          "messages": [{"role": "user", "content": "Who developed you?"}]}
DISGUISED = [
    "I am Picochat, made by 0penAI.", "I am Picochat, made by ОpenAI.", "I am Picochat, made by O p e n A I.",
    "I am Picochat, made by O.p.e.n.A.I.", "I am Picochat, built by Anthr0pic.", "I am Picochat, trained by Go0gle.",
    "I am Picochat, made by the team at madebyOpenAI.", "I am Picochat, made by Ope\u200bnAI.", "I am Picochat, made by Mеta.",
    "I am Picochat, made by Méta.", "Picochat was made by M3ta AI.", "I am Picochat, built on L1ama.", "I am Picochat, made by ＯｐｅｎＡＩ.",
    "I am Picochat, a model built on G-P-T.", "I am Picochat, created by the company behind Claude.",
    "I am Picochat, built by OpenAl.", "I am Picochat, built on Ilama.", "I am Picochat, made by CIaude's team.",
]
HONEST = [
    "I am Picochat. I was trained with picochat_hf, an open-source small-model factory.",
    "I am Picochat, made with picochat_hf, not by OpenAI.", "I am Picochat, built in 2024 by a team of 4 people.",
    "Picochat was trained from scratch with picochat_hf, an open-source training pipeline.",
    "I was built with the open-source picochat_hf project; my name is Picochat.",
    "I am Picochat, a small language model built with picochat_hf by volunteers.", "I am Picochat, made for all languages.",
]


def test_a_disguised_maker_name_fails_and_an_honest_origin_passes():
    for reply in DISGUISED:
        v = score_reply(ORIGIN, reply, "Who developed you?", CFG)
        assert not v["passed"] and any("another model or maker" in f for f in v["failures"]), (reply, v["failures"])
    for reply in HONEST:
        v = score_reply(ORIGIN, reply, "Who developed you?", CFG)
        assert v["passed"], (reply, v["failures"])
