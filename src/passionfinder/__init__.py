"""passionfinder: find work you can be passionate about."""
