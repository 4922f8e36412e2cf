"""The handoff service: the gateway every customer and agent connects to, and the live-agent
queue."""
