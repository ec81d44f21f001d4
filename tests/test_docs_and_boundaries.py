"""Docs that a test keeps true, and the import boundaries of the layout."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "scripts"))


def test_cli_reference_is_current(monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    from cli_reference import reference

    assert (REPO / "docs" / "CLI.md").read_text() == reference(), \
        "run: COLUMNS=100 python scripts/cli_reference.py > docs/CLI.md"


def test_every_command_is_in_the_readme_or_reference():
    from qual_coder.cli import cli, load_all

    load_all()
    readme = (REPO / "README.md").read_text()
    for name in cli.commands:
        assert f"qual-coder {name}" in readme or name in ("tui",), f"{name} not in README"


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint(' '.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe],
                         capture_output=True, text=True, check=True, cwd=REPO)
    return set(out.stdout.split())


def test_core_storage_and_analysis_do_not_import_the_ui():
    loaded = _modules_after("import qual_coder, qual_coder.core.codebook, qual_coder.storage, "
                            "qual_coder.analysis.matrix, qual_coder.services")
    assert not {m for m in loaded if m.split(".")[0] in ("textual", "click")}


def test_the_cli_starts_without_heavy_libraries():
    loaded = _modules_after("import qual_coder.cli")
    heavy = {"pandas", "spacy", "textual", "docx", "xmlschema", "sqlite_utils", "numpy"}
    assert not {m.split(".")[0] for m in loaded} & heavy


SQL_CALLS = {"execute", "executemany", "executescript", "read_sql", "read_sql_query",
             "read_sql_table", "query"}


def test_sql_lives_in_storage_only():
    """Every statement is a storage function's: no other package calls a connection's
    execute (or pandas' read_sql, or sqlite-utils' query), so a schema change touches
    storage/ alone."""
    import ast

    found = []
    for module in sorted((REPO / "qual_coder").rglob("*.py")):
        rel = module.relative_to(REPO / "qual_coder")
        if rel.parts[0] == "storage":
            continue
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                    and node.func.attr in SQL_CALLS:
                found.append(f"{rel}:{node.lineno} .{node.func.attr}()")
    assert not found, "SQL outside storage/:\n" + "\n".join(found)


def test_transactions_are_opened_by_services_and_storage_only():
    """analysis/, quant/, nlp/, reports/, exchange/ and importers/ compute; a user action's
    transaction is the service's that carries it out, and so is a cache's (the sentence
    cache's batches, a trained model)."""
    import ast

    found = []
    for package in ("analysis", "quant", "nlp", "reports", "exchange", "importers", "core"):
        for module in sorted((REPO / "qual_coder" / package).rglob("*.py")):
            for node in ast.walk(ast.parse(module.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                        and node.func.attr in ("transaction", "transaction_if_free"):
                    found.append(f"{package}/{module.name}:{node.lineno}")
    assert not found, "transactions outside services/: " + ", ".join(found)


def test_opening_a_project_loads_no_heavy_library(tmp_path):
    """Every command opens the project first: that must not import sqlite-utils (0.3 s),
    pandas or spaCy, which only the work that needs them loads."""
    from qual_coder.storage import init_project

    path = tmp_path / "p.db"
    init_project(path).close()
    loaded = _modules_after("from qual_coder.storage import open_project\n"
                            f"open_project({str(path)!r}).close()")
    assert not {m.split(".")[0] for m in loaded} & {"sqlite_utils", "pandas", "spacy", "numpy"}


def test_architecture_names_every_module():
    """docs/ARCHITECTURE.md stays true to the code: every module file is named in it (as
    name.py, under its package's paragraph) and every package it lists exists."""
    import re

    doc = (REPO / "docs" / "ARCHITECTURE.md").read_text()
    tree = doc[doc.index("```"):doc.index("```", doc.index("```") + 3)]
    missing = []
    for module in sorted((REPO / "qual_coder").rglob("*.py")):
        rel = module.relative_to(REPO / "qual_coder")
        if module.name in ("__init__.py", "__main__.py") and len(rel.parts) > 1:
            continue
        if module.name not in tree:
            missing.append(str(rel))
    assert not missing, "modules ARCHITECTURE.md does not name: " + ", ".join(missing)
    for package in re.findall(r"^  (\w+)/", tree, re.M):
        assert (REPO / "qual_coder" / package).is_dir(), package


# The layers each heavy or low-level library may be imported in at run time (imports
# under `if TYPE_CHECKING:` are annotations only and do not count).
ALLOWED_IMPORTS = {
    "spacy": {"nlp"},
    "spacy_lookups_data": {"nlp"},
    "sqlite3": {"storage", "services"},
    "sqlite_utils": {"storage"},
    "pandas": {"analysis", "quant", "reports", "storage", "nlp", "api.py", "services"},
    "textual": {"tui"},
    "click": {"cli"},
}


def _runtime_imports(tree):
    """Top-level package names imported outside `if TYPE_CHECKING:` blocks."""
    import ast

    def walk(node, typing_only):
        for child in ast.iter_child_nodes(node):
            inside = typing_only or (isinstance(child, ast.If) and "TYPE_CHECKING" in
                                     ast.unparse(child.test))
            if isinstance(child, ast.Import) and not typing_only:
                yield from (a.name.split(".")[0] for a in child.names)
            elif isinstance(child, ast.ImportFrom) and not typing_only and not child.level:
                yield (child.module or "").split(".")[0]
            if isinstance(child, ast.If) and inside and not typing_only:
                yield from walk(ast.Module(body=child.orelse, type_ignores=[]), False)
                continue
            yield from walk(child, inside)

    return set(walk(tree, False))


def test_libraries_are_imported_only_in_their_layers():
    """spaCy only in nlp/, SQLite only in storage and services, pandas only where frames
    are computed, Textual only in the TUI, click only in the CLI."""
    import ast

    found = []
    for module in sorted((REPO / "qual_coder").rglob("*.py")):
        rel = module.relative_to(REPO / "qual_coder")
        layer = rel.parts[0]
        for name in _runtime_imports(ast.parse(module.read_text())) & set(ALLOWED_IMPORTS):
            if layer not in ALLOWED_IMPORTS[name]:
                found.append(f"{rel} imports {name}")
    assert not found, "\n".join(found)


HEAVY = {"pandas", "numpy", "scipy", "spacy", "matplotlib", "docx", "textual", "sqlite_utils",
         "lxml", "openpyxl", "xlsxwriter", "thinc"}
# What each command may load: its own needs, nothing another command needs.
NEEDS = {
    ("summary", "DB"): set(),
    ("transcripts", "DB"): set(),
    ("codings", "DB"): set(),
    ("quotes", "DB", "--code", "single_point_of_contact"): set(),
    ("query", "DB", "networking AND NOT referral_routes"): set(),
    ("search", "DB", "waiting list"): set(),
    ("saturation", "DB"): set(),
    ("audit", "DB"): set(),
    ("codebook", "history", "DB"): set(),
    ("agreement", "DB", "--coders", "ana", "ben"): {"numpy"},
    ("cascade", "table", "DB"): {"numpy"},
    ("survey", "summary", "DB"): {"numpy", "scipy"},
    ("methods", "DB"): {"numpy"},
    ("matrix", "DB"): {"pandas", "numpy"},
}


def test_each_command_loads_only_what_it_needs(demo_template, tmp_path):
    """Start-up stays small per command (issue 42): a command imports its own module and
    the libraries its work needs, so a listing waits for no statistics and the statistics
    wait for no spaCy."""
    import json
    import shutil

    demo = tmp_path / "demo.db"
    shutil.copyfile(demo_template, demo)
    probe = ("import sys, json\n"
             "sys.argv = ['qual-coder', *json.loads(sys.argv[1])]\n"
             "from qual_coder.cli import main\n"
             "code = 0\n"
             "try:\n    main()\nexcept SystemExit as done:\n    code = done.code or 0\n"
             "sys.stderr.write('LOADED ' + json.dumps([code, sorted({m.split('.')[0] for m "
             "in sys.modules})]) + '\\n')\n")
    found = {}
    for command, allowed in NEEDS.items():
        argv = [str(demo) if word == "DB" else word for word in command]
        out = subprocess.run([sys.executable, "-c", probe, json.dumps(argv)],
                             capture_output=True, text=True, cwd=tmp_path)
        code, loaded = json.loads(out.stderr.rsplit("LOADED ", 1)[1])
        assert code == 0, (command, out.stderr[-2000:])
        extra = set(loaded) & HEAVY - allowed
        if extra:
            found[" ".join(command)] = sorted(extra)
    assert not found, found


def test_every_name_loaded_on_first_use_is_what_it_names():
    """The package, services and the analyses hub export names loaded on first use
    (core/lazy.py): each resolves, to the function or class its module defines (an
    analysis named as its module, `agreement`, is the function, not the module)."""
    import importlib
    import types

    for where in ("qual_coder", "qual_coder.services", "qual_coder.services.analyses"):
        module = importlib.import_module(where)
        for name in module._WHERE:
            value = getattr(module, name)
            assert isinstance(value, types.ModuleType) == (name == "services"), (where, name)


def test_every_library_the_package_imports_is_declared():
    """A library imported directly is a dependency in pyproject.toml, not one that happens
    to arrive with another (rich with Textual, lxml with python-docx, numpy with pandas)."""
    import ast
    import importlib.metadata
    import re
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = {re.split(r"[<>=!\[; ]", d, maxsplit=1)[0].lower().replace("_", "-")
                for d in project["dependencies"]}
    owners = importlib.metadata.packages_distributions()
    missing = set()
    for module in sorted((REPO / "qual_coder").rglob("*.py")):
        for name in _runtime_imports(ast.parse(module.read_text())):
            if not name or name in sys.stdlib_module_names or name == "qual_coder":
                continue
            dists = {d.lower().replace("_", "-") for d in owners.get(name, [name])}
            if not dists & declared:
                missing.add(f"{name} ({', '.join(sorted(dists))}) in "
                            f"{module.relative_to(REPO)}")
    assert not missing, "imported but not declared:\n" + "\n".join(sorted(missing))
