"""Alerts: saved posting searches and new matches, told at once or in a daily digest."""
