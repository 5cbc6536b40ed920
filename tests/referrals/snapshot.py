"""A directory as plain data, to compare before and after a round trip."""

from django.forms.models import model_to_dict

from safelight.referrals.models import Service

IGNORED = {"id", "organisation"}


def directory_snapshot(organisation) -> list[dict]:
    services = Service.objects.filter(organisation=organisation).prefetch_related("categories")
    snapshot = []
    for service in services.order_by("hsds_id"):
        fields = {k: v for k, v in model_to_dict(service).items() if k not in IGNORED}
        fields["hsds_id"] = service.hsds_id
        fields["categories"] = sorted(c.code for c in service.categories.all())
        snapshot.append(fields)
    return snapshot
