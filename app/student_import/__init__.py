"""Onboarding: admins and wijkdocenten import students from the student administration."""
