"""One name per setting: every parser's flags, the config dataclasses' own fields, the preflight thresholds and the
keywords of every public Python function are walked, and a second name for one setting fails unless
`utils/setting_names.yaml` lists it (an old name, accepted with a one-line note, or a spelling TRL uses); the old names
keep working."""

from __future__ import annotations

import argparse
import ast
import dataclasses
import functools
import importlib
import inspect
import pkgutil
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from picochat_hf.cli import build_parser, main
from picochat_hf.utils.setting_names import deprecated_flags, setting_names


def _walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, argparse.Action]]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _walk(sub, (*prefix, name))
        elif any(o.startswith("--") for o in action.option_strings) and action.dest != "help":
            yield " ".join(prefix), action


def _names(action: argparse.Action) -> list[str]:
    """The action's long option names, `--a-b` and `--a_b` being one name, in the order given."""
    out: list[str] = []
    for option in action.option_strings:
        name = option[2:].replace("-", "_") if option.startswith("--") else None
        if name and name not in out:
            out.append(name)
    return out


def _other_names(command: str) -> dict[str, str]:
    spellings = setting_names()["spellings"]
    return {**spellings.get("*", {}), **spellings.get(command, {}), **deprecated_flags(command)}


def _fold(name: str) -> str:
    """The name with the synonyms of `setting_names.yaml` folded (whole `_`-separated words only)."""
    text = f"_{name}_"
    for word, same in sorted(setting_names()["synonyms"].items(), key=lambda kv: -len(kv[0])):
        text = text.replace(f"_{word}_", f"_{same}_")
    return text.strip("_")


def _config_fields() -> set[str]:
    """Fields the picochat config dataclasses declare themselves (TRL's and transformers' are theirs to name)."""
    from picochat_hf.training import config as cfg

    names: set[str] = set()
    for cls in (cfg.PicochatSFTConfig, cfg.PicochatPretrainConfig, cfg.PicochatDPOConfig):
        for klass in cls.__mro__:
            if klass.__module__.startswith("picochat_hf") and dataclasses.is_dataclass(klass):
                names.update(klass.__dict__.get("__annotations__", {}))
    kept = set(setting_names()["spellings"].get("fields", {}))
    return names - kept


