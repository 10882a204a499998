"""The package as a user installs it: a wheel (not editable) in a fresh virtual environment.

The wheel is built from the package alone (pyproject.toml and generator/), so a file the build
needs but the package does not ship fails here. Offline: the wheel is built without build
isolation (setuptools is a dev dependency) and installed with --no-deps; the fresh environment
reaches the dependencies through a .pth file naming this environment's site-packages. A .pth line
only appends a folder to sys.path (the .pth files in that folder, such as an editable install's
finder, are not run), and the fresh environment's own site-packages comes first, so ``generator``
is imported from the wheel; the test asserts it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from .conftest import BUILD_EPOCH, REPO


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtual environment holding the wheel."""
    tmp = tmp_path_factory.mktemp("install")
    source = tmp / "source"
    source.mkdir()
    shutil.copy2(REPO / "pyproject.toml", source)
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    built = _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source], tmp)
    assert built.returncode == 0, built.stderr
    (wheel,) = wheels.glob("*.whl")

    venv = tmp / "venv"
    created = _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp)
    assert created.returncode == 0, created.stderr
    python = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
    done = _run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], tmp)
    assert done.returncode == 0, done.stderr
    fresh = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp).stdout.strip())
    ours = sysconfig.get_paths()
    (fresh / "_catalog_test_dependencies.pth").write_text(
        "\n".join(dict.fromkeys([ours["purelib"], ours["platlib"]])) + "\n", encoding="utf-8"
    )
    return python.parent


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    env["SOURCE_DATE_EPOCH"] = BUILD_EPOCH
    return env


def test_the_wheel_ships_every_site_file_and_runs_from_its_own_folder(installed: Path, tmp_path: Path) -> None:
    where = _run([installed / "python", "-c", "import generator; print(generator.__file__)"], tmp_path, _env())
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout + where.stderr
    shipped = {
        p.relative_to(REPO / "generator" / "site").as_posix()
        for p in (REPO / "generator" / "site").rglob("*")
        if p.is_file()
    }
    package = Path(where.stdout.strip()).parent / "site"
    assert {p.relative_to(package).as_posix() for p in package.rglob("*") if p.is_file()} == shipped


def test_the_installed_catalog_checks_and_builds_a_copy_of_the_content(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "project"
    for folder in ("content", "cases"):
        shutil.copytree(REPO / folder, project / folder)
    shutil.copy2(REPO / "mkdocs.yml", project)
    catalog = installed / "catalog"

    check = _run([catalog, "check"], project, _env())
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.startswith("检查通过：")

    build = _run([catalog, "build"], project, _env())
    assert build.returncode == 0, build.stdout + build.stderr
    site = project / "site"
    course = (site / "courses" / "online-store-setup" / "index.html").read_text(encoding="utf-8")
    assert "开网店的第一步" in course  # a generated page, from the packaged templates
    # The packaged theme overrides: main.html and its partial page_meta.html.
    assert '<meta name="format-detection" content="telephone=no">' in course
    assert '<script type="application/ld+json">' in course
    for path in ("index.html", "finder/index.html", "search/index.html", "assets/search.js", "sw.js"):
        assert (site / path).is_file(), path
