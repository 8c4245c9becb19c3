# The two commands: `make run` and `make test`. See README.md.
.PHONY: run serve test lint format i18n screenshots bench loadtest stop clean

run:
	@scripts/run.sh

serve:
	@scripts/serve.sh

test:
	@scripts/test.sh

lint:
	@scripts/lint.sh

format:
	@scripts/lint.sh --fix

screenshots:
	@scripts/screenshots.sh

bench:
	@scripts/bench.sh

loadtest:
	@scripts/loadtest.sh

i18n:
	@scripts/i18n.sh

stop:
	@scripts/pg.sh stop

clean: stop
	rm -rf .local
