"""Cooperation agreements: PDFs issued on approval, verified by code, signed scans."""
