"""Read the recipes of ontology/README.md and apply them to a copy of the ontology.

Each recipe is a ``### Recipe N: …`` section; each fenced ``turtle`` or ``sparql`` block in it
starts with a line that says what to do with it:

- ``# append to: data/transfers.ttl`` — append the block to that file (relative to ontology/);
- ``# new file: queries/rules-in-force.rq`` — create the file (append if it already exists);
- ``# already in: data/sources.ttl`` — shown for reference: its triples must already be there.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ONTOLOGY = REPO / "ontology"
README = ONTOLOGY / "README.md"

_RECIPE = re.compile(r"^### Recipe (\d+): (.+)$", re.M)
_BLOCK = re.compile(r"^```(turtle|sparql)\n(.*?)^```", re.M | re.S)
_TARGET = re.compile(r"^#\s*(append to|new file|already in):\s*(\S+)\s*$")


@dataclass
class Block:
    lang: str
    action: str  # "append to" | "new file" | "already in"
    target: str
    text: str


@dataclass
class Recipe:
    number: int
    title: str
    blocks: list[Block] = field(default_factory=list)


@lru_cache(maxsize=1)
def recipes() -> tuple[Recipe, ...]:
    text = README.read_text(encoding="utf-8")
    heads = list(_RECIPE.finditer(text))
    out = []
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else text.find("\n## ", head.end())
        body = text[head.end() : end if end != -1 else len(text)]
        recipe = Recipe(int(head.group(1)), head.group(2).strip())
        for m in _BLOCK.finditer(body):
            first = m.group(2).splitlines()[0] if m.group(2).strip() else ""
            target = _TARGET.match(first)
            if not target:
                raise AssertionError(
                    f"Recipe {recipe.number}: a {m.group(1)} block does not start with "
                    f"'# append to: FILE', '# new file: FILE' or '# already in: FILE': {first!r}"
                )
            recipe.blocks.append(Block(m.group(1), target.group(1), target.group(2), m.group(2)))
        out.append(recipe)
    return tuple(out)


def copy_ontology(dest: Path) -> Path:
    """A copy of ontology/ (without the bulky import CSVs, which nothing here reads)."""
    shutil.copytree(ONTOLOGY, dest, ignore=shutil.ignore_patterns("*.csv", "README.md"))
    return dest


def apply(recipe: Recipe, root: Path) -> list[Path]:
    """Append / create the recipe's blocks under ``root``; the files touched."""
    touched = []
    for block in recipe.blocks:
        if block.action == "already in":
            continue
        path = root / block.target
        path.parent.mkdir(parents=True, exist_ok=True)
        if block.action == "append to" and not path.exists():
            raise AssertionError(
                f"Recipe {recipe.number}: {block.target} does not exist to append to"
            )
        existing = path.read_text(encoding="utf-8") if path.exists() else ""
        sep = (
            ""
            if not existing or existing.endswith("\n\n")
            else ("\n" if existing.endswith("\n") else "\n\n")
        )
        path.write_text(existing + sep + block.text, encoding="utf-8")
        touched.append(path)
    return touched


# ----------------------------------------------------------------------------- validating


def rongtong(*args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    """Run the real ``rongtong`` command of this environment."""
    exe = Path(sys.executable).with_name("rongtong")
    cmd = (
        [str(exe)]
        if exe.exists()
        else [sys.executable, "-c", "import sys; from web.cli import main; sys.exit(main())"]
    )
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, timeout=timeout, cwd=REPO, check=False
    )


def validate_json(root: Path) -> dict:
    """``rongtong validate ROOT --json`` as data (exit status in "returncode")."""
    proc = rongtong("validate", str(root), "--json")
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(
            f"rongtong validate gave no JSON (exit {proc.returncode}): {proc.stderr[-2000:]}"
        ) from exc
    report["returncode"] = proc.returncode
    return report


def error_keys(report: dict) -> dict[tuple, str]:
    """The report's errors, keyed without their line numbers (which appending can shift)."""
    out = {}
    for p in report["problems"]:
        if p["severity"] != "error":
            continue
        text = p["message"].split(": ", 1)[-1]
        out[(p["kind"], p.get("rule"), p.get("focus"), text)] = p["message"]
    return out
