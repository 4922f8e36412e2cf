"""What the assistant's side (Python 3.10, inside Rasa) and the handoff service (3.11+) share.

Standard library only, so both environments import the same code: a rule that one side
applies and the other side relies on is written here once.
"""
