"""The commands and flags of the seed documents: each does what the document says or is refused in one line."""

from __future__ import annotations

import pytest

from picochat_hf.cli import main as cli_main


def _run(argv: list[str]) -> int:
    try:
        return cli_main(argv)
    except SystemExit as exc:  # argparse usage errors exit through SystemExit
        return int(exc.code)


@pytest.mark.parametrize("value", ["1", "8"])
def test_eval_external_max_new_tokens_is_refused_with_its_reason(tmp_path, capsys, value):
    """The benchmark protocol's `eval external ... --max-new-tokens 1` was refused as an unrecognised argument,
    which reads like a typo; external evaluation compares letter logits and generates nothing, so the flag could
    only be ignored. It is refused naming the field and why."""
    (tmp_path / "arc.jsonl").write_text("{}\n", encoding="utf-8")
    rc = _run(["eval", "external", "--input", str(tmp_path / "arc.jsonl"), "--format", "arc", "--benchmark-name", "arc_easy",
                   "--checkpoint", str(tmp_path / "ckpt"), "--out-dir", str(tmp_path / "out"), "--max-new-tokens", value])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and "max-new-tokens" in err[0] and "letter logits" in err[0]
    assert not (tmp_path / "out").exists()
