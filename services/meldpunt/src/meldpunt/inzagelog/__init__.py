"""The inzagelog of a melding: who read or changed its protected data, when, and why."""
