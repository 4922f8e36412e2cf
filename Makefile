# The assistant (Rasa, Python 3.10), its action server and the handoff service (current Python).
# `make help` lists the targets; `make run` and `make test` install what they need on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

BOT := .venvs/bot/bin
SVC := .venvs/handoff/bin
SPACY_MODEL := build/spacy/northwind_en
# TF_CPP_MIN_LOG_LEVEL keeps TensorFlow's start-up chatter about missing GPUs out of the output.
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Rasa's telemetry and crash reports would try to reach the internet.
export RASA_TELEMETRY_ENABLED := false
# Rasa loads the custom components in assistant/ from the project root.
RASA := PYTHONPATH=$(CURDIR) $(BOT)/rasa

.PHONY: help install run train agent validate whatif review test test-unit test-bot test-e2e lint bench bench-nlu bench-sentiment bench-speed bench-judgement clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  \033[1m%-16s\033[0m %s\n", $$1, $$2}'

.venvs/bot/.installed: pyproject.toml scripts/install.sh scripts/find-python310.sh
	scripts/install.sh bot

.venvs/handoff/.installed: pyproject.toml scripts/install.sh
	scripts/install.sh service

node_modules/.installed: package.json package-lock.json scripts/install.sh
	scripts/install.sh web

$(SPACY_MODEL)/meta.json: assistant/pii.py .venvs/bot/.installed
	$(BOT)/python -m assistant.pii build $(SPACY_MODEL)

install: .venvs/bot/.installed .venvs/handoff/.installed node_modules/.installed $(SPACY_MODEL)/meta.json ## Install both environments, the console's chart library (npm) and the spaCy pipeline

train: install ## Train the assistant (Rasa skips it when nothing changed)
	$(RASA) train --domain domain.yml --data data --config config.yml --out models

# The launcher installs and trains itself, showing one line per step (output in var/logs/), so
# it runs on the system's Python 3 (standard library only) before the environments exist.
run: ## Run the product: demo store with the widget, agent console, assistant
	@python3 scripts/launch.py run

USERNAME ?= ana
NAME ?= Ana
TEAMS ?= general
agent: install ## Create an agent account: make agent USERNAME=ana NAME=Ana TEAMS=orders,billing LANGUAGES=en,es [ROLE=supervisor]
	$(SVC)/python -m handoff.cli create-agent --username "$(USERNAME)" --name "$(NAME)" --teams "$(TEAMS)" --languages "$(or $(LANGUAGES),en)" --role "$(or $(ROLE),agent)"

validate: install ## Check data/, domain.yml and config.yml (warnings fail)
	$(RASA) data validate --domain domain.yml --data data --config config.yml --fail-on-warnings

review: install ## Review what the assistant misunderstood, export data/nlu/learned.yml: make review [DECISIONS=<file.yml>] [LIST=1]
	PYTHONPATH=$(CURDIR) $(BOT)/python -m assistant.review $(if $(filter 1 yes true,$(LIST)),list,decide $(if $(DECISIONS),--decisions "$(DECISIONS)")) --console "http://127.0.0.1:$(or $(HANDOFF_PORT),8000)"

DAYS ?= 7
whatif: install ## Replay stored conversations under other thresholds: make whatif CONFIG=<config.yml> [MODEL=<model.tar.gz>] [DAYS=7]
	@test -n "$(CONFIG)" || { echo "usage: make whatif CONFIG=<config.yml> [MODEL=<model.tar.gz>] [DAYS=7]"; exit 2; }
	PYTHONPATH=$(CURDIR) $(BOT)/python -m assistant.whatif --config "$(CONFIG)" --days "$(DAYS)" $(if $(MODEL),--model "$(MODEL)") --console "http://127.0.0.1:$(or $(HANDOFF_PORT),8000)"

test: ## Run every test, installing what they need (this is what CI runs)
	scripts/test.sh

lint: install ## ruff (format and rules, see pyproject.toml) and mypy on the handoff service
	$(SVC)/ruff check actions assistant contract handoff bench scripts tests
	$(SVC)/ruff format --check actions assistant contract handoff bench scripts tests
	$(SVC)/mypy contract handoff

test-unit: install ## Fast tests only: actions, components, handoff service, launcher (seconds)
	$(BOT)/python -m pytest tests/contract tests/actions tests/assistant -q
	$(SVC)/python -m pytest tests/contract tests/handoff tests/scripts -q

test-bot: validate train ## Validate, train and run the test stories, their text through NLU
	$(RASA) test core --stories tests/stories --e2e --model models --out results/core --fail-on-prediction-errors

test-e2e: train ## The whole product, started once: scripted journeys and real-browser tests
	$(SVC)/python -m pytest tests/e2e tests/browser

DATA ?= ../shared/data
bench-nlu: install ## Understanding: make bench-nlu TRAIN=<nlu.yml> TEST=<nlu.yml> [VAL=<nlu.yml>] [BASELINE=1] [PLOT=out.png]
	@test -n "$(TRAIN)" -a -n "$(TEST)" || { echo "usage: make bench-nlu TRAIN=... TEST=... [BASELINE=1]"; exit 2; }
	PYTHONPATH=$(CURDIR) $(BOT)/python -m bench.nlu --train "$(TRAIN)" --test "$(TEST)" $(if $(filter 1 yes true,$(BASELINE)),--baseline) $(if $(PLOT),--plot "$(PLOT)") $(if $(VAL),--val "$(VAL)")

bench-sentiment: install ## The sentiment handoff trigger on airline complaint tweets
	PYTHONPATH=$(CURDIR) $(BOT)/python -m bench.sentiment --data $(DATA)/airline_sentiment/Tweets.csv --plot docs/img/bench-sentiment.png

bench-speed: train ## Reply latency and throughput vs stock Rasa, handoff latency, socket memory
	$(SVC)/python -m bench.speed

SET ?= dev
bench-judgement: train ## Who reaches a person, and when: conversation scripts by category (SET=dev|heldout|heldout-b|heldout-c|heldout-d|all)
	$(SVC)/python -m bench.judgement --set "$(SET)"

bench: install ## Every benchmark (about 40 minutes on 2 cores); results in docs/benchmarks.md
	$(MAKE) bench-nlu TRAIN=$(DATA)/clinc150/train_inscope.yml TEST=$(DATA)/clinc150/test.yml VAL=$(DATA)/clinc150/val.yml PLOT=docs/img/bench-clinc150.png
	$(MAKE) bench-nlu TRAIN=$(DATA)/banking77/train.yml TEST=$(DATA)/banking77/test.yml PLOT=docs/img/bench-banking77.png
	$(MAKE) bench-sentiment
	$(MAKE) bench-speed
	$(MAKE) bench-judgement

clean: ## Remove trained models, results and local data (keeps the environments)
	rm -rf models results build var artifacts
