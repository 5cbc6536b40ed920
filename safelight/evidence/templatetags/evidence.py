from django import template

register = template.Library()


@register.filter
def moment(value: str | None) -> str:
    """An ISO date or date-time as people read it: 2026-03-02T21:40:00 -> 2026-03-02 21:40."""
    if not value:
        return ""
    date, _sep, time = str(value).partition("T")
    return f"{date} {time[:5]}" if time else date
