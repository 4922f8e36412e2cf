"""Code that runs inside Rasa: sentiment scoring, the handoff policy, its trigger rules,
the thresholds loader and the spaCy pipeline that finds personal data."""
