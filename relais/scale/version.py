"""The generator's version, readable without Django (the benchmark script compares it).

Bump it whenever the generated data changes shape or distribution: the benchmark then
throws its cached datasets away and generates them again.
"""

GENERATOR_VERSION = 2  # 2: orientations (partners) and social reports (reports)
