# Pixel Voice: `make demo` and `make test` work on a fresh machine (Python 3.11-3.13, no apt).
PYTHON ?= python3
UV_VERSION := 0.13.9
# BACKEND=pyannote or BACKEND=whisperx: a separate .venv-<backend> with that optional diarization
# backend and its own pinned set (each holds an older torch than the default path).
BACKEND ?=
comma := ,
VENV := .venv$(if $(BACKEND),-$(BACKEND),)
CONSTRAINTS := constraints$(if $(BACKEND),-$(BACKEND),).txt
EXTRAS := test$(if $(BACKEND),$(comma)$(BACKEND),)
PY := $(VENV)/bin/python
# Local wheel folder (this workplace has a CPU torch wheel there); elsewhere PyPI serves the pin.
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export PIXEL_DATA_DIR ?= $(CURDIR)/data

.PHONY: env demo test test-fast test-backend lint dev validate bench clean constraints report

env: $(STAMP)

# --compile-bytecode: uv writes no .pyc by default, and where PYTHONDONTWRITEBYTECODE is set (many
# containers, CI) Python never does either; then every process (each test worker, each CLI call,
# each Dagster run and step) compiles the whole import graph again: 15 s instead of 7 s to import
# the definitions on 2 cores, and a third of `make test`.
$(STAMP): pyproject.toml $(CONSTRAINTS)
	$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q "uv==$(UV_VERSION)"
	test -x $(PY) || $(PYTHON) -m uv venv -q --python $(PYTHON) $(VENV)
	$(PYTHON) -m uv pip install -q --compile-bytecode --python $(PY) $(FIND_LINKS) -c $(CONSTRAINTS) -e ".[$(EXTRAS)]"
	$(PY) -m compileall -q pixel_assets
	$(PY) -m pixel_assets.warm_caches
	touch $(STAMP)

# Re-pin after changing pyproject.toml. The default set takes torch from constraints.in; a local
# "+cpu" wheel is written as the plain release so that PyPI serves the same pin elsewhere.
constraints:
	$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q "uv==$(UV_VERSION)"
	rm -f constraints.txt constraints-pyannote.txt constraints-whisperx.txt
	$(PYTHON) -m uv pip compile -q pyproject.toml constraints.in --extra test $(FIND_LINKS) \
		--python-version 3.11 --no-emit-find-links -o constraints.txt
	sed -i.bak 's/^torch==\([0-9.]*\)+cpu$$/torch==\1/' constraints.txt && rm constraints.txt.bak
	for b in pyannote whisperx; do \
		$(PYTHON) -m uv pip compile -q pyproject.toml --extra test --extra $$b \
			--python-version 3.11 --no-emit-find-links -o constraints-$$b.txt || exit 1; \
	done

$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	cp deploy/dagster.local.yaml $@

demo: env $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/pixel-voice run samples/demo_videos.txt --allow-local-files
	$(VENV)/bin/pixel-voice query "SELECT video_id, title, round(duration_s, 1) AS duration_s, round(loudness_lufs, 1) AS lufs, audio_path FROM videos"
	$(VENV)/bin/pixel-voice query "SELECT video_id, passed, round(snr_db, 1) AS snr_db, language, round(dnsmos_ovrl, 2) AS dnsmos FROM audio_qc"
	$(VENV)/bin/pixel-voice query "SELECT video_id, speaker, round(start_s, 1) AS start_s, round(confidence, 2) AS conf, text FROM filtered_transcripts ORDER BY video_id, start_s"
	$(VENV)/bin/pixel-voice query "SELECT list_file, line_number, reason FROM ingest_rejections"
	# The training dataset over the passing videos' pairs, then its export (path + one record).
	$(VENV)/bin/dagster asset materialize -m pixel_assets.definitions --select training_dataset
	$(VENV)/bin/pixel-voice query "SELECT video_id, count(*) AS pairs, count(*) FILTER (WHERE crisis) AS approved_crisis FROM therapeutic_pairs GROUP BY video_id"
	$(VENV)/bin/pixel-voice export
	@echo "UI: make dev, then open http://127.0.0.1:3000"

# Modules run on parallel workers (pytest-xdist; a module stays on one worker, so its fixtures
# are built once) and the expensive session fixtures are built once per run for all workers
# (pixel_assets_tests/conftest.py: shared_once). TEST_WORKERS=1 runs in one process.
TEST_WORKERS ?= auto
test: env lint
	$(PY) -m compileall -q pixel_assets
	$(PY) -m pytest -q -ra --durations=15 -n $(TEST_WORKERS) --maxprocesses=4 --dist loadscope

test-fast: env
	$(PY) -m compileall -q pixel_assets
	$(PY) -m pytest -q -ra -m "not slow" -n $(TEST_WORKERS) --maxprocesses=4 --dist loadscope

# The optional diarization backends, run for real in their own environment.
test-backend:
	@test -n "$(BACKEND)" || { echo "usage: make test-backend BACKEND=pyannote|whisperx"; exit 2; }
	$(MAKE) env BACKEND=$(BACKEND)
	$(PY) -m pytest -q -ra pixel_assets_tests/transcription/test_optional_backends.py \
		pixel_assets_tests/transcription/test_diarize.py

lint: env
	$(VENV)/bin/ruff check pixel_assets pixel_assets_tests bench

# dbt marts, evidently reports and $(PIXEL_DATA_DIR)/reports/index.html; prints the funnel.
report: env
	$(VENV)/bin/pixel-voice report

validate: env $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster definitions validate -w workspace.yaml

dev: env $(DAGSTER_HOME)/dagster.yaml
	mkdir -p video_lists
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: env
	$(PY) bench/ingest.py

clean:
	rm -rf data .dagster_home .pytest_cache .ruff_cache
