"""The policy module: every question "may this user see / change this?" is answered here.

``rules`` holds one function per question; ``querysets`` applies the same rules in SQL.
"""
