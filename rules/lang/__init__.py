"""Language data, one sub-package per language (as spaCy's ``spacy/lang/``): words, folding and place names.

Recognizers and post-processing steps take their Vietnamese words from :mod:`vner.rules.lang.vi` instead of
keeping their own copies.
"""
