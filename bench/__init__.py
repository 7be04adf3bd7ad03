"""Benchmark tools: a synthetic issue generator (``bench.synthetic``) and the benchmark run (``bench/run.py``)."""
