"""The rasa-sdk action server: thin actions (one per ``action_*`` module) over pure functions.

``rasa run actions`` registers every action class found in this package's submodules.
"""
