"""Benchmarks and the seeded synthetic data they run on; no runtime module imports this package.

* ``market.py`` (with ``catalogue.py``, ``families_*.py``, ``geography.py``): a realistic
  synthetic market as the engine's tables, Django-free; the engine's tests use it too;
* ``engine.py``: the engine alone, ``python -m matchmaking.benchmarks.engine``;
* ``database.py``: the market in the configured database, measured end to end
  (``manage.py bench_matching``);
* ``events.py`` and ``schedule.py``: a synthetic connection event and the meeting scheduler's
  benchmark, ``python -m matchmaking.benchmarks.schedule``.

The import contract "runtime never imports the benchmarks" in ``.importlinter`` keeps it so.
"""
