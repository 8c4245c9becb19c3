"""The load test's table: per simulated crowd and action, throughput, p50 / p95 / p99 and errors.

Usage: report.py OUTPUT_DIR USERS... (reads the Locust CSV files and refusal counts loadtest.sh wrote there)
"""

import csv
import json
import sys
from pathlib import Path


def rows(out, users):
    with open(out / f"u{users}_stats.csv", encoding="utf-8") as stats:
        return [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]


def table(out, users):
    refusals = json.loads((out / f"u{users}_refusals.json").read_text(encoding="utf-8") or "{}")
    lines = [
        f"{users} users",
        f"{'action':<36} {'requests':>8} {'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'errors':>6} {'refused':>7}",
    ]
    for row in sorted(rows(out, users), key=lambda row: row["Name"]):
        lines.append(
            f"{row['Name']:<36} {row['Request Count']:>8} {float(row['Requests/s']):>6.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7} {row['Failure Count']:>6} "
            f"{refusals.get(row['Name'], 0):>7}"
        )
    return "\n".join(lines)


def errors(out, users):
    path = out / f"u{users}_failures.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8") as failures:
        return [f"{row['Occurrences']} × {row['Name']}: {row['Error']}" for row in csv.DictReader(failures)]


if __name__ == "__main__":
    out = Path(sys.argv[1])
    for users in sys.argv[2:]:
        print(table(out, users))
        for error in errors(out, users):
            print("ERROR", error)
        print()
