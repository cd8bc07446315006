"""The entrepreneur's scan: its pages, forms, tokens, storage, repeat scans, action plan,
sharing, retention and PDF cache, and the templates of those pages."""
