#!/usr/bin/env python3
"""Validates SARIF files against a JSON schema (draft-04): validate-sarif.py SCHEMA FILE...

Exit 0 when every file is valid, 1 with the errors otherwise, 3 when the Python
`jsonschema` package is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3 package jsonschema is not installed", file=sys.stderr)
    sys.exit(3)


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft4Validator(schema, format_checker=jsonschema.FormatChecker())
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
        for e in errors:
            where = "/".join(str(p) for p in e.absolute_path)
            print(f"{path}: /{where}: {e.message}")
        bad += bool(errors)
        if not errors:
            print(f"{path}: valid SARIF 2.1.0 ({len(log['runs'][0].get('results', []))} results)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
