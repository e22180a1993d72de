"""The five posting kinds: demands from enterprises, supplies from universities."""
