"""Stage 2, the model: read archived entries into articles, notes and checklists (the knowledge base).

Reads the archive stage; knows nothing about MkDocs, pages or URLs.
"""
