# No tables of its own: the scale app adds indexes to other apps' tables through its
# migrations (see search_index.py). The module exists so that post_migrate reaches the app.
