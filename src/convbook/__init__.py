"""convbook: the reference package of "Convolution, from Integrals to Deep Learning".

One module per chapter of the course:

- :mod:`convbook.continuous` -- exact continuous convolution with sympy (chapter 1)
- :mod:`convbook.discrete`   -- 1-D and 2-D discrete convolution, numpy/scipy semantics (chapter 2)
- :mod:`convbook.polynomial` -- polynomial and long multiplication as convolution (chapter 3)
- :mod:`convbook.fourier`    -- DFT, FFT, FFT convolution, exact big-integer products (chapter 4)
- :mod:`convbook.nn`         -- deep-learning "convolution", PyTorch semantics (chapter 5)

plus two packages with one module per chapter, named as the chapter modules
above -- :mod:`convbook.plotting` (figures and kernel-free animations, e.g.
:mod:`convbook.plotting.discrete`) and :mod:`convbook.widgets` (ipywidgets
explorers, e.g. :mod:`convbook.widgets.nn`) -- and :mod:`convbook.grading`
(helpers used by the autograder's test cells).

Submodules are imported lazily, so ``import convbook`` is cheap and does not
pull in sympy or matplotlib until they are needed.
"""

import importlib

#: The version's one source: pyproject.toml reads it (``[tool.setuptools.dynamic]``), and so the wheel that
#: the site ships and its file name carry it.
__version__ = "0.1.0"

__all__ = [
    "continuous",
    "discrete",
    "polynomial",
    "fourier",
    "nn",
    "plotting",
    "widgets",
    "grading",
]


def __getattr__(name):
    if name in __all__:
        return importlib.import_module(f"convbook.{name}")
    raise AttributeError(f"module 'convbook' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
