"""Web layer: one blueprint per audience; views call the domain and render templates."""
