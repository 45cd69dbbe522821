"""Findings as data, the checks that produce them, and the reporters that print them."""
