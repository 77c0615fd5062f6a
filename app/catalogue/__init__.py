"""The catalogue of approved opdrachten, for every logged-in user."""
