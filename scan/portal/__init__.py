"""The PVO advisers' portal: staff login, accounts and the audit log, shares, notes and
trends, and the templates of those pages."""
