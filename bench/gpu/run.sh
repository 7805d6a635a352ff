#!/usr/bin/env bash
# Run the transcription and pipeline benches on a bare lent GPU machine (../shared/GPU.md).
#
# From the repository root, once per part made by `python3 bench/gpu/stage.py`, back to back:
#     bash bench/gpu/run.sh        with carry [".gpu/part1"], then [".gpu/part2"], ...
# Each call copies its part to /tmp/pv_stage (kept while the machine stays warm). The call that
# completes the set (manifest.json lists every file and its sha256) installs the wheels into
# /tmp/site, assembles tiny.en in /tmp/tinyen, links cuBLAS 12 names to the image's cuBLAS 13,
# and runs the benches with a time limit each, writing logs and JSON under $OUT. The whole run
# ends in under 8 minutes. Re-running after a complete set only runs the benches again.
set -x
set -uo pipefail
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
OUT="${OUT:-/tmp/pv_out}"
mkdir -p "$OUT"
exec > >(tee -a "$OUT/run.log") 2>&1
STAGE=/tmp/pv_stage
mkdir -p "$STAGE/wheels" "$STAGE/model"
for part in .gpu/part*; do
  [ -d "$part" ] || continue
  cp -n "$part"/wheels/* "$STAGE/wheels/" 2>/dev/null || true
  cp -n "$part"/model/* "$STAGE/model/" 2>/dev/null || true
  cp "$part/manifest.json" "$STAGE/manifest.json"
done
[ -f "$STAGE/manifest.json" ] || { echo "no .gpu/partN carried; see bench/gpu/stage.py"; exit 2; }

python3 - "$STAGE" <<'PY' || { echo "PARTIAL: send the next part"; exit 0; }
import hashlib, json, pathlib, sys
stage = pathlib.Path(sys.argv[1])
files = json.loads((stage / "manifest.json").read_text())["files"]
have = [f for f in files if (stage / f).exists()
        and hashlib.sha256((stage / f).read_bytes()).hexdigest() == files[f]]
print(f"staged {len(have)}/{len(files)} files")
sys.exit(0 if len(have) == len(files) else 1)
PY

# Install once per warm machine.
if [ ! -f /tmp/site/.done ]; then
  python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site "$STAGE"/wheels/*.whl \
    && touch /tmp/site/.done
  : > /tmp/site/av.py   # faster_whisper imports av at load; numpy audio never reaches it
fi
if [ ! -f /tmp/tinyen/model.bin ]; then
  mkdir -p /tmp/tinyen
  cp "$STAGE"/model/*.json "$STAGE"/model/*.txt /tmp/tinyen/ 2>/dev/null
  cat "$STAGE"/model/model.bin.* > /tmp/tinyen/model.bin
fi
# ctranslate2 is built for CUDA 12; the image has cuBLAS 13 (same ABI for what it uses).
L=/usr/local/cuda-13.0/targets/x86_64-linux/lib
mkdir -p /tmp/cu12
ln -sf "$L/libcublas.so.13" /tmp/cu12/libcublas.so.12
ln -sf "$L/libcublasLt.so.13" /tmp/cu12/libcublasLt.so.12
export LD_LIBRARY_PATH="/tmp/cu12:$L${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export PYTHONPATH="/tmp/site:$PWD"
nvidia-smi --query-gpu=name,memory.total --format=csv || true
python3 -c "import ctranslate2; print('cuda devices', ctranslate2.get_cuda_device_count())"

M=/tmp/tinyen
B="${BENCH_BATCH:-16}"
# PV_PROFILE=1: only profile where the transcription time goes (bench/gpu/profile_asr.py).
if [ "${PV_PROFILE:-0}" = 1 ]; then
  timeout 240 python3 bench/gpu/profile_asr.py --model "$M" --copies 5 --batch-size "$B" \
    2>&1 | tee "$OUT/profile_asr.log"
  exit 0
fi
# 1. Transcription stage, tiny.en float16 beam 5: alignment pass (auto on CUDA) vs inline.
timeout 140 python3 bench/transcribe.py --model "$M" --device cuda --compute-type float16 \
  --batch-size "$B" --copies 20 --no-asset --repeats 1 \
  --json "$OUT/transcribe_pass.json" 2>&1 | tee "$OUT/transcribe_pass.log"
timeout 80 python3 bench/transcribe.py --model "$M" --device cuda --compute-type float16 \
  --batch-size "$B" --copies 10 --no-asset --repeats 1 --word-alignment inline --no-quality \
  --json "$OUT/transcribe_inline.json" 2>&1 | tee "$OUT/transcribe_inline.log"
# 2. The whole chain's logic (no dagster here) on 20 minutes, GPU preset batch.
timeout 130 python3 bench/pipeline.py --model "$M" --device cuda --compute-type float16 \
  --batch-size 32 --minutes 20 --no-asset --json "$OUT/pipeline.json" \
  2>&1 | tee "$OUT/pipeline.log"
# 3. QC alone on the 16 cores (DNSMOS thread pool).
timeout 90 python3 bench/audio_qc.py --minutes 30 2>&1 | tee "$OUT/audio_qc.log"
echo "DONE"
