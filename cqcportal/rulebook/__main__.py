"""``python -m cqcportal.rulebook [--check]``: write docs/rules.md, or check it is current."""

import argparse
import sys

from . import OUTPUT, ROOT, generate


def main(argv=None, root=ROOT) -> int:
    parser = argparse.ArgumentParser(prog="python -m cqcportal.rulebook", description=__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if docs/rules.md is out of date or a rule lacks code or tests",
    )
    args = parser.parse_args(argv)
    text, found = generate(root)
    target = root / OUTPUT
    for problem in found:
        print(f"rulebook: {problem}", file=sys.stderr)
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"rulebook: {OUTPUT} is out of date; run `make rules`", file=sys.stderr)
            return 1
        return 1 if found else 0
    target.write_text(text, encoding="utf-8")
    print(f"rulebook: wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
