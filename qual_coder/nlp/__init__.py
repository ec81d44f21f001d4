"""spaCy-assisted coding: the pipeline, the sentence cache, three suggestion engines
(codebook rules, a classifier learned from the project's coding, similarity to coded
excerpts) and inductive discovery. spaCy is imported only when one of them runs."""
