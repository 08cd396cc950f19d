"""Checks a rendered report for the report tests, with Debian's python3 only.

  check_report.py schema SCHEMA_DIR SCHEMA_FILE DOCUMENT
      Validates the JSON DOCUMENT against SCHEMA_DIR/SCHEMA_FILE. Every schema
      in SCHEMA_DIR is registered under its $id (or id), so references between
      the stored files (bom-1.5 -> spdx, jsf-0.82) resolve locally and never
      over the network.
  check_report.py junit DOCUMENT
      Parses the JUnit XML DOCUMENT and prints, as JSON, each suite's counts
      attributes next to the elements actually found.

Exit status: 0 when the check passed, 1 when it failed (the reasons on
stdout), 77 when python3-jsonschema is not installed.
"""

import json
import os
import re
import sys
import warnings
import xml.etree.ElementTree as ElementTree

# Debian's python3-jsonschema checks "date-time" and the URI formats only when
# optional modules are installed. These stand-ins check them either way: an
# RFC 3339 timestamp, and URIs with no spaces, controls or broken percent
# escapes ("uri" also needs a scheme; "iri-reference" may hold non-ASCII).
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
URI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`\x00-\x1f\x7f]|%(?![0-9A-Fa-f]{2})')
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def add_missing_formats(checker):
    stand_ins = {
        "date-time": lambda text: bool(RFC3339.match(text)),
        "uri": lambda text: bool(SCHEME.match(text)) and text.isascii()
        and not URI_FORBIDDEN.search(text),
        "uri-reference": lambda text: text.isascii() and not URI_FORBIDDEN.search(text),
        "iri-reference": lambda text: not URI_FORBIDDEN.search(text),
    }
    for name, check in stand_ins.items():
        if name not in checker.checkers:
            checker.checks(name)(lambda value, check=check: not isinstance(value, str)
                                 or check(value))
    return checker


def check_schema(schema_dir, schema_file, document_path):
    try:
        import jsonschema
    except ImportError:
        print("python3-jsonschema is not installed (apt-get install python3-jsonschema)")
        return 77

    store = {}
    for name in sorted(os.listdir(schema_dir)):
        if name.endswith(".json"):
            with open(os.path.join(schema_dir, name), encoding="utf-8") as stored:
                schema = json.load(stored)
            store[schema.get("$id", schema.get("id", name))] = schema
    with open(os.path.join(schema_dir, schema_file), encoding="utf-8") as main:
        schema = json.load(main)
    with open(document_path, encoding="utf-8") as document_file:
        document = json.load(document_file)

    # Newer jsonschema releases deprecate RefResolver; Debian's 4.10 has nothing else.
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    checker = add_missing_formats(jsonschema.FormatChecker())
    validator = validator_class(schema, resolver=resolver, format_checker=checker)
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    for error in errors:
        path = "/".join(str(part) for part in error.absolute_path)
        print(f"{path or '(document)'}: {error.message}")
    return 1 if errors else 0


def count_junit(document_path):
    root = ElementTree.parse(document_path).getroot()
    suites = []
    for suite in root.iter("testsuite"):
        cases = suite.findall("testcase")
        suites.append({
            "name": suite.get("name"),
            "attributes": {key: int(suite.get(key, "-1"))
                           for key in ("tests", "failures", "errors", "skipped")},
            "found": {
                "tests": len(cases),
                "failures": sum(len(case.findall("failure")) for case in cases),
                "errors": sum(len(case.findall("error")) for case in cases),
                "skipped": sum(len(case.findall("skipped")) for case in cases),
            },
            "classnames": sorted({case.get("classname") for case in cases}),
            "cases": [case.get("name") for case in cases],
            "properties": [[p.get("name"), p.get("value")]
                           for p in suite.iter("property")],
            "failures": [[f.get("message"), f.get("type"), f.text or ""]
                         for f in suite.iter("failure")],
        })
    report = {
        "root": root.tag,
        "attributes": {key: int(root.get(key, "-1"))
                       for key in ("tests", "failures", "errors", "skipped")},
        "suites": suites,
    }
    print(json.dumps(report))
    return 0


def main(arguments):
    if len(arguments) == 5 and arguments[1] == "schema":
        return check_schema(arguments[2], arguments[3], arguments[4])
    if len(arguments) == 3 and arguments[1] == "junit":
        return count_junit(arguments[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
