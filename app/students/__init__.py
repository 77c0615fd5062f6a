"""Students: ranking the opdrachten, their published team and their own data."""
