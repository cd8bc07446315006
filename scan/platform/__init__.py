"""The platform every feature stands on: configuration, extensions, the database models,
logging, caches, serving, security headers, input checks, error pages and the catalog of
questionnaires. It knows no audience."""
