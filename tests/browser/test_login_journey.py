from playwright.sync_api import expect


def test_log_in_see_home_log_out(page, login, alice, organisation):
    login(alice)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bonjour")
    expect(page.get_by_text(organisation.name).first).to_be_visible()
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    # The session is over: the home page sends back to the login form.
    page.goto("/")
    assert "/connexion/" in page.url


def test_keyboard_user_can_skip_to_content(page, login, alice):
    login(alice)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Aller au contenu")).to_be_focused()
