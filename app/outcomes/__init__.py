"""Outcomes of a semester (*borging*): deliverables, evaluations, the impact overview."""
