"""The lessons as plain Jupyter notebooks: MyST's cross-references turned into what JupyterLab renders.

The book's pages (``chapters/<NN-name>/<page>.md``) are MyST notebooks: they
say ``{term}`kernel```, ``{doc}`rolling-up```, ``{eq}`eq-ch2-toeplitz```,
``{numref}`fig-ch2-toeplitz```, ``{ref}`ch5-stride```, ``{cite}`key``` and
label equations with ``$$ (eq-label)`` and sections with ``(label)=`` lines.
Sphinx resolves them across the whole book; JupyterLab's Markdown shows them
raw.  :func:`convert` resolves them the same way, across every lesson, into
plain Markdown and MathJax that a stock JupyterLab renders:

- a term becomes a link to its entry in ``lessons/glossary.ipynb`` (built from
  ``chapters/glossary.md``);
- a page becomes a link to its notebook, named by the page's title, and an
  exercise page a link to the student's copy of the set;
- a labelled equation gets ``\\tag{n}`` (numbered per page, in order), and a
  reference to it says ``(n)``, with a link to the page when it is another one;
- a figure (a code cell with a ``mystnb.figure`` caption) gets its caption as a
  Markdown cell below it, ``Figure n.``, and a reference says ``Figure n``;
- a section label line goes, and a reference links to the section's heading;
- a citation becomes ``[Author, year]`` from ``chapters/references.bib``;
- an API name (``{py:func}`convbook.nn.conv2d```) becomes inline code, as Sphinx shows it.

Whatever it cannot resolve is listed in :attr:`Converted.unresolved` (and
left as readable text), so a test can insist that nothing is.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from pathlib import Path

from .paths import Course

__all__ = ["Converted", "convert", "glossary_markdown", "lesson_pages", "cite_text"]

#: Where the lessons live in a student workspace; the glossary sits at its top.
LESSONS = "lessons"
GLOSSARY = "glossary"

_ROLE = re.compile(r"\{(?P<role>[A-Za-z][\w:-]*)\}`(?P<body>[^`]+)`")
_EXPLICIT = re.compile(r"(?P<text>.*?)\s*<(?P<target>[^<>]+)>\s*", re.S)
_EQ_LABEL = re.compile(r"^\$\$[ \t]*\((?P<label>[^()\s]+)\)[ \t]*$", re.M)
_SECTION_LABEL = re.compile(r"^\((?P<label>[^()\s]+)\)=[ \t]*$", re.M)
_PY_ROLE = re.compile(r"(py:)?(func|meth|class|mod|obj|data|attr|exc|const)")
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)


@dataclasses.dataclass
class _Page:
    key: str                                   # "02-discrete/matrix", relative to chapters/, no suffix
    title: str
    equations: dict[str, int] = dataclasses.field(default_factory=dict)
    figures: dict[str, int] = dataclasses.field(default_factory=dict)
    sections: dict[str, str] = dataclasses.field(default_factory=dict)  # label -> heading text


@dataclasses.dataclass
class Converted:
    """The converted lessons: workspace-relative path -> notebook, and what could not be resolved."""

    notebooks: dict[str, object]
    unresolved: list[str]


def lesson_pages(course: Course) -> list[Path]:
    """The lesson pages: MyST notebooks under ``chapters/<NN-name>/``."""
    return sorted(course.chapters.glob("[0-9][0-9]-*/*.md"))


def _workspace_path(key: str) -> str:
    """Where the page ``key`` lands in the workspace.

    >>> _workspace_path("02-discrete/matrix")
    'lessons/02-discrete/matrix.ipynb'
    """
    return f"{LESSONS}/{key}.ipynb"


def _anchor(heading: str) -> str:
    """JupyterLab's id for a rendered Markdown heading: its text with spaces as dashes.

    >>> _anchor("Stride and padding")
    'Stride-and-padding'
    """
    text = re.sub(r"[*_`]", "", heading).strip()
    return text.replace(" ", "-")


def _title(cells) -> str:
    for cell in cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#[ \t]+(.+?)[ \t]*$", cell.source, re.M)
            if m:
                return m.group(1)
    return ""


def _index_page(key: str, nb) -> _Page:
    page = _Page(key, _title(nb.cells))
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for m in _EQ_LABEL.finditer(cell.source):
                page.equations.setdefault(m.group("label"), len(page.equations) + 1)
            for m in _SECTION_LABEL.finditer(cell.source):
                heading = _HEADING.search(cell.source, m.end())
                page.sections[m.group("label")] = heading.group("text") if heading else page.title
        elif _figure(cell) is not None:
            name = _figure(cell).get("name") or f"#figure-{len(page.figures) + 1}"
            page.figures[name] = len(page.figures) + 1
    return page


def _figure(cell) -> dict | None:
    fig = cell.metadata.get("mystnb", {}).get("figure") if cell.cell_type == "code" else None
    return fig if isinstance(fig, dict) and fig.get("caption") else None


# ----------------------------------------------------------------------------- citations

_LATEX_ACCENTS = {r'\"o': "ö", r'\"u': "ü", r'\"a': "ä", r'\"O': "Ö", r'\"U': "Ü", r'\"A': "Ä",
                  r"\'e": "é", r"\`e": "è", r"\'a": "á", r"\ss": "ß", r"\o": "ø", r"\l": "ł"}


def _delatex(text: str) -> str:
    for code, char in _LATEX_ACCENTS.items():
        text = text.replace("{" + code + "}", char).replace(code, char)
    return re.sub(r"[{}]", "", text).strip()


def _read_bib(path: Path) -> dict[str, dict[str, str]]:
    """{key: {field: value}} from a BibTeX file (the fields with braced values, as the course writes them)."""
    entries: dict[str, dict[str, str]] = {}
    if not path.is_file():
        return entries
    text = path.read_text(encoding="utf-8")
    for m in re.finditer(r"@\w+\s*\{\s*([^,\s]+)\s*,", text):
        fields, i = {}, m.end()
        for f in re.finditer(r"\s*(\w+)\s*=\s*\{", text[i:]):
            if f.start() != 0 and text[i:i + f.start()].strip(" \t\n,") != "":
                break
            depth, j = 1, i + f.end()
            while j < len(text) and depth:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
            fields[f.group(1).lower()] = _delatex(text[i + f.end():j - 1])
            i = j
        entries[m.group(1)] = fields
    return entries


def cite_text(entry: dict[str, str]) -> str:
    """``Author, year`` as the book's author-year citations read.

    >>> cite_text({"author": "Cooley, James W. and Tukey, John W.", "year": "1965"})
    'Cooley and Tukey, 1965'
    >>> cite_text({"author": "Goodfellow, Ian and Bengio, Yoshua and Courville, Aaron", "year": "2016"})
    'Goodfellow et al., 2016'
    """
    names = [a.split(",")[0].strip() if "," in a else a.strip().split(" ")[-1]
             for a in entry.get("author", "").split(" and ") if a.strip()]
    who = (names[0] if len(names) == 1 else " and ".join(names) if len(names) == 2
           else f"{names[0]} et al." if names else entry.get("title", "?"))
    return f"{who}, {entry.get('year', 'n.d.')}"


# ----------------------------------------------------------------------------- the roles

@dataclasses.dataclass
class _Book:
    pages: dict[str, _Page]
    terms: dict[str, str]     # lower-case term -> its glossary heading
    bib: dict[str, dict[str, str]]
    sets: dict[str, str]      # exercise set name -> its title
    unresolved: list[str]

    def link(self, src: str, dst_path: str, fragment: str = "") -> str:
        here = posixpath.dirname(_workspace_path(src)) if src != GLOSSARY else LESSONS
        rel = posixpath.relpath(dst_path, here)
        return rel + (f"#{fragment}" if fragment else "")


def _resolve_doc(book: _Book, src: str, target: str) -> tuple[str, str] | None:
    """(title, workspace path) of a ``{doc}`` target seen from the page ``src``."""
    base = "" if src == GLOSSARY else posixpath.dirname(src)
    key = posixpath.normpath(target.lstrip("/").removeprefix("chapters/") if target.startswith("/")
                             else posixpath.join(base, target))
    key = key.removesuffix(".md").removesuffix(".ipynb")
    if key in book.pages:
        return book.pages[key].title, _workspace_path(key)
    if key.startswith("exercises/") and key.split("/", 1)[1] in book.sets:
        name = key.split("/", 1)[1]
        return book.sets[name], f"{name}/{name}.ipynb"
    if key == GLOSSARY:
        return "Glossary", f"{LESSONS}/{GLOSSARY}.ipynb"
    return None


def _role(book: _Book, src: str, role: str, body: str) -> str | None:
    m = _EXPLICIT.fullmatch(body)
    text, target = (m.group("text"), m.group("target").strip()) if m else (None, body.strip())
    page = book.pages.get(src)
    if role == "term":
        heading = book.terms.get(target.lower())
        if heading is None:
            return None
        return f"[{text or target}]({book.link(src, f'{LESSONS}/{GLOSSARY}.ipynb', _anchor(heading))})"
    if role == "doc":
        found = _resolve_doc(book, src, target)
        return None if found is None else f"[{text or found[0]}]({book.link(src, found[1])})"
    if role in ("eq", "numref"):
        kind = "equations" if role == "eq" else "figures"
        for key, other in book.pages.items():
            if target in getattr(other, kind):
                n = getattr(other, kind)[target]
                label = f"({n})" if role == "eq" else (text.replace("%s", str(n)) if text else f"Figure {n}")
                if key == src:
                    return label
                return f"{label} in [{other.title}]({book.link(src, _workspace_path(key))})"
        return None
    if role == "ref":
        for key, other in book.pages.items():
            if target in other.sections:
                heading = other.sections[target]
                where = _workspace_path(key) if page is None or key != src else ""
                href = (book.link(src, where) if where else "") + f"#{_anchor(heading)}"
                return f"[{text or heading}]({href})"
        return None
    if _PY_ROLE.fullmatch(role):  # the API reference is on the site: here, the name as code, as Sphinx shows it
        name = target.lstrip("~")
        shown = text or (name.rsplit(".", 1)[-1] if target.startswith("~") else name)
        return f"`{shown}()`" if role.endswith(("func", "meth")) and not text else f"`{shown}`"
    if role in ("cite", "cite:p", "cite:t"):
        keys = [k.strip() for k in target.split(",")]
        if not all(k in book.bib for k in keys):
            return None
        return "[" + "; ".join(cite_text(book.bib[k]) for k in keys) + "]"
    return None


def plain_markdown(book: _Book, src: str, source: str) -> str:
    """One Markdown cell of the page ``src`` with its roles and labels resolved."""
    page = book.pages.get(src)

    def tag(m):
        n = page.equations.get(m.group("label")) if page else None
        return f"\\tag{{{n}}}\n$$" if n else "$$"

    out = _EQ_LABEL.sub(tag, source)
    out = _SECTION_LABEL.sub("", out)

    def role(m):
        done = _role(book, src, m.group("role"), m.group("body"))
        if done is None:
            book.unresolved.append(f"{src}: {m.group(0)}")
            explicit = _EXPLICIT.fullmatch(m.group("body"))
            return explicit.group("text") if explicit else m.group("body")
        return done

    return _ROLE.sub(role, out)


# ----------------------------------------------------------------------------- the glossary

def _glossary_entries(text: str) -> tuple[str, list[tuple[list[str], str]]]:
    """(the text before the glossary, [(terms, definition)]) of ``chapters/glossary.md``."""
    m = re.search(r"^```+\{glossary\}[^\n]*\n(?P<body>.*?)^```+[ \t]*$", text, re.M | re.S)
    if m is None:
        return text, []
    head, body = text[:m.start()], m.group("body")
    entries: list[tuple[list[str], list[str]]] = []
    sort = False
    for line in body.splitlines():
        if line.strip() == ":sorted:":
            sort = True
        elif line.strip().startswith(":") and not entries:
            continue
        elif line and not line[0].isspace():
            if entries and not entries[-1][1]:
                entries[-1][0].append(line.strip())
            else:
                entries.append(([line.strip()], []))
        elif entries:
            entries[-1][1].append(line.strip())
    out = [(terms, " ".join(x for x in lines if x)) for terms, lines in entries]
    if sort:
        out.sort(key=lambda e: e[0][0].lower())
    return head, out


def glossary_markdown(text: str) -> tuple[str, dict[str, str]]:
    """The glossary page as plain Markdown (a heading per term), and {term in lower case: its heading}.

    >>> md, terms = glossary_markdown("# Glossary\\n\\n```{glossary}\\n:sorted:\\n\\nkernel\\n  The second factor.\\n```\\n")
    >>> print(md)
    # Glossary
    <BLANKLINE>
    ### kernel
    <BLANKLINE>
    The second factor.
    >>> terms
    {'kernel': 'kernel'}
    """
    head, entries = _glossary_entries(text)
    parts = [head.strip()]
    terms: dict[str, str] = {}
    for names, definition in entries:
        terms.update((n.lower(), names[0]) for n in names)
        heading = f"### {names[0]}"
        also = f"\n\n*Also:* {', '.join(names[1:])}" if len(names) > 1 else ""
        parts.append(f"{heading}{also}\n\n{definition}")
    return "\n\n".join(p for p in parts if p), terms


# ----------------------------------------------------------------------------- the whole book

def _set_titles(course: Course) -> dict[str, str]:
    titles = {}
    for master in sorted(course.source.glob("*/*.md")):
        if master.stem != master.parent.name:
            continue
        m = re.search(r"^#[ \t]+(.+?)[ \t]*$", master.read_text(encoding="utf-8"), re.M)
        titles[master.stem] = m.group(1) if m else master.stem
    return titles


def convert(course: Course) -> Converted:
    """Every lesson and the glossary as notebooks for a workspace, with every reference resolved."""
    import jupytext
    import nbformat

    notebooks, pages = {}, {}
    for path in lesson_pages(course):
        key = path.relative_to(course.chapters).with_suffix("").as_posix()
        nb = jupytext.read(path)
        nb.metadata.pop("jupytext", None)
        notebooks[key] = nb
        pages[key] = _index_page(key, nb)
    glossary_src = course.chapters / f"{GLOSSARY}.md"
    glossary_md, terms = glossary_markdown(glossary_src.read_text(encoding="utf-8")) if glossary_src.is_file() \
        else ("# Glossary", {})
    book = _Book(pages, terms, _read_bib(course.chapters / "references.bib"), _set_titles(course), [])

    out = {}
    for key, nb in notebooks.items():
        cells, page = [], pages[key]
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = plain_markdown(book, key, cell.source)
            cells.append(cell)
            fig = _figure(cell)
            if fig is not None:
                name = fig.get("name") or f"#figure-{sum(1 for c in cells if _figure(c) is not None)}"
                caption = plain_markdown(book, key, str(fig["caption"]).strip())
                cells.append(nbformat.v4.new_markdown_cell(f"**Figure {page.figures[name]}.** {caption}"))
        for i, c in enumerate(cells):  # ids of our own: jupytext makes new random ones at every read
            c["id"] = f"cell-{i}"
        nb.cells = cells
        out[_workspace_path(key)] = nb
    glossary = nbformat.v4.new_notebook()
    glossary.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    glossary.cells = [nbformat.v4.new_markdown_cell(plain_markdown(book, GLOSSARY, glossary_md), id="cell-0")]
    out[f"{LESSONS}/{GLOSSARY}.ipynb"] = glossary
    return Converted(out, book.unresolved)