def _threshold_keys(data: object, where: str = "preflight") -> Iterator[tuple[str, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield where, str(key)
            yield from _threshold_keys(value, f"{where}.{key}")


def two_names(settings: dict[str, set[str]]) -> list[str]:
    """Problems: names (name -> where it is used) that fold to one setting, unless a `distinct` entry sets them apart
    and lists every place that uses each."""
    distinct = [entry["names"] for entry in setting_names()["distinct"]]
    groups: dict[str, set[str]] = defaultdict(set)
    for name in settings:
        groups[_fold(name)].add(name)
    problems = []
    for group in groups.values():
        for a in sorted(group):
            for b in sorted(group):
                apart = any({a, b} <= set(names) and settings[a] <= set(names[a]) and settings[b] <= set(names[b])
                            for names in distinct)
                if a < b and not apart:
                    problems.append(f"{a} ({', '.join(sorted(settings[a]))}) and {b} ({', '.join(sorted(settings[b]))})")
    return problems


def _all_settings() -> dict[str, set[str]]:
    from picochat_hf.gates.common import PROFILE_NAMES, packaged_yaml
    from picochat_hf.training.flags import FLAG_FIELDS

    settings: dict[str, set[str]] = defaultdict(set)
    for command, action in _walk(build_parser()):
        name = _names(action)[0]
        if command.startswith("train "):  # the train flags are the CLI's spelling of a field (training/flags.py)
            name = FLAG_FIELDS.get(name, name)
        settings[name].add(command or "picochat")
    for name in _config_fields():
        settings[name].add("config")
    for where, key in _threshold_keys(packaged_yaml("preflight.yaml")):
        settings[key].add(where)
    for profile in PROFILE_NAMES:  # the gate profiles' own keys (release rules), which users copy and edit
        for _, key in _threshold_keys(packaged_yaml(f"{profile}.yaml"), profile):
            settings[key].add(f"profile {profile}")
    for qualname, func in public_functions():  # a keyword of the Python API is a name for its setting too
        for name in _keywords(func):
            settings[name].add(f"python {qualname.rsplit('.', 1)[0]}")
    return settings


@functools.lru_cache(maxsize=1)
def public_functions() -> tuple[tuple[str, Callable], ...]:
    """(module.function, function) for every public function a picochat_hf module defines."""
    import picochat_hf

    found = []
    for info in pkgutil.walk_packages(picochat_hf.__path__, "picochat_hf."):
        if info.name.rsplit(".", 1)[-1] == "__main__":  # running it is the CLI
            continue
        module = importlib.import_module(info.name)
        for name, obj in vars(module).items():
            if not name.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__:
                found.append((f"{info.name}.{name}", obj))
    return tuple(found)


def _keywords(func: Callable) -> list[str]:
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return [p.name for p in inspect.signature(func).parameters.values() if p.kind in kinds]


def test_every_other_flag_name_is_listed():
    problems = []
    for command, action in _walk(build_parser()):
        names = _names(action)
        listed = _other_names(command)
        problems += [f"{command}: --{other} beside --{names[0]}" for other in names[1:] if listed.get(other) != names[0]]
    assert not problems, "flags with a second name setting_names.yaml does not list: " + "; ".join(problems)


def test_no_two_names_for_one_setting():
    assert not two_names(_all_settings())


def test_the_sweep_catches_the_known_pairs():
    """The fold sees the pairs this table was made for; a new pair is reported naming both and where they are."""
    assert _fold("val_fraction") == _fold("heldout_fraction")
    assert _fold("target_param_data_ratio") == _fold("target_tokens_per_param")
    assert _fold("text_field") == _fold("text_column")
    assert _fold("num_workers") == _fold("num_proc")
    found = two_names({"text_field": {"tokenizer train"}, "text_column": {"data import"}, "seed": {"config"}})
    assert found == ["text_column (data import) and text_field (tokenizer train)"]
    assert two_names({"val_fraction": {"train base"}, "heldout_fraction": {"train sft"}}) == []  # `distinct`
    # the defect this sweep was written for: `eval sft-fit --val-fraction` for the rows `train sft --heldout-fraction` holds out
    assert two_names({"val_fraction": {"train base", "eval sft-fit"}, "heldout_fraction": {"train sft"}}) == [
        "heldout_fraction (train sft) and val_fraction (eval sft-fit, train base)"]


def test_deprecated_names_resolve_to_a_flag_of_their_command():
    table = setting_names()["deprecated"]["flags"]
    flags = defaultdict(set)
    for command, action in _walk(build_parser()):
        flags[command].update(_names(action))
    for command, aliases in table.items():
        for alias, name in aliases.items():
            assert {alias, name} <= flags[command], (command, alias, name)


# ---- the old names still work, with a one-line note; the names work without one


def _fit_args(flag: str, value: str) -> argparse.Namespace:
    return build_parser().parse_args(["eval", "sft-fit", "--input", "rows.jsonl", "--checkpoint", "m", flag, value,
                                      "--out-dir", "out"])


@pytest.mark.parametrize("flag", ["--heldout-fraction", "--val-fraction"])
def test_sft_fit_heldout_fraction_and_its_old_name_set_one_field(flag):
    assert _fit_args(flag, "0.2").heldout_fraction == 0.2


def test_sft_fit_old_name_notes_the_name_to_use(tmp_path, capsys):
    rc = main(["eval", "sft-fit", "--input", str(tmp_path / "missing.jsonl"), "--checkpoint", str(tmp_path / "m"),
               "--val-fraction", "0.2", "--out-dir", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert rc == 2  # the missing input, after the note
    assert "picochat: note: --val-fraction is the old name of --heldout-fraction (field 'heldout_fraction')" in err
    rc = main(["eval", "sft-fit", "--input", str(tmp_path / "missing.jsonl"), "--checkpoint", str(tmp_path / "m"),
               "--heldout-fraction", "0.2", "--out-dir", str(tmp_path / "out")])
    assert rc == 2 and "note:" not in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--heldout-fraction", "--val-fraction"])
def test_sft_fit_heldout_fraction_out_of_range_is_one_line(flag, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["eval", "sft-fit", "--input", "rows.jsonl", "--checkpoint", "m", flag, "1.5", "--out-dir", str(tmp_path / "o")])
    err = capsys.readouterr().err.strip()
    assert exc.value.code == 2 and "--heldout-fraction" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("flag", ["--text-column", "--text-field"])
def test_tokenizer_text_column_and_its_old_name(flag, tmp_path, capsys):
    data = tmp_path / "docs.jsonl"
    data.write_text("\n".join('{"body": "the quick brown fox jumps over the lazy dog %d"}' % i for i in range(40)) + "\n")
    out = tmp_path / "tok"
    assert main(["tokenizer", "train", "--input", str(data), flag, "body", "--vocab-size", "300", "--out-dir", str(out)]) == 0
    err = capsys.readouterr().err
    assert (out / "tokenizer.json").is_file()
    assert ("--text-field is the old name of --text-column" in err) == (flag == "--text-field")


def test_tokenizer_text_column_missing_names_the_field(tmp_path, capsys):
    data = tmp_path / "docs.jsonl"
    data.write_text('{"text": "hello there"}\n')
    rc = main(["tokenizer", "train", "--input", str(data), "--text-column", "body", "--vocab-size", "300",
               "--out-dir", str(tmp_path / "tok")])
    err = capsys.readouterr().err.strip()
    assert rc == 2 and "body" in err and len(err.splitlines()) == 1 and not (tmp_path / "tok").exists()


@pytest.mark.parametrize("flags", [["--dataset-name", "d", "--dataset-config", "c", "--dataset-train-split", "s"],
                                   ["--hf-dataset", "d", "--hf-config", "c", "--split", "s"]])
def test_data_import_dataset_flags_and_their_old_names(flags):
    args = build_parser().parse_args(["data", "import", *flags, "--out-dir", "o"])
    assert (args.dataset_name, args.dataset_config, args.dataset_train_split) == ("d", "c", "s")


def _profile(tmp_path, compute_optimal: dict):
    import yaml

    path = tmp_path / "profile.yaml"
    path.write_text(yaml.safe_dump({"extends": "research", "name": "mine", "preflight": {"compute_optimal": compute_optimal}}))
    return path


@pytest.mark.parametrize("key", ["target_tokens_per_param", "target_param_data_ratio"])
def test_preflight_target_and_its_nanochat_name(key, tmp_path, capsys):
    from picochat_hf.gates.common import load_profile

    profile = load_profile(_profile(tmp_path, {key: 12}))
    assert profile["preflight"]["compute_optimal"]["target_tokens_per_param"] == 12
    assert "target_param_data_ratio" not in profile["preflight"]["compute_optimal"]
    noted = "compute_optimal.target_param_data_ratio is the old name of" in capsys.readouterr().err
    assert noted == (key == "target_param_data_ratio")


def test_preflight_target_given_twice_is_refused_naming_the_old_name(tmp_path):
    from picochat_hf.gates.common import load_profile
    from picochat_hf.utils.errors import PicochatInputError

    with pytest.raises(PicochatInputError, match="target_param_data_ratio"):
        load_profile(_profile(tmp_path, {"target_tokens_per_param": 12, "target_param_data_ratio": 20}))


@pytest.mark.parametrize("stage, key, other", [("sft", "val_fraction", "heldout_fraction"),
                                               ("base", "heldout_fraction", "val_fraction")])
def test_the_other_stages_held_out_share_in_a_config_names_this_ones(stage, key, other, tmp_path):
    """`val_fraction: 0.1` in an SFT config (or heldout_fraction in a base one) is refused naming the file, line and
    key, and says which field this config holds rows out with; the right key in the same file is read."""
    from picochat_hf.training.config import PicochatPretrainConfig, PicochatSFTConfig, parse_config
    from picochat_hf.utils.errors import PicochatInputError

    cls = PicochatSFTConfig if stage == "sft" else PicochatPretrainConfig
    path = tmp_path / "c.yaml"
    path.write_text(f"device_kind: cpu\n{key}: 0.1\n")
    with pytest.raises(PicochatInputError) as err:
        parse_config(cls, ["--config", str(path), "--output_dir", str(tmp_path / "o")])
    assert err.value.field == key and err.value.line == 2 and f"this config's setting is {other}" in str(err.value)
    path.write_text(f"device_kind: cpu\n{other}: 0.1\n")
    assert getattr(parse_config(cls, ["--config", str(path), "--output_dir", str(tmp_path / "o")]), other) == 0.1


def test_an_old_name_of_one_command_is_no_note_in_another(tmp_path, capsys):
    """`--split` is data import's old name of --dataset-train-split, but eval sft-fit's own train/heldout choice."""
    main(["eval", "sft-fit", "--input", str(tmp_path / "missing.jsonl"), "--checkpoint", str(tmp_path / "m"),
          "--split", "heldout", "--out-dir", str(tmp_path / "o")])
    assert "note:" not in capsys.readouterr().err
    main(["data", "import", "--input", str(tmp_path / "missing.txt"), "--split", "train", "--out-dir", str(tmp_path / "p")])
    err = capsys.readouterr().err
    assert "picochat: note: --split is the old name of --dataset-train-split (field 'dataset_train_split')" in err


# ---- the Python API: a command's functions take its settings under their names


def keyword_mismatches(source: str, public: set[str]) -> list[tuple[str, str, str, int]]:
    """(function, keyword, flag, line) for each call in `source` of a public picochat_hf function that passes a flag's
    value (`args.<flag>`, alone or in an expression reading no other flag) under another keyword."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if func not in public:
            continue
        for kw in node.keywords:
            flags = {n.attr for n in ast.walk(kw.value)
                     if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name) and n.value.id == "args"}
            flag = flags.pop() if len(flags) == 1 else None
            if kw.arg is not None and flag not in (None, kw.arg, f"no_{kw.arg}"):  # `--no-dedup`: dedup=not args.no_dedup
                found.append((func, kw.arg, flag, node.lineno))
    return found


def test_the_cli_passes_each_setting_to_python_under_its_name():
    """A command hands a flag's value to the Python function under the flag's name; `spellings.keywords` lists the
    few keywords that are a reader's or a builtin's own, and every entry there is still used."""
    import picochat_hf

    public = {qualname.rsplit(".", 1)[1] for qualname, _ in public_functions()}
    listed = setting_names()["spellings"]["keywords"]
    problems, used = [], set()
    for path in sorted(Path(picochat_hf.__file__).parent.rglob("*.py")):
        for func, keyword, flag, line in keyword_mismatches(path.read_text(encoding="utf-8"), public):
            if listed.get(func, {}).get(keyword) == flag:
                used.add((func, keyword))
            else:
                problems.append(f"{path.name}:{line}: {func}({keyword}=args.{flag})")
    assert not problems, "a setting passed to Python under a second name: " + "; ".join(problems)
    assert used == {(func, keyword) for func, keywords in listed.items() for keyword in keywords}


def test_the_keyword_sweep_catches_the_calls_it_was_written_for():
    old = ("import_dataset_pack(None, out, hf_dataset=args.dataset_name, split=args.dataset_train_split, force=args.force)\n"
           "run_sft_fit(r, c, o, val_fraction=D if args.heldout_fraction is None else args.heldout_fraction)\n"
           "print(split=args.dataset_train_split)\n"
           "run_sft_fit(r, c, o, heldout_fraction=D if args.heldout_fraction is None else args.heldout_fraction)\n")
    assert keyword_mismatches(old, {"import_dataset_pack", "run_sft_fit"}) == [
        ("import_dataset_pack", "hf_dataset", "dataset_name", 1), ("import_dataset_pack", "split", "dataset_train_split", 1),
        ("run_sft_fit", "val_fraction", "heldout_fraction", 2)]


def test_public_keywords_fold_into_the_two_names_sweep():
    """A public function keeping a renamed setting's old name as its keyword is a second name the sweep reports."""
    settings = _all_settings()
    assert "python picochat_hf.eval.sft_fit" in settings["heldout_fraction"]
    assert "val_fraction" not in _keywords(dict(public_functions())["picochat_hf.eval.sft_fit.run_sft_fit"])
    settings["val_fraction"].add("python picochat_hf.eval.sft_fit")  # run_sft_fit(val_fraction=...) as it was
    assert two_names(settings) == [f"heldout_fraction ({', '.join(sorted(settings['heldout_fraction']))}) and "
                                   f"val_fraction ({', '.join(sorted(settings['val_fraction']))})"]


COMMAND_FUNCTIONS = {
    "picochat_hf.eval.sft_fit.run_sft_fit": "eval sft-fit",
    "picochat_hf.eval.sft_fit.split_rows": "eval sft-fit",
    "picochat_hf.eval.sft_fit.heldout_check": "eval sft-fit",
    "picochat_hf.eval.splits.split_train_heldout": "eval sft-fit",
    "picochat_hf.data.dataset_pack.import_dataset_pack": "data import",
    "picochat_hf.data.reasoning_import.import_reasoning_traces": "data reasoning-import",
    "picochat_hf.eval.lm_harness.run_lm_harness": "eval lm-harness",
    "picochat_hf.eval.lm_harness.build_command": "eval lm-harness",
    "picochat_hf.eval.lm_harness.decide_trust_remote_code": "eval lm-harness",
    "picochat_hf.eval.lm_harness.own_code_files": "eval lm-harness",
    "picochat_hf.tokenizer.iter_texts_from_files": "tokenizer train",
}


def test_a_commands_functions_take_the_new_names_and_accept_the_old():
    """Every function that takes a setting a command renamed carries the new name, and `old_keywords(command)` keeps
    the old one working; no public function keeps an old name a command's table lists beside the setting's own."""
    decorated = {q: f.__setting_command__ for q, f in public_functions() if hasattr(f, "__setting_command__")}
    assert decorated == COMMAND_FUNCTIONS
    problems = []
    for qualname, func in public_functions():
        params = set(_keywords(func))
        for command, table in setting_names()["deprecated"]["flags"].items():
            for alias, name in table.items():
                if alias in params and name in params:
                    problems.append(f"{qualname}: {alias} beside {name}")
                if qualname in COMMAND_FUNCTIONS and COMMAND_FUNCTIONS[qualname] == command and alias in params:
                    problems.append(f"{qualname}: {alias} (the old name of {name})")
    assert not problems
    for qualname, command in COMMAND_FUNCTIONS.items():
        params = set(_keywords(dict(public_functions())[qualname]))
        assert params & set(deprecated_flags(command).values()), qualname  # it takes a setting the command renamed
