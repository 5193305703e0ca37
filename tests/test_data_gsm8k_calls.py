"""GSM8K calculator annotations: a call whose recorded output its expression does not give is not trained on."""

from __future__ import annotations

import json

import pytest

from picochat_hf.data.schema import read_rows
from picochat_hf.data.sft_mixture import build_sft_mixture, wrong_tool_call

RIGHT = {"question": "Natalia sold 48 clips in April and half as many in May. How many in all?",
         "answer": "In May 48/2 = <<48/2=24>>24.\nIn all 48+24 = <<48+24=72>>72.\n#### 72"}


@pytest.mark.parametrize("answer,wrong", [
    ("So 2+2 = <<2+2=5>>5.\n#### 5", "2+2"),
    ("Half is <<48/2=25>>25.\n#### 25", "48/2"),
    ("Then <<3*7=21>>21 and <<21-4=16>>16.\n#### 16", "21-4"),
    ("A third: <<10/3=3.33>>3.33, rounded <<10/3=3>>3.\n#### 3", None),  # rounded to the digits shown
    ("Pay 12/60 = $<<12/60=0.2>>0.2 each, <<0.2*50=10>>10.\n#### 10", None),
    ("Cost <<2*x=6>>6 and <<1/0=0>>0.\n#### 6", None),  # not plain arithmetic: nothing to check
])
def test_wrong_tool_call(answer, wrong):
    found = wrong_tool_call(answer)
    assert (found is None) if wrong is None else (found is not None and wrong in found)


def test_a_row_whose_calculator_output_is_wrong_is_dropped_and_counted(tmp_path):
    """`<<2+2=5>>` became a python call `2+2` with output `5`: the model was taught that its calculator says 2+2 is 5."""
    bad = {"question": "What is 2 plus 2?", "answer": "So 2+2 = <<2+2=5>>5.\n#### 5"}
    src = tmp_path / "gsm.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in (RIGHT, bad)), encoding="utf-8")
    words = tmp_path / "w.txt"
    words.write_text("apple\nbanana\n", encoding="utf-8")
    paths = build_sft_mixture(tmp_path / "mix", source="offline", local_files={"gsm8k": src, "words": words},
                              gsm8k_epochs=1, simple_spelling_size=1, spelling_bee_size=1, identity_size=1)
    rows = [r for r in read_rows(paths["train"]) if r["category"] == "gsm8k"]
    assert [r["messages"][0]["content"] for r in rows] == [RIGHT["question"]]
    status = json.loads(paths["report_json"].read_text())["status"]["gsm8k:train"]
    assert status["dropped_wrong_tool_output"] == 1 and "2+2" in status["first_dropped"]


@pytest.mark.parametrize("answer,unsupported", [
    ("In May 48/2 = <<48/2=24>>24.\nIn all 48+24 = <<48+24=72>>72.\n#### 73", "73"),
    ("In all 48+24 = <<48+24=72>>72 clips.\n#### 27", "27"),
    ("She keeps 5 apples and gives away 3.\n#### 4", "4"),
    ("In all 48+24 = <<48+24=72>>72.\n#### 72", None),
    ("In all 1,000+200 = <<1000+200=1200>>1,200 dollars.\n#### 1200", None),
    ("She ends with 0.5 of it, so half.\n#### .5", None),
    ("Total is 3 times 4, which is 12.\n#### 12", None),
    ("No number is stated.\n#### 7", None),  # nothing to compare with
    # the working's concluding line is what the final must state: an intermediate or a given number is not it
    ("In May 48/2 = <<48/2=24>>24.\nIn all 48+24 = <<48+24=72>>72.\n#### 24", "24"),
    ("She sold 48 in April.\nIn all 48+24 = <<48+24=72>>72.\n#### 48", "48"),
    ("In all 48+24 = <<48+24=72>>72.\nThat is a lot of clips.\n#### 72", None),  # a closing line without a number
    ("In all she sold 72.\nThat is 24 more than 48.\n#### 72", "72"),  # the trade: a remark with numbers after it
])
def test_unsupported_final(answer, unsupported):
    from picochat_hf.data.sft_mixture import unsupported_final

    assert unsupported_final(answer) == unsupported


def test_a_row_whose_final_answer_its_solution_never_reaches_is_dropped_and_counted(tmp_path):
    """`... <<48+24=72>>72.\\n#### 73` trained the model to finish a correct solution with another answer, and scored
    73 as the row's reference."""
    bad = {"question": "Natalia sold 48 clips in April and half as many in May. How many in all?",
           "answer": RIGHT["answer"].replace("#### 72", "#### 73")}
    src = tmp_path / "gsm.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in (bad, RIGHT)), encoding="utf-8")
    words = tmp_path / "w.txt"
    words.write_text("apple\nbanana\n", encoding="utf-8")
    paths = build_sft_mixture(tmp_path / "mix", source="offline", local_files={"gsm8k": src, "words": words},
                              gsm8k_epochs=1, simple_spelling_size=1, spelling_bee_size=1, identity_size=1)
    rows = [r for r in read_rows(paths["train"]) if r["category"] == "gsm8k"]
    assert [r["normalized_answer"] for r in rows] == ["72"]
    status = json.loads(paths["report_json"].read_text())["status"]["gsm8k:train"]
    assert status["dropped_final_answer_unsupported"] == 1 and "73" in status["first_dropped"]
    assert "dropped_wrong_tool_output" not in status


@pytest.mark.parametrize("answer,unsupported", [
    ("He has 6+1 = <<6+1=7>>7 pets.\n#### eight", "eight"),
    ("He has 6+1 = <<6+1=7>>7 pets.\n#### Eight pets", "Eight pets"),
    ("He has 6+1 = <<6+1=7>>7 pets.\n#### a dozen", "a dozen"),
    ("He has 6+1 = <<6+1=7>>7 pets.\n#### seven", None),
    ("He has 6+1 = <<6+1=7>>7 pets.\n#### 7", None),
])
def test_a_final_in_number_words_is_checked_like_one_in_digits(answer, unsupported):
    """`#### eight` after a working that reaches 7 was kept (a final that is not in digits was not compared) and
    recorded as the row's normalized_answer."""
    from picochat_hf.data.sft_mixture import unsupported_final

    assert unsupported_final(answer, "Bo has 6 cats and 1 dog. How many pets?") == unsupported


def test_a_final_in_number_words_is_recorded_as_its_number(tmp_path):
    from picochat_hf.data.sft_mixture import convert

    raw = {"question": "Bo has 6 cats and 1 dog. How many pets?", "answer": "He has 6+1=<<6+1=7>>7 pets.\n#### seven"}
    row = convert("gsm8k", "train", raw, ("g.jsonl", 1), "g.jsonl")
    assert row is not None and row["normalized_answer"] == "7"
    raw["answer"] = "He has 6+1=<<6+1=7>>7 pets.\n#### 7"
    assert convert("gsm8k", "train", raw, ("g.jsonl", 1), "g.jsonl")["normalized_answer"] == "7"
