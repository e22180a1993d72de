"""The directory of verified organisations and their profile pages."""
