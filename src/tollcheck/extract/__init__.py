"""Extract: casualty claims out of cleaned reports (spaCy blank pipeline with rule components)."""
