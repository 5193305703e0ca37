"""`picochat export hf|native`: Hugging Face folders with a model card and release manifest, or native nanochat."""

from __future__ import annotations

import argparse
import re


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="export checkpoints: HF folder with model card and release manifest (+ Hub push), or native nanochat")
    sub = parser.add_subparsers(dest="export_command", metavar="SUBCOMMAND", required=True)
    hf = sub.add_parser("hf", help="save_pretrained + tokenizer + code + card + release_manifest.json [+ Hub push].")
    hf.add_argument("--checkpoint", required=True, help="Model folder (save_pretrained layout) or LoRA adapter folder.")
    hf.add_argument("--out-dir", required=True)
    hf.add_argument("--tokenizer", default=None,
                    help="Tokenizer folder to check: the export ships the checkpoint's own tokenizer, and stops if this is another.")
    hf.add_argument("--model-name", default=None, type=model_name,
                    help="Hub-style name (owner/name or name): the card's title (default: the --out-dir folder's name)")
    hf.add_argument("--license", default="mit")
    hf.add_argument("--dataset-summary", default="")
    hf.add_argument("--eval-summary", default="")
    hf.add_argument("--run-dir", help="Run directory whose evidence goes into the card (default: found above the checkpoint).")
    hf.add_argument("--force", action="store_true",
                    help="Overwrite an existing out-dir. It never overrides the release gate: a blocked or stale verdict also needs --allow-blocked.")
    hf.add_argument("--allow-blocked", action="store_true",
                    help="Export/push a blocked or stale verdict (the card says BLOCKED or STALE and that it was overridden).")
    hf.add_argument("--no-verify", action="store_true", help="Skip reloading the folder and comparing logits.")
    hf.add_argument("--push-to-hub", action="store_true", help="Upload with huggingface_hub (token from HF_TOKEN).")
    hf.add_argument("--repo-id", help="user/name on the Hub (with --push-to-hub).")
    hf.add_argument("--private", action="store_true")
    hf.set_defaults(func=_hf)
    native = sub.add_parser("native", help="Export as transformers' built-in nanochat model type (no remote code).")
    native.add_argument("--checkpoint", required=True)
    native.add_argument("--out-dir", required=True)
    native.add_argument("--force", action="store_true")
    native.set_defaults(func=_native)


# what a Hub repository may be called: the name is the model card's title and sits inside the card's Python example,
# so a newline ("x\n## Release gate: approved") or a quote would write text into the card that no evidence backs
MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,95}(/[A-Za-z0-9][A-Za-z0-9._-]{0,95})?")


def model_name(text: str) -> str:
    if not MODEL_NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(f"expected a Hub-style name (letters, digits, '.', '_', '-'; optionally owner/name), got {text!r}")
    return text


def _hf(args: argparse.Namespace) -> int:
    from ..export.hf_export import export_hf
    from ..utils.errors import PicochatInputError

    if args.push_to_hub and not args.repo_id:
        raise PicochatInputError("--push-to-hub needs --repo-id user/name", field="repo_id")
    for flag, given in (("repo_id", args.repo_id is not None), ("private", args.private)):
        if given and not args.push_to_hub:  # accepted and then ignored, a user would think the folder was uploaded
            raise PicochatInputError(f"--{flag.replace('_', '-')} only applies to an upload; add --push-to-hub", field=flag)
    if args.model_name is None:
        args.model_name = _default_model_name(args.out_dir)
    if args.tokenizer is not None:
        _check_tokenizer(args.checkpoint, args.tokenizer, args.run_dir)
    # overwriting a folder and overriding the gate are two decisions: --force alone never exports a blocked model
    allow_blocked = args.allow_blocked
    out = export_hf(args.checkpoint, args.out_dir, model_name=args.model_name, license=args.license,
                    dataset_summary=args.dataset_summary, eval_summary=args.eval_summary, run_dir=args.run_dir,
                    force=args.force, allow_blocked=allow_blocked, verify=not args.no_verify)
    from ..utils.io import read_json

    from ..export.hf_export import MANIFEST

    gate = read_json(out / MANIFEST)["gate"]
    print(f"exported {out} (release gate: {gate['status']}; {gate['sentence']})")
    if args.push_to_hub:
        from ..export.hub import push_to_hub

        plan = push_to_hub(out, args.repo_id, private=args.private, allow_blocked=allow_blocked)
        print(f"pushed {len(plan['files'])} files to {plan['repo_id']}: {plan.get('commit_url')}")
    return 0


def _default_model_name(out_dir: str) -> str:
    """The card's title when --model-name is not given: the export folder's name (`exports/picochat-r1` ->
    `picochat-r1`), as the benchmark protocol's first export writes it; a folder name no Hub repository could have is
    refused, asking for --model-name."""
    from pathlib import Path

    from ..utils.errors import PicochatInputError

    name = Path(out_dir).resolve().name
    if not MODEL_NAME.fullmatch(name):
        raise PicochatInputError(f"the --out-dir folder's name {name!r} is not a Hub-style name (letters, digits, '.', "
                                 "'_', '-'); pass --model-name", field="model_name")
    return name


def _check_tokenizer(checkpoint: str, tokenizer: str, run_dir: str | None) -> None:
    """Refuse `--tokenizer` naming another tokenizer than the one the export ships beside the checkpoint."""
    from pathlib import Path

    from ..run_dir import RunDir, shipped_tokenizer_dir
    from ..tokenizer import load_tokenizer, tokenizer_hash
    from ..utils.errors import PicochatInputError

    given = tokenizer_hash(load_tokenizer(tokenizer))
    shipped = shipped_tokenizer_dir(Path(checkpoint), RunDir(run_dir) if run_dir else None)
    if shipped is None:
        return  # the export itself refuses a checkpoint without a tokenizer, naming it
    ships = tokenizer_hash(load_tokenizer(shipped))
    if given != ships:
        raise PicochatInputError(f"the export ships the tokenizer in {shipped} (hash {ships[:12]}), not this one (hash "
                                 f"{given[:12]}); export the checkpoint trained with it", path=tokenizer, field="tokenizer")


def _native(args: argparse.Namespace) -> int:
    from ..export.native import export_native

    out = export_native(args.checkpoint, args.out_dir, force=args.force)
    print(f"exported {out}")
    return 0
