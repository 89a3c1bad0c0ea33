"""The distribution installs one top-level package, archcanvas, mapped onto core/, gui/, resources/."""

import tomllib
from importlib import metadata
from pathlib import Path

import archcanvas.core

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {"archcanvas"} | {
        "archcanvas." + ".".join(init.parent.relative_to(ROOT).parts)
        for top in ("core", "gui", "resources") for init in (ROOT / top).rglob("__init__.py")}
    assert found == listed


def test_the_installed_distribution_has_one_top_level_name():
    dist = metadata.distribution("archcanvas")
    top = dist.read_text("top_level.txt")
    if top is not None:
        assert top.split() == ["archcanvas"]
    # An editable install records only its finder; a plain one records every file.
    names = {Path(f).parts[0] for f in dist.files or [] if not str(f).startswith(("..", "archcanvas-"))
             and not Path(f).parts[0].startswith(("__editable__", "__pycache__")) and Path(f).suffix == ".py"}
    assert names <= {"archcanvas"}, names


def test_the_package_is_the_repository_folder():
    assert Path(archcanvas.core.__file__).resolve().parent == ROOT / "core"
