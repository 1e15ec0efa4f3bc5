"""Benchmarks that print figures (`make bench` runs bench/run_all.py); not tests."""
