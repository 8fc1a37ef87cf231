"""Dependencies point one way: apps import ``portal``, never the other way round, and
nothing imports the project (``config``) but Django's entry points."""

import ast
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
APPS = {
    "accounts",
    "partnerships",
    "funding",
    "internships",
    "governance",
    "associations",
    "discovery",
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def python_files(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


class TestLayering(SimpleTestCase):
    def test_portal_imports_no_app_and_not_the_project(self):
        offenders = {
            str(path.relative_to(ROOT)): sorted(imported_packages(path) & (APPS | {"config"}))
            for path in python_files("portal")
        }
        self.assertEqual({path: names for path, names in offenders.items() if names}, {})

    def test_apps_never_import_the_project(self):
        offenders = {}
        for app in APPS:
            if not (ROOT / app).is_dir():
                continue
            for path in python_files(app):
                if "config" in imported_packages(path):
                    offenders[str(path.relative_to(ROOT))] = "config"
        self.assertEqual(offenders, {})

    def test_roles_and_kinds_are_never_bare_strings_in_code(self):
        bare = {'"admin"', '"staff"', '"viewer"', "'admin'", "'staff'", "'viewer'"}
        found = []
        for package in ("portal", *APPS):
            if not (ROOT / package).is_dir():
                continue
            for path in python_files(package):
                if path.name in ("roles.py", "demo.py"):
                    continue  # the choices themselves; demo usernames
                for number, line in enumerate(path.read_text().splitlines(), 1):
                    if any(token in line for token in bare):
                        found.append(f"{path.relative_to(ROOT)}:{number}")
        self.assertEqual(found, [])
