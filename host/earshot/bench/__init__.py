"""`make bench`: every benchmark section lives in earshot/bench/<topic>.py.

A section module defines TITLE and run(), which returns rows: a list of dicts
with the same keys (one table per section). Sections are independent: one that
fails prints its error and the others still run.
"""
import importlib
import pkgutil
import sys
import traceback


def sections():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            yield importlib.import_module(f"{__name__}.{info.name}")


def format_table(rows):
    if not rows:
        return "  (no rows)"
    keys = list(rows[0])
    cells = [[str(r.get(k, "")) for k in keys] for r in rows]
    widths = [max(len(k), *(len(c[i]) for c in cells)) for i, k in enumerate(keys)]
    lines = ["  " + "  ".join(k.ljust(w) for k, w in zip(keys, widths))]
    lines.append("  " + "  ".join("-" * w for w in widths))
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in cells]
    return "\n".join(lines)


def main():
    failed = 0
    for section in sections():
        print(f"\n== {section.TITLE} ==")
        try:
            print(format_table(section.run()))
        except Exception:  # one broken section must not hide the others
            failed += 1
            traceback.print_exc(file=sys.stdout)
    return 1 if failed else 0
