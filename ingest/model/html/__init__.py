"""Untrusted feed HTML to safe HTML, and safe HTML to the document model the extractors read.

The first of the model's three subjects; it imports nothing else of the model.
"""
