"""Driving a page with the keyboard alone, as a keyboard user does: Tab and Shift+Tab to a
control (every element passed must show where the focus is), then Enter, Space, the arrow
keys or typing. No mouse, no element.click() or .focus(), no fill()."""

FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const label = element.labels && element.labels.length ? element.labels[0].innerText : '';
  const legends = [];  // of the fieldsets the element is in, outermost first
  for (let set = element.closest('fieldset'); set; set = set.parentElement.closest('fieldset')) {
    const legend = set.querySelector('legend');
    legends.unshift(legend ? legend.innerText.trim() : '');
  }
  return {id: element.id || '', tag: element.tagName, type: element.type || '',
          text: (element.innerText || '').trim().replace(/\\s+/g, ' '),
          label: label.trim().replace(/\\s+/g, ' '),
          name: (element.getAttribute('aria-label') || '').trim(),
          legends: legends, checked: !!element.checked,
          inBody: element === document.body,
          visible: style.outlineStyle !== 'none' || style.boxShadow !== 'none'};
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def visible_focus(page):
    """After an htmx swap: the focus is on something, not fallen to <body>, and shows."""
    focus = focused(page)
    assert not focus["inBody"], "the focus fell to <body>"
    assert focus["visible"], f"focus not visible on {focus}"
    return focus


def starts(focus, wanted):
    """The focused element's text, label or aria-label begins with `wanted` (a scrolling
    table region, focusable itself, holds every link's text: it is not the link)."""
    return any(focus[key].startswith(wanted) for key in ("text", "label", "name"))


def tab_to(page, wanted, *, back=False, limit=120):
    """Presses Tab (Shift+Tab with back=True) until the focused element's text, label or
    aria-label begins with `wanted` (or `wanted(focus)` holds), unless it already does; every
    element passed on the way must show its focus. Returns the focused element's
    description."""
    found = wanted if callable(wanted) else (lambda focus: starts(focus, wanted))
    focus = focused(page)
    if not focus["inBody"] and found(focus):
        return focus
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = focused(page)
        if focus["inBody"]:
            continue  # past the last control, in the browser's own bar: Tab comes round
        assert focus["visible"], f"focus not visible on {focus}"
        if found(focus):
            return focus
    raise AssertionError(f"{wanted!r} never reached by {'Shift+Tab' if back else 'Tab'}")


def log_in(page, username, password="pw"):
    """The login page is the one address typed; the rest is Tab, typing and Enter."""
    page.goto("/accounts/login/")
    tab_to(page, "Username")
    page.keyboard.type(username)
    tab_to(page, "Password")
    page.keyboard.type(password)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow(page, link, *, back=False):
    """Tab to a link (or a button that leaves the page) and press Enter."""
    tab_to(page, link, back=back)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def choose(page, label, limit=10):
    """In the radio group the focus is in, Down arrow until the choice `label` is chosen
    (the arrows move the focus and choose as they go, and come round at the end)."""
    for _ in range(limit):
        focus = focused(page)
        if focus["label"] == label and focus["checked"]:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{label!r} is not a choice here")
