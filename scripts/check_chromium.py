"""Exit 0 when Playwright can start Debian's Chromium headless."""

import sys

from playwright.sync_api import Error, sync_playwright

sys.path.insert(0, ".")
from tests.browser.launch import CHROMIUM_PATH, launch_options

try:
    with sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        browser.new_page().set_content("<p>ok</p>")
        browser.close()
except Error as error:
    print(f"Chromium ({CHROMIUM_PATH}) : {str(error).splitlines()[0]}", file=sys.stderr)
    sys.exit(1)
