"""The wijkdocent review queue for submitted opdrachten."""
