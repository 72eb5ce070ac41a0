"""The form renderer: widgets render through the project's templates, which may override
Django's (templates/django/forms/), except a select of plain options, written here.

A filter bar's select of 500 people took about 45 ms of CPU through the template (the RAID
log's owner filter, the email log's person), one template loop per option; the same
markup written in Python takes a tenth of that. A select whose options have a template of
their own (a person picker's) still renders through the templates.
"""

from html import escape

from django.forms.renderers import TemplatesSetting
from django.utils.safestring import SafeData

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


class FormRenderer(TemplatesSetting):
    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name == SELECT and _plain_options(widget):
            return select_html(widget)
        return super().render(template_name, context, request)


def _plain_options(widget):
    return all(
        option["template_name"] == OPTION
        for _, options, _ in widget["optgroups"]
        for option in options
    )


def select_html(widget):
    """What templates/django/forms/widgets/select.html writes, character for character."""
    html = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _ in widget["optgroups"]:
        if group_name:
            html.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            html.append(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            html.append("\n  </optgroup>")
    html.append("\n</select>")
    return "".join(html)


def _attrs(attrs):
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes its
    name alone."""
    return "".join(
        f" {_text(name)}" if value is True else f' {_text(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _text(value):
    """As the template's autoescape: text marked safe is written as it is."""
    return value if isinstance(value, SafeData) else escape(str(value))
