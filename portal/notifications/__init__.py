"""In-app notifications (an inbox with an unread count) and their e-mails."""
