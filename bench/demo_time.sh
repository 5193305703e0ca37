#!/usr/bin/env bash
# Wall time of the whole demo (`picochat demo`) on this machine, offline, from an empty run directory.
# Prints the per-stage seconds the demo recorded and the total against the 10-minute target.
#   bash bench/demo_time.sh [OUT_DIR [picochat demo options, e.g. --seed 1 --config my.yaml]]
set -euo pipefail
OUT="${1:-$(mktemp -d)/demo}"
shift || true
export HF_HUB_OFFLINE=1 HF_DATASETS_OFFLINE=1 TRANSFORMERS_OFFLINE=1 TOKENIZERS_PARALLELISM=false
# A fresh torch.compile (inductor) cache unless one is given: the timing includes compiling, as on a first run.
export TORCHINDUCTOR_CACHE_DIR="${TORCHINDUCTOR_CACHE_DIR:-$(mktemp -d)}"
mkdir -p "$(dirname "$OUT")"
read -r load_before _ < /proc/loadavg
start=$(date +%s.%N)
picochat demo --out-dir "$OUT" --force "$@" > "$OUT.log" 2>&1 || { tail -40 "$OUT.log"; exit 1; }
end=$(date +%s.%N)
python - "$OUT" "$start" "$end" "$load_before" <<'PY'
import json, os, sys
out, start, end, load_before = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
state = json.load(open(os.path.join(out, "demo_state.json")))
print(f"cores: {os.cpu_count()}")
for stage, seconds in state["timings"].items():
    if stage != "total":
        print(f"  {stage:<14} {seconds:8.1f} s")
for stage in ("base", "sft"):
    path = os.path.join(out, stage, "train_report.json")
    if os.path.exists(path):
        rep = json.load(open(path))
        real = (rep.get("real_tokens_seen") or 0)
        wall_s = rep.get("wall_time_s") or 0
        rate = f"{real / wall_s:,.0f} real tokens/s" if wall_s else "no wall time"
        print(f"  {stage:<5} training: {rep.get('steps')} steps, {real:,} real tokens in {wall_s:.1f} s = {rate}")
load = os.getloadavg()
print(f"1-min load average before the demo: {load_before:.2f} (above ~0.5: other work was running); at the end, "
      f"the demo's own threads included: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
if os.path.exists(os.path.join(out, "gates", "release.json")):
    rel = json.load(open(os.path.join(out, "gates", "release.json")))
    print(f"release gate ({rel.get('profile')}): {rel['status']}")
wall = end - start
print(f"demo stages total {state['timings']['total']:.1f} s; wall incl. start-up {wall:.1f} s "
      f"({wall / 60:.2f} min; target <= 10 min: {'met' if wall <= 600 else 'MISSED'})")
PY
