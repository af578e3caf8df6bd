"""The data the ``seed`` command loads, kept as plain Python so that it reads like a table.

Every module here is data only: no Django imports, no queries. ``seeds.loaders`` turns it
into rows. Facts taken from the source articles name their source key (``sources.py``).
"""
