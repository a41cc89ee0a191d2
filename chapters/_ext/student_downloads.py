"""Sphinx extension: what a student takes away from the site, with nothing but the site.

- ``{{ pip_install }}`` (a block MyST substitution) is the one ``pip install``
  command of the "Install and run" page, naming the wheel that ``make book``
  built into ``_build/site-extra/downloads/`` (``html_extra_path`` ships it as
  ``downloads/<wheel>``); ``{{ wheel }}`` and ``{{ convbook_version }}`` are its
  file name and version, ``{{ wheel_link }}`` a link to it, ``{{ pip_install_example }}``
  the command for an example address, ``{{ pip_install_pytorch }}`` the one that adds PyTorch.  With ``html.baseurl`` set in ``_config.yml`` the
  command holds the site's full address, otherwise ``<site>`` stands for it.
- Every lesson page that is a notebook (a MyST markdown notebook with a
  ``kernelspec``) offers ``.ipynb`` in its download menu: the page converted
  by jupytext, unexecuted, with a first cell that points to the install page.
  (sphinx-book-theme offers it only when a launch button is configured.)
- Every download menu gets an "Install and run" entry.
- ``_root_/`` in the footer (``extra_footer``) becomes the page's relative path
  to the site's root, so the licence links work at any depth.
"""

from __future__ import annotations

import re
from pathlib import Path

INSTALL_DOC = "chapters/install"
EXTRA_DIR = Path("_build") / "site-extra"
DOWNLOADS = "downloads"
EXAMPLE_SITE = "https://you.github.io/convolution-course"


def _wheel_name(app) -> tuple[str, str]:
    """The shipped wheel's file name and version (or what ``make book`` will build, from the package)."""
    found = sorted((Path(app.confdir) / EXTRA_DIR / DOWNLOADS).glob("convbook-*.whl"))
    if found:
        name = found[-1].name
        return name, name.split("-")[1]
    from importlib.metadata import version

    v = version("convbook")
    return f"convbook-{v}-py3-none-any.whl", v


def _substitutions(app, config) -> None:
    wheel, version = _wheel_name(app)
    base = (config.html_baseurl or "").rstrip("/") or "<site>"
    command = f'pip install "convbook[course] @ {base}/{DOWNLOADS}/{wheel}"'
    example = f'pip install "convbook[course] @ {EXAMPLE_SITE}/{DOWNLOADS}/{wheel}"'
    config.myst_substitutions = {
        **config.myst_substitutions,
        "wheel": wheel,
        "convbook_version": version,
        # the install page is chapters/install.html: the site's root is one folder up
        "wheel_link": f'<a href="../{DOWNLOADS}/{wheel}"><code>{wheel}</code></a>',
        "pip_install": f"```{{code-block}} bash\n:name: pip-install-convbook\n{command}\njupyter lab\n```\n",
        "pip_install_example": f"```bash\n{example}\n```\n",
        "pip_install_pytorch": "```{code-block} bash\n:name: pip-install-convbook-pytorch\n"
                               + command.replace("convbook[course]", "convbook[course,pytorch]") + "\n```\n",
    }


def _is_notebook_page(app, pagename: str) -> Path | None:
    """The MyST markdown notebook behind ``pagename``, or None for any other page."""
    if pagename not in app.env.all_docs:
        return None
    src = Path(app.env.doc2path(pagename))
    if src.suffix != ".md" or not pagename.startswith("chapters/"):
        return None
    head = src.read_text(encoding="utf-8")[:2000]
    front = re.match(r"---\n(.*?)\n---\n", head, re.S)
    return src if front and "kernelspec:" in front.group(1) else None


def _before_buttons(app, pagename, templatename, context, doctree) -> None:
    footer = context.get("theme_extra_footer")
    if footer and "_root_/" in footer:
        pathto = context["pathto"]
        context["theme_extra_footer"] = re.sub(r"_root_/([^\"']+)", lambda m: pathto(m.group(1), 1), footer)
    if _is_notebook_page(app, pagename) is not None:
        context["ipynb_source"] = pagename + ".ipynb"


def _install_cell(app) -> str:
    base = (app.config.html_baseurl or "").rstrip("/")
    where = (f"[Install and run]({base}/{INSTALL_DOC}.html)" if base
             else "**Install and run** (in the course site's *Exercises* part)")
    return (f"*This notebook is a page of the course site \"Convolution, from Integrals to Deep Learning\".* "
            f"To run it you need `convbook` with its course extras, no copy of the course's repository: "
            f"the site's page {where} gives the one `pip install` command, then `jupyter lab`.")


def _after_buttons(app, pagename, templatename, context, doctree) -> None:
    groups = [b for b in context.get("header_buttons", []) if b.get("label") == "download-buttons"]
    if groups and pagename != INSTALL_DOC and INSTALL_DOC in app.env.all_docs:
        groups[0]["buttons"].append({
            "type": "link",
            "url": context["pathto"](INSTALL_DOC),
            "text": "Install and run",
            "tooltip": "How to run the course's notebooks on your computer",
            "icon": "fas fa-circle-info",
            "label": "install-and-run-button",
        })
    src = _is_notebook_page(app, pagename)
    if src is None:
        return
    import jupytext
    import nbformat

    nb = jupytext.read(src)
    nb.metadata.pop("jupytext", None)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(_install_cell(app)))
    for i, cell in enumerate(nb.cells):  # stable ids: the same page gives the same file
        cell["id"] = f"cell-{i}"
    out = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    out.parent.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(nb)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


def setup(app):
    app.connect("config-inited", _substitutions)
    # the theme adds its header buttons at priority 501: set ipynb_source before, extend the menu after
    app.connect("html-page-context", _before_buttons, priority=400)
    app.connect("html-page-context", _after_buttons, priority=600)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
