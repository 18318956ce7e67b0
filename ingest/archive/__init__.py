"""Stage 1, the archive: fetch feeds and keep every entry, byte for byte, in a lasting archive.

Nothing here knows about articles, notes or the site.
"""
