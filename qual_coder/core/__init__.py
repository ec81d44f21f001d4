"""Domain objects and rules. Standard library only: no SQL, no Textual, no spaCy."""
