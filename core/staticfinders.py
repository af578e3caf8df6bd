"""Static files served from inside installed packages, never copied into the tree.

The outcome dashboard draws its charts with plotly.js, which the ``plotly`` Python package
ships in its wheel (``plotly/package_data/plotly.min.js``). This finder makes that file the
static file ``vendor/plotly.min.js``: ``runserver`` and the tests' live server find it,
``collectstatic`` copies it into ``STATIC_ROOT`` (hashed and compressed by WhiteNoise in
production, with its far-future cache headers), so it updates with ``uv lock --upgrade``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

# static path -> (package, file inside the package)
PACKAGE_FILES = {
    "vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def _located(package: str, inner: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / inner
    return path if path.is_file() else None


class PackageFilesFinder(BaseFinder):
    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        find_all = find_all or kwargs.get("all", False)
        found = None
        if path in PACKAGE_FILES:
            located = _located(*PACKAGE_FILES[path])
            found = str(located) if located else None
        if find_all:
            return [found] if found else []
        return found

    def list(self, ignore_patterns):
        for path, (package, inner) in PACKAGE_FILES.items():
            located = _located(package, inner)
            if located is None:
                continue
            storage = FileSystemStorage(location=str(located.parent))
            storage.prefix = str(Path(path).parent)
            yield located.name, storage
