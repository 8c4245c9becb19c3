"""How each action's cost grows from a tenth of the city to the whole, side by side (make bench).

Reads the results bench/run.py wrote for each scale (CONSEIL_BENCH_RESULTS) and prints, per action, the
median time and queries at both sizes and the growth of the time; an interactive action may grow by 1.5×
at most. The town-wide reports are not interactive: their answer is the town (the SCDL file of a year, every
association's aid of a year, revaluing every loan not yet valued for good), nor is the batch of 100 approvals.

Usage: growth.py SMALL.json LARGE.json
"""

import json
import sys

LIMIT = 1.5
NOT_INTERACTIVE = (
    "SCDL export of a year",
    "aid by association of a year",
    "change the default daily rate of vehicles",
    "approve 100 loans in one batch",
)


def main(small_path, large_path):
    with open(small_path, encoding="utf-8") as small_file, open(large_path, encoding="utf-8") as large_file:
        small, large = json.load(small_file), json.load(large_file)
    large_by_label = {label: (ms, queries) for label, ms, queries in large["actions"]}
    header = f"{'action':<46} {'ms ' + str(small['scale']):>9} {'ms ' + str(large['scale']):>9}"
    print(f"{header} {'growth':>7} {'queries':>9}")
    missed = []
    for label, small_ms, small_queries in small["actions"]:
        large_ms, large_queries = large_by_label[label]
        growth = large_ms / small_ms if small_ms else 1.0
        flag = ""
        if label not in NOT_INTERACTIVE and growth > LIMIT:
            flag = "  MISSED"
            missed.append(label)
        queries = f"{small_queries}/{large_queries}"
        print(f"{label:<46} {small_ms:>9.1f} {large_ms:>9.1f} {growth:>6.2f}× {queries:>9}{flag}")
    print(f"interactive actions growing more than {LIMIT}×: {len(missed)}")


if __name__ == "__main__":
    main(*sys.argv[1:])
