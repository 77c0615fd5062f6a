"""Matching settings per semester, and the comparison of the fairness profiles."""
