"""What every chapter's explorers share (private): importing ipywidgets, checks, PNG outputs.

- :func:`_ipywidgets` imports ipywidgets or says how to install it;
- :func:`_check_options` refuses unknown figure keywords, :func:`_check_bool`
  a non-bool flag;
- :func:`_png_output` puts a figure into an ``Output`` widget as a PNG.
"""

from __future__ import annotations

import base64
import importlib
import io

from convbook._validation import describe


def _ipywidgets(who: str = "convbook.widgets needs"):
    """Import ipywidgets, or say how to install it (``who`` starts the message)."""
    try:
        return importlib.import_module("ipywidgets")
    except ImportError as exc:
        raise ImportError(
            f"{who} the package 'ipywidgets' (>= 8): install it with "
            "`pip install ipywidgets` (or `pip install convbook[widgets]`), then restart "
            "the kernel. The static animations of convbook.plotting need no extra package."
        ) from exc


def _check_options(func: str, options: dict, allowed) -> None:
    """Refuse figure keywords that ``func`` does not know, listing the ones it does."""
    unknown = sorted(set(options) - set(allowed))
    if unknown:
        raise TypeError(
            f"{func} got an unexpected keyword argument {unknown[0]!r}. "
            f"Acceptable figure options are {', '.join(sorted(allowed))}."
        )


def _check_bool(name: str, value) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, got {describe(value)}.")
    return value


def _png_output(fig, text: str) -> dict:
    """A Jupyter ``display_data`` output holding ``fig`` as a PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": data, "text/plain": text},
        "metadata": {},
    }
