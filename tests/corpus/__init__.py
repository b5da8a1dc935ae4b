"""Generators of test documents: known reports drawn as PDF (reportlab) and HTML pages."""
