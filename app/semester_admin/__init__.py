"""Admin pages for semesters: deadlines, focus, defaults and phases."""
