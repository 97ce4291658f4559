"""Transcribes the inputs of Masterminds/semver v3.5.0's own test tables
(version_test.go, constraints_test.go in the module cache) into
../semver/upstream.input.json. Only the inputs are kept: the expected answers are
computed by the oracle (main.go), never taken from the tests.

Usage: python3 transcribe.py MODULE_DIR OUT_FILE   (run.sh upstream DIR calls it)
"""
import ast
import json
import re
import sys

LIT = r'"(?:[^"\\\n]|\\.)*"'
ROW = re.compile(r"\{\s*(" + LIT + r")\s*,\s*(" + LIT + r")?")

# test function -> what its rows' leading strings are
VERSION_TESTS = {"TestStrictNewVersion", "TestNewVersion", "TestNewVersionCheckError",
                 "TestOriginal", "TestParts", "TestCoerceString", "TestOriginalVPrefix",
                 "TestJsonUnmarshal", "TestTextUnmarshal", "TestInc"}
COMPARE_TESTS = {"TestCompare", "TestLessThan", "TestLessThanEqual", "TestGreaterThan",
                 "TestGreaterThanEqual", "TestEqual"}
CONSTRAINT_TESTS = {"TestParseConstraint", "TestNewConstraint", "TestRewriteRange",
                    "TestConstraintString", "TestTextMarshalConstraints",
                    "TestTextUnmarshalConstraints"}
CHECK_TESTS = {"TestConstraintCheck", "TestConstraintsCheck", "TestConstraintsValidate",
               "TestConstraintsCheckIncludePrerelease", "TestConstraintsValidateIncludePrerelease"}


def functions(text):
    parts = re.split(r"^func (Test\w+)\(", text, flags=re.M)
    for i in range(1, len(parts), 2):
        yield parts[i], parts[i + 1]


def lit(s):
    return ast.literal_eval(s) if s else None


def main(mod, out):
    cases, seen = [], set()

    def add(name, case):
        key = json.dumps(case, sort_keys=True)
        if key not in seen:
            seen.add(key)
            case = {"name": f"{name}-{len(cases):03d}", **case}
            cases.append(case)

    for fname in ("version_test.go", "constraints_test.go"):
        with open(f"{mod}/{fname}", encoding="utf-8") as f:
            text = f.read()
        for func, body in functions(text):
            for m in ROW.finditer(body):
                a, b = lit(m.group(1)), lit(m.group(2))
                if func in VERSION_TESTS:
                    add(func, {"version": a})
                elif func in COMPARE_TESTS and b is not None:
                    add(func, {"compare": [a, b]})
                elif func in CONSTRAINT_TESTS:
                    add(func, {"constraint": a, "versions": []})
                elif func in CHECK_TESTS and b is not None:
                    add(func, {"constraint": a, "versions": [b]})
    doc = {
        "description": "Inputs of Masterminds/semver v3.5.0's own tests (version_test.go, "
        "constraints_test.go: every table row of the NewVersion, Compare/LessThan/..., "
        "NewConstraint/parseConstraint/rewriteRange/String and Check/Validate tests; the "
        "IncludePrerelease tables are run with Flux's default, IncludePrerelease=false). "
        "Expected answers from the oracle.",
        "source": "github.com/Masterminds/semver/v3@v3.5.0 *_test.go (inputs only)",
        "cases": cases,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{out}: {len(cases)} cases")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
