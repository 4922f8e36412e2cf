"""The learning loop: what the assistant misunderstood, reviewed by designers, back into data/."""
