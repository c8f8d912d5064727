# Luna: `make run` starts the app, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pytest workers for `make test` (a test file stays on one worker: its module fixtures are shared)
TEST_WORKERS ?= 2
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run test browser-deps ocr-deps clean-data

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	$(BIN)/pip install -r requirements.txt
	@touch $(STAMP)

run: $(STAMP) ocr-deps
	$(BIN)/streamlit run server.py

# Tesseract (English) from Debian for reading scans and photos. Best effort: without root or apt,
# Luna still runs and a file that needs OCR ends with a message saying how to install it.
ocr-deps:
	@if ! command -v tesseract >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-eng >/dev/null) \
		|| echo "could not install tesseract: scans and photos cannot be read until it is installed"; \
	fi

# Chromium from Debian for the real-browser test (never a downloaded browser build). Best effort:
# without root or apt, that one test skips and says why.
browser-deps:
	@if { [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/truetype/noto ]; } && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) \
		|| echo "could not install chromium: the browser test will be skipped"; \
	fi

test: $(STAMP) browser-deps ocr-deps
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

clean-data:
	rm -rf data/runtime
