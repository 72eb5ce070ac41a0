"""axe-core (vendor/axe.min.js, from the npm package axe-core 4.14.1, MPL-2.0) run on the page a
test has open: the WCAG 2.2 AA rules, and a form's error state to run them on.

The script is evaluated in the page through the DevTools protocol, which the page's
Content-Security-Policy does not apply to, so the tracker's policy stays as it is served. It is
put in only when a page is checked, not with add_init_script into every page a test opens: a
crawl checks a template once but opens hundreds of pages, and each would compile its 550 kB."""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
SOURCE = AXE.read_text()
# Level A and AA of WCAG 2.0, 2.1 and 2.2: what "WCAG 2.2 AA" asks of a page.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_JS = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}: ` +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""

# The first form posting to the server that has a required field: its typed fields are
# emptied and it is sent past the browser's own checks (form.submit() skips htmx's handler
# too), with its first button's name and value as if that button were pressed. A required
# field left empty is refused by the server, so nothing is saved and the page comes back
# with its errors.
FIND_FORM_JS = """() => Array.from(document.querySelectorAll('form[method="post" i]'))
  .some(f => f.querySelector('[required]'))"""
ERROR_STATE_JS = """() => {
  const form = Array.from(document.querySelectorAll('form[method="post" i]'))
    .find(f => f.querySelector('[required]'));
  form.querySelectorAll('input, textarea').forEach(field => {
    if (!['hidden', 'submit', 'button', 'checkbox', 'radio', 'file'].includes(field.type))
      field.value = '';
  });
  const button = form.querySelector('button[name], input[type=submit][name]');
  if (button) {
    const pressed = document.createElement('input');
    pressed.type = 'hidden'; pressed.name = button.name; pressed.value = button.value;
    form.appendChild(pressed);
  }
  HTMLFormElement.prototype.submit.call(form);
}"""


def violations(page):
    """axe's WCAG 2.2 A and AA violations on the page as it is now, one line each."""
    for frame in page.frames:  # axe checks a frame's contents with its own copy inside
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.evaluate(SOURCE)
    return page.evaluate(RUN_JS, TAGS)


def show_form_errors(page):
    """Sends the page's first form with required fields empty; True if there was one."""
    if not page.evaluate(FIND_FORM_JS):
        return False
    with page.expect_navigation():
        page.evaluate(ERROR_STATE_JS)
    return True
