"""`make bench-judgement`: does the assistant hand the right conversations to a person, in time?"""
