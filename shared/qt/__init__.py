"""The Qt side shared by the three screen programs: the connection to the office
server, joining the office, the pairing prompt, background work, window placement,
and the remote-control hook that end-to-end tests use.
"""
