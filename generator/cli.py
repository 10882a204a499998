"""The ``catalog`` command: check, build, serve, new, diff, schema.

Exit codes: 0 success; 1 the content has problems or the build failed; 2 wrong usage.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from . import extensions, scaffold, site_files, sitedir
from .model import Catalog
from .problems import format_problems, summary
from .validate import load_catalog


def find_root(start: Path) -> Path:
    """The project folder holding ``start``: the nearest folder up with mkdocs.yml or content/program.yml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "mkdocs.yml").is_file() or (folder / "content" / "program.yml").is_file():
            return folder
    return start


def _root(args: argparse.Namespace) -> Path:
    # Without --root, `catalog check` works from any folder of the project, as git does.
    return Path(args.root).resolve() if args.root is not None else find_root(Path.cwd())


def cmd_check(args: argparse.Namespace) -> int:
    root = _root(args)
    catalog, problems = load_catalog(root, published=args.strict)
    if problems:
        print(format_problems(problems, args.format))
        print(summary(problems), file=sys.stderr)
        return 1
    assert catalog is not None
    print(
        f"检查通过：{len(catalog.courses)} 门课程、{len(catalog.cases)} 个案例、"
        f"{len(catalog.instructors)} 位讲师、{len(catalog.sessions)} 个培训场次、"
        f"{len(catalog.paths)} 条学习路径。"
    )
    if catalog.draft_files:
        print(f"草稿 {len(catalog.draft_files)} 个（预览里能看到，正式发布时不生成）：")
        for path in sorted(catalog.draft_files):
            print(f"  {path}")
    if catalog.warnings:
        print(format_problems(catalog.warnings, args.format, warning=True))
        print(
            f"有 {len(catalog.warnings)} 处警告：预览可以，正式发布（和拉取请求检查）会把它们当作错误。",
            file=sys.stderr,
        )
    return 0


def build_site(
    root: Path,
    site_dir: Path,
    config_file: Path | None = None,
    preview: bool = False,
    catalog: Catalog | None = None,
) -> None:
    """A strict MkDocs build into a staging folder, swapped into ``site_dir`` only on success.

    Raises ``SiteDirError`` (nothing touched) when ``site_dir`` may not be written to, and
    ``mkdocs.exceptions.MkDocsException`` (or MkDocs' ``Abort``) when the build fails; the previous
    ``site_dir`` is then untouched and the staging folder removed. See ``sitedir``. A ``catalog``
    already loaded and validated from ``root`` (for the same ``preview`` mode) is handed to the
    plugin instead of loading it again.
    """
    from mkdocs.commands.build import build

    sitedir.check(root, site_dir)

    def waiting() -> None:
        print(f"另一个构建正在写入 {site_dir.name}/，等它完成后再继续……", file=sys.stderr)

    with sitedir.publishing(site_dir, waiting) as staging:
        config = site_files.load_config(config_file or root / "mkdocs.yml", strict=True, site_dir=str(staging))
        plugin = config.plugins.get("catalog")
        if catalog is not None and plugin is not None:
            plugin.preloaded = (root.resolve(), catalog)
        with _preview(preview):
            build(config)


@contextmanager
def _preview(on: bool) -> Iterator[None]:
    # The plugin reads the mode from the environment: MkDocs gives plugins no other channel
    # from the caller of build(). Restored afterwards, since tests build in one process.
    from .plugin import PREVIEW_ENV

    previous = os.environ.pop(PREVIEW_ENV, None)
    if on:
        os.environ[PREVIEW_ENV] = "1"
    try:
        yield
    finally:
        os.environ.pop(PREVIEW_ENV, None)
        if previous is not None:
            os.environ[PREVIEW_ENV] = previous


