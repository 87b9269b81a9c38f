"""Benchmarks: synthetic content at scale and the runner that measures builds and link checks."""
