"""Compile the training programme's YAML and Markdown content into a static catalogue site.

The core (load, validate, model, pages) never imports MkDocs; ``plugin`` and ``cli`` only wire it in.
"""

from __future__ import annotations

__all__ = ["__version__"]
__version__ = "0.1.0"