class _StderrHandler(logging.Handler):
    """Writes to whatever ``sys.stderr`` is at the time (tests swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr)


@contextmanager
def _mkdocs_messages() -> Iterator[None]:
    # MkDocs reports through logging; show its warnings (which fail a strict build) plainly.
    logger = logging.getLogger("mkdocs")
    handler = _StderrHandler(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s - %(message)s"))
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def cmd_build(args: argparse.Namespace) -> int:
    from mkdocs.exceptions import Abort, MkDocsException

    root = _root(args)
    site_dir = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    try:
        sitedir.check(root, site_dir)  # before anything else: a wrong folder is a usage error
    except sitedir.SiteDirError as error:
        print(str(error), file=sys.stderr)
        return 2
    catalog, problems = load_catalog(root, published=not args.preview)
    if problems:
        # Check first: editors get the same located list as `catalog check`, not a build log.
        print(f"构建失败，原有的 {site_dir.name}/ 保持不变。{summary(problems)}", file=sys.stderr)
        print(format_problems(problems), file=sys.stderr)
        return 1
    try:
        with _mkdocs_messages():
            build_site(root, site_dir, preview=args.preview, catalog=catalog)
    except sitedir.SiteDirError as error:
        print(str(error), file=sys.stderr)
        return 2
    except (MkDocsException, Abort) as error:
        print(f"构建失败，原有的 {site_dir.name}/ 保持不变。\n{error}", file=sys.stderr)
        return 1
    except OSError as error:
        # The disk, not the content: a full disk, a folder that cannot be renamed, …
        where = error.filename or site_dir
        print(f"构建失败，原有的 {site_dir.name}/ 保持不变：{where}: {error.strerror}", file=sys.stderr)
        return 1
    print(f"站点已生成：{site_dir}")
    return 0


class _NoDirtyWarning(logging.Filter):
    """MkDocs warns on every dirty build that navigation may be stale; the plugin sees to that."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def cmd_serve(args: argparse.Namespace) -> int:
    from mkdocs.commands.serve import serve
    from mkdocs.exceptions import Abort, MkDocsException

    root = _root(args)
    host = args.host
    busy = _port_in_use(host, args.port)
    if busy:
        print(f"端口 {args.port} 已被占用（{busy}）。", file=sys.stderr)
        print(f"换一个端口再试，例如：catalog serve --port {args.port + 1}", file=sys.stderr)
        return 1
    shown = f"[{host}]" if ":" in host else host
    print(f"本地预览：http://{shown}:{args.port}/  （保存文件后页面自动刷新，按 Ctrl+C 停止）", flush=True)
    # Dirty rebuilds: MkDocs builds only pages whose source changed; the plugin rewrites only the
    # generated pages whose content changed (see preview.Preview), so a save rebuilds what depends
    # on it. Not strict: a preview shows problems instead of stopping (the plugin reports them).
    logging.getLogger("mkdocs.commands.build").addFilter(_NoDirtyWarning())
    try:
        serve(
            str(root / "mkdocs.yml"),
            dev_addr=f"{shown}:{args.port}",
            livereload=True,
            build_type="dirty",
            strict=False,
            docs_dir=str(site_files.STATIC),  # the packaged static assets, as in a build
        )
    except (MkDocsException, Abort) as error:
        print(str(error), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("预览已停止。", file=sys.stderr)
    return 0


def _port_in_use(host: str, port: int) -> str:
    """Why ``host:port`` cannot be served (empty when it can), asked before MkDocs tries."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # The same option the server sets, so a port left in TIME_WAIT does not count as busy.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            return error.strerror or str(error)
    return ""


def cmd_diff(args: argparse.Namespace) -> int:
    from . import diff

    root = _root(args)
    try:
        report = diff.compare(root, args.base, args.head or diff.WORKTREE)
    except diff.DiffError as error:
        print(str(error), file=sys.stderr)
        return 2
    if args.format == "json":
        print(diff.as_json(report), end="")
    else:
        print(diff.as_text(report, markdown=args.format == "markdown"), end="")
    return 1 if report.new_problems else 0


def cmd_new(args: argparse.Namespace) -> int:
    from . import schema

    root = _root(args)
    folder_field = scaffold.kinds()[args.kind].folder_field
    if folder_field is not None and not args.module:
        label, target = scaffold.kinds()[args.kind].label, schema.CONTENT_TYPES[folder_field.ref].noun
        print(f"新建{label}需要 --module {target}编号", file=sys.stderr)
        return 2
    catalog, problems = load_catalog(root)
    if catalog is None:
        print("现有内容有错误，请先修好再新建文件：", file=sys.stderr)
        print(format_problems(problems), file=sys.stderr)
        return 1
    try:
        path = scaffold.write(root, args.kind, args.id, catalog, args.module or "", args.title or "")
    except scaffold.ScaffoldError as error:
        print(str(error), file=sys.stderr)
        return 1
    print(f"已新建 {path.relative_to(root)}：每个字段都有注释，按注释改写后运行 catalog check。")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from . import reference

    root = _root(args)
    if args.write:
        changed = reference.write_all(root)
        for path in changed:
            print(f"已更新 {path.relative_to(root)}")
        if not changed:
            print("schemas/、CONTRIBUTING.md 的字段说明和 generator/entities.py 已是最新。")
        return 0
    print(reference.field_reference())
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="catalog", description="乡村振兴电商带头人培训计划课程目录的生成工具")
    p.add_argument("--root", help="项目根目录（含 content/、cases/ 和 mkdocs.yml），默认从当前目录向上找到的项目根目录")
    sub = p.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="只检查内容，一次列出全部错误")
    check.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="github：输出 GitHub 注释格式，在拉取请求里标出错误",
    )
    check.add_argument(
        "--strict", action="store_true", help="按正式发布的标准检查：占位文字、引用草稿都算错误（拉取请求检查用）"
    )
    check.set_defaults(func=cmd_check)
    build = sub.add_parser("build", help="严格模式生成站点到 site/")
    build.add_argument("--site-dir", help="输出目录，默认 site/")
    build.add_argument("--preview", action="store_true", help="预览版：包含草稿并标明，允许占位文字（拉取请求预览用）")
    build.set_defaults(func=cmd_build)
    serve = sub.add_parser("serve", help="本地预览，保存文件后自动刷新")
    serve.add_argument("--host", default="127.0.0.1", help="监听地址，默认只在本机可见")
    serve.add_argument("--port", type=int, default=8000, help="端口，默认 8000")
    serve.set_defaults(func=cmd_serve)
    new = sub.add_parser("new", help="新建一个带注释的内容文件（不会覆盖已有文件）")
    new.add_argument("kind", choices=list(scaffold.kinds()))
    new.add_argument("--id", required=True, help="新文件的编号，也是文件名")
    new.add_argument("--module", help="课程所属的模块编号（新建课程时必填）")
    new.add_argument("--title", help="标题（选填）；全目录已有的标题会被拒绝")
    new.set_defaults(func=cmd_new)
    diff = sub.add_parser("diff", help="列出两个版本之间内容、页面和问题的变化（给审核的人看）")
    diff.add_argument("base", nargs="?", default="HEAD", help="比较的起点：git 版本（分支、提交），默认 HEAD")
    diff.add_argument("head", nargs="?", default="", help="比较的终点：git 版本；不写就是当前的工作区")
    diff.add_argument("--format", choices=["text", "markdown", "json"], default="text", help="输出格式")
    diff.set_defaults(func=cmd_diff)
    schema = sub.add_parser("schema", help="从模型定义生成 schemas/*.json、CONTRIBUTING.md 的字段说明和模型类")
    schema.add_argument("--write", action="store_true", help="写入文件（不加则只打印字段说明）")
    schema.set_defaults(func=cmd_schema)
    return p


class Interrupted(BaseException):
    """Ctrl+C or a termination request: unwinds like KeyboardInterrupt, so clean-up runs."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _interruptible() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Interrupted`` once; a second signal waits for the clean-up."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if not received:
            received.append(signum)
            # SIGINT stays a KeyboardInterrupt, which MkDocs' server and others expect.
            raise KeyboardInterrupt if signum == signal.SIGINT else Interrupted(signum)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def main(argv: list[str] | None = None) -> int:
    # The project's own content types first (catalog_types.py): `catalog new` offers them too.
    # A declaration that fails is reported by the command, as a located problem.
    first = argparse.ArgumentParser(add_help=False)
    first.add_argument("--root")
    extensions.use_project_types(_root(first.parse_known_args(argv)[0]))
    args = parser().parse_args(argv)
    try:
        with _interruptible():
            return int(args.func(args))
    except (Interrupted, KeyboardInterrupt) as stop:
        signum = stop.signum if isinstance(stop, Interrupted) else signal.SIGINT
        what = "已中断" if signum == signal.SIGINT else "已终止"
        kept = "，原有的站点保持不变，临时文件已清理" if args.command == "build" else ""
        print(f"{what}{kept}。", file=sys.stderr)
        return 128 + signum


if __name__ == "__main__":
    raise SystemExit(main())
