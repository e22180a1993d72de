"""Matching demand and supply postings: normalisation, taxonomy, scoring, explanations."""
