# Pixel Voice: `make demo` and `make test` work on a fresh machine (Python 3.11-3.13, no apt).
PYTHON ?= python3
UV_VERSION := 0.13.9
VENV := .venv
PY := $(VENV)/bin/python
# Local wheel folder (this workplace has a CPU torch wheel there); elsewhere PyPI serves the pin.
FIND_LINKS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE ?= 1
export TRANSFORMERS_OFFLINE ?= 1
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export PIXEL_DATA_DIR ?= $(CURDIR)/data

.PHONY: env demo test test-fast lint dev validate bench clean

env: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install -q "uv==$(UV_VERSION)"
	test -x $(PY) || $(PYTHON) -m uv venv -q --python $(PYTHON) $(VENV)
	$(PYTHON) -m uv pip install -q --python $(PY) $(FIND_LINKS) -c constraints.txt -e ".[test]"
	touch $(STAMP)

$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	cp deploy/dagster.local.yaml $@

demo: env $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/pixel-voice run samples/demo_videos.txt --allow-local-files
	$(VENV)/bin/pixel-voice query "SELECT video_id, title, round(duration_s, 1) AS duration_s, round(loudness_lufs, 1) AS lufs, audio_path FROM videos"
	$(VENV)/bin/pixel-voice query "SELECT video_id, passed, round(snr_db, 1) AS snr_db, language, round(dnsmos_ovrl, 2) AS dnsmos FROM audio_qc"
	$(VENV)/bin/pixel-voice query "SELECT video_id, speaker, round(start_s, 1) AS start_s, round(confidence, 2) AS conf, text FROM filtered_transcripts ORDER BY video_id, start_s"
	$(VENV)/bin/pixel-voice query "SELECT list_file, line_number, reason FROM ingest_rejections"
	@echo ""
	@echo "Results: audio under $(PIXEL_DATA_DIR)/audio/, tables under $(PIXEL_DATA_DIR)/warehouse/."
	@echo "Query:   .venv/bin/pixel-voice query \"SELECT * FROM videos\""
	@echo "UI:      make dev, then open http://127.0.0.1:3000"

test: env lint
	$(PY) -m pytest -q -ra

test-fast: env
	$(PY) -m pytest -q -ra -m "not slow"

lint: env
	$(VENV)/bin/ruff check pixel_assets pixel_assets_tests bench

validate: env $(DAGSTER_HOME)/dagster.yaml
	$(VENV)/bin/dagster definitions validate -w workspace.yaml

dev: env $(DAGSTER_HOME)/dagster.yaml
	mkdir -p video_lists
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

bench: env
	$(PY) bench/ingest.py

clean:
	rm -rf data .dagster_home .pytest_cache .ruff_cache
