"""Students who want to work together: groups formed with a code, kept together by the run."""
