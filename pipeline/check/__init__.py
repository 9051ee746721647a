"""Check: the table level (pandera), the rules across tables, the annotation files against their JSON
Schemas (the pre-commit hook), and the sentence coverage."""
