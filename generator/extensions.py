"""A project's own content types: ``catalog_types.py`` in the project root, if there is one.

The file declares its types with ``schema.register`` (see CONTRIBUTING, "新增内容类型"); every
command reads it before anything else, so its types are discovered, checked, built into the
model, given pages and a place in the navigation like the built-in ones. Types are a project's
own: loading a project first removes the types another project added.
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

from . import schema
from .problems import Location, Problem

TYPES_FILE = "catalog_types.py"


def use_project_types(root: Path) -> list[Problem]:
    """Declare the content types of the project at ``root`` (none beyond the built-in ones if it
    has no ``catalog_types.py``); a file that fails is one located problem, not a traceback."""
    schema.unregister_added()
    path = root / TYPES_FILE
    if not path.is_file():
        return []
    # A module name of its own per file, so two projects' declarations never share a module.
    name = "catalog_types_" + hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:12]
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        return [Problem(Location(TYPES_FILE), "无法读取项目的内容类型声明")]
    module = importlib.util.module_from_spec(spec)
    try:
        sys.modules[name] = module  # dataclasses look their module up while the file runs
        spec.loader.exec_module(module)
    except Exception as error:  # the developer's file: any error is reported, never a traceback
        schema.unregister_added()
        line = _line_in(error, path)
        return [Problem(Location(TYPES_FILE, line), f"项目的内容类型声明有错误：{type(error).__name__}: {error}")]
    finally:
        sys.modules.pop(name, None)
    return []


def _line_in(error: BaseException, path: Path) -> int:
    """The line of ``path`` where the error was raised (1 when it was not raised there)."""
    line = 1
    tb = error.__traceback__
    while tb is not None:
        if Path(tb.tb_frame.f_code.co_filename).resolve() == path.resolve():
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
