"""The one text vocabulary of search and matching. Pure Python: the engine imports it too.

- :mod:`catalog.text.fold`: folding ("Cà phê", "ca phe" and "CA PHÊ" meet), search blobs;
- :mod:`catalog.text.synonyms`: the Vietnamese/English concept table, parsed once;
- :mod:`catalog.text.concepts`: the accent pre-pass ("bơ" is not "bò"), stop phrases, and
  cutting a text into concepts longest phrase first, for matching (concept tokens) and for
  search (the spellings to look for).
"""

from catalog.text.fold import fold, fold_compact, search_blob

__all__ = ["fold", "fold_compact", "search_blob"]
