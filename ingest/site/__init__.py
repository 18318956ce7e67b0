"""Stage 3, the site: render the knowledge base as pages and hand them to MkDocs.

Reads the model (and the archive's feed states and fetch report for the Sources page).
"""
