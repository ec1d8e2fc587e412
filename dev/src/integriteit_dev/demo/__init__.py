"""Demo datasets: plain event data plus registration times, no personal data."""
