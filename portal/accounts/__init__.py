"""Users, organisations, roles and sign-in."""
