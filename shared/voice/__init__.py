"""The hall's voice: the chime, one WAV per announcement, speech synthesis, playing,
and the announcer that queues calls (the last two on Qt).
"""
