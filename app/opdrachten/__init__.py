"""Partner intake: opdrachten posted, co-owned and carried across semesters."""
