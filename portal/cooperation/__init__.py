"""Cooperation: proposals between an enterprise and a university, their negotiation,
the coordinators' approval and the partnerships that follow."""
