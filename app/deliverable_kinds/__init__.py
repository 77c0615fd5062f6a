"""The admin's page of the kinds of deliverable (*soorten opbrengst*)."""
