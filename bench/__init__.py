"""Benchmarks of cqcportal (``make bench``); see bench/README.md."""
