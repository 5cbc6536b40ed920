"""From a phone's apps to findings: what was found, how sure the match is, what the app can do,
what the options are, and, always, the safety note.

`check(parsed, indicators)` works on what `inputs.read_input` read; `check_file(stream,
indicators)` does both. Nothing here touches the database: the caller chooses the indicator set
(`access.current_indicators()`), and nothing is stored unless the person chooses to.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.utils.translation import gettext as _

from safelight.techcheck import indicators as ind
from safelight.techcheck.inputs import (
    ACCESS_CATEGORIES,
    App,
    AppActivity,
    ParsedInput,
    expected_message,
    read_input,
)

# Kinds of finding.
STALKERWARE = "stalkerware"
MONITORING = "monitoring"  # dual-use: watchware and the dual-use list
OUTSIDE_STORE = "outside_store"
DEVICE_ADMIN = "device_admin"
ACCESSIBILITY = "accessibility"
INDICATOR_DOMAIN = "indicator_domain"
SENSITIVE_ACCESS = "sensitive_access"

# How sure: a signing certificate is certain; a package name or a server is likely; what only
# suggests a risk is possible; what the phone reports about ordinary use is information.
CERTAIN = "certain"
LIKELY = "likely"
POSSIBLE = "possible"
INFORMATION = "information"

# Installers that are app stores (Android's package name of the store app).
STORES = frozenset({
    "com.android.vending",  # Google Play
    "com.google.android.feedback",  # Google Play, on old Android
    "com.sec.android.app.samsungapps",  # Galaxy Store
    "com.amazon.venezia",  # Amazon Appstore
    "com.huawei.appmarket",  # AppGallery
    "com.xiaomi.market", "com.xiaomi.mipicks",  # Xiaomi GetApps
    "com.heytap.market", "com.oppo.market",  # OPPO / realme App Market
    "com.bbk.appstore",  # vivo App Store
    "org.fdroid.fdroid", "org.fdroid.basic",  # F-Droid
    "com.aurora.store",  # Aurora Store (Google Play's apps)
})
NO_INSTALLER = frozenset({"", "null", "none"})


@dataclass(frozen=True)
class IndicatorInfo:
    name: str
    version: str
    date: str
    source: str
    attribution: str


@dataclass
class Finding:
    app: str  # the package name or iOS bundle ID
    kind: str
    confidence: str
    title: str
    explanation: str  # what such an app can do, and why this one was flagged
    options: tuple[str, ...]
    safety_note: str
    family: str = ""
    evidence: str = ""  # the matched indicator: a certificate, a domain; "" for a name match

    @property
    def confidence_label(self) -> str:
        return confidence_label(self.confidence)


@dataclass
class CheckResult:
    input_kind: str
    apps_checked: int
    findings: list[Finding]
    problems: list[str]
    expected: str  # what was expected, when the file was none of the formats
    indicators: IndicatorInfo
    safety_note: str = field(default="")

    @property
    def readable(self) -> bool:
        return not self.expected


def confidence_label(confidence: str) -> str:
    return {
        CERTAIN: _("Certain"),
        LIKELY: _("Likely"),
        POSSIBLE: _("Possible"),
        INFORMATION: _("For information"),
    }.get(confidence, confidence)


def safety_note() -> str:
    return _(
        "Before you change anything: removing an app can alert the person who installed it "
        "and make things more dangerous. Make a safety plan first, with an advocate or a "
        "service from the referral directory. If the abuser can reach this device, it may "
        "show that this check was done."
    )


def _options_to_act() -> list[str]:
    return [
        _("Leave it for now, and make a safety plan before you act."),
        _("Keep a record, such as this result, somewhere the other person cannot reach."),
        _("Ask an advocate or a tech-safety clinic to look at the phone with you."),
        _("When it is safe: remove the app or reset the phone, then change your passwords "
          "from a device the other person has never had."),
    ]


def _options_to_review() -> list[str]:
    return [
        _("If you did not set this up, or do not know who did, treat it as a finding above."),
        _("In the phone's settings, check which apps may use these, and turn off what you do "
          "not need when it is safe."),
    ]


class _Texts:
    """The fixed texts of findings, translated once per check rather than once per finding."""

    def __init__(self) -> None:
        self.note = safety_note()
        self.act = tuple(_options_to_act())
        self.review = tuple(_options_to_review())
        self.stalkerware = _("Stalkerware can secretly share where you are, your messages, "
                             "calls and photos, and what you type, with another person.")
        self.monitoring = _("This app has ordinary uses, such as finding family members, "
                            "parental control or remote help, but it can also be used to track "
                            "a person or see their phone.")
        self.outside_store = " ".join([
            _("Apps installed from a file or from a computer are not checked by an app "
              "store. Stalkerware is often put on a phone this way by someone who had it "
              "in their hands."),
            _("The phone does not say that this app came from an app store."),
        ])
        self.outside_store_title = _("Installed from outside an app store")
        self.certain = _("It is signed with a certificate, or is a file, that belongs to this "
                         "app, so the match is certain.")


def info(indicators: ind.Indicators) -> IndicatorInfo:
    return IndicatorInfo(name=indicators.name, version=indicators.version,
                         date=indicators.date, source=indicators.source,
                         attribution=indicators.attribution)


def check_file(stream: IO[bytes], indicators: ind.Indicators) -> CheckResult:
    return check(read_input(stream), indicators)


def check(parsed: ParsedInput, indicators: ind.Indicators) -> CheckResult:
    """Never raises: a bug in matching leaves the problems and no findings, with a message."""
    texts = _Texts()
    note = texts.note
    try:
        findings: list[Finding] = []
        for app in parsed.apps:
            findings.extend(_app_findings(app, indicators, texts))
        domain_cache: dict[str, tuple[int, str, str] | None] = {}
        for activity in parsed.activity.values():
            findings.extend(_activity_findings(activity, indicators, texts, domain_cache))
        problems = list(parsed.problems)
    except Exception:
        findings = []
        problems = [*parsed.problems, _("The file could not be checked.")]
    order = {CERTAIN: 0, LIKELY: 1, POSSIBLE: 2, INFORMATION: 3}
    findings.sort(key=lambda f: (order.get(f.confidence, 9), f.app, f.kind))
    return CheckResult(
        input_kind=parsed.kind,
        apps_checked=len(parsed.apps) + len(parsed.activity),
        findings=findings,
        problems=problems,
        expected=parsed.expected or ("" if parsed.kind != "unknown" else expected_message()),
        indicators=info(indicators),
        safety_note=note,
    )


def _app_findings(app: App, indicators: ind.Indicators, texts: _Texts) -> list[Finding]:
    found: list[Finding] = []
    note = texts.note
    listed = False
    certificate = next((c for c in sorted(app.certificates) if c in indicators.certificates),
                       None)
    file_hash = next((h for h in sorted(app.file_hashes) if h in indicators.file_hashes), None)
    if certificate is not None:
        found.append(_listed(app.package, indicators, indicators.certificates[certificate],
                             CERTAIN, texts, evidence=certificate))
        listed = True
    elif file_hash is not None:
        found.append(_listed(app.package, indicators, indicators.file_hashes[file_hash],
                             CERTAIN, texts, evidence=file_hash))
        listed = True
    elif app.package in indicators.packages:
        found.append(_listed(app.package, indicators, indicators.packages[app.package],
                             LIKELY, texts))
        listed = True
    if not listed and _outside_store(app):
        found.append(Finding(
            app=app.package, kind=OUTSIDE_STORE, confidence=POSSIBLE,
            title=texts.outside_store_title, explanation=texts.outside_store,
            options=texts.act, safety_note=note,
        ))
    if app.device_admin:
        found.append(Finding(
            app=app.package, kind=DEVICE_ADMIN, confidence=POSSIBLE,
            title=_("Device administrator"),
            explanation=" ".join([
                _("A device administrator can lock or erase the phone, and can make an app "
                  "hard to remove."),
                _("The phone lists this app as a device administrator."),
            ]),
            options=texts.act, safety_note=note,
        ))
    if app.accessibility:
        found.append(Finding(
            app=app.package, kind=ACCESSIBILITY, confidence=POSSIBLE,
            title=_("Accessibility service"),
            explanation=" ".join([
                _("An accessibility service can read what is on the screen and what you type, "
                  "and can act for you. Some helpful apps need it; stalkerware uses it too."),
                _("The phone lists this app as an active accessibility service."),
            ]),
            options=texts.act, safety_note=note,
        ))
    return found


def _outside_store(app: App) -> bool:
    if app.system or app.installer is None:
        # System apps come with the phone; without installer information, nothing is known.
        return False
    return app.installer.strip().lower() in NO_INSTALLER or app.installer not in STORES


def _listed(package: str, indicators: ind.Indicators, index: int, confidence: str,
            texts: _Texts, *, evidence: str = "") -> Finding:
    family = indicators.family(index)
    if family.kind == ind.STALKERWARE:
        kind, title = STALKERWARE, _("Known stalkerware: %(name)s") % {"name": family.name}
        what = texts.stalkerware
    else:
        kind, title = MONITORING, _("Monitoring app: %(name)s") % {"name": family.name}
        what = texts.monitoring
    if confidence == CERTAIN:
        why = texts.certain
    else:
        why = _("Its app name, %(package)s, is on a list of known apps of this kind. The name "
                "alone is a strong sign, not proof.") % {"package": package}
    return Finding(app=package, kind=kind, confidence=confidence, title=title,
                   explanation=f"{what} {why}", options=texts.act, safety_note=texts.note,
                   family=family.name, evidence=evidence)


def match_domain(domain: str, indicators: ind.Indicators) -> tuple[int, str, str] | None:
    """The family index, role and matched indicator for a domain or one of its parents."""
    labels = domain.split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        hit = indicators.domains.get(candidate)
        if hit is not None:
            return hit[0], hit[1], candidate
    return None


def _activity_findings(activity: AppActivity, indicators: ind.Indicators, texts: _Texts,
                       cache: dict[str, tuple[int, str, str] | None]) -> list[Finding]:
    found: list[Finding] = []
    note = texts.note
    best: tuple[int, str, str] | None = None
    for domain in activity.domains:
        if domain not in cache:
            cache[domain] = match_domain(domain, indicators)
        hit = cache[domain]
        if hit is not None and (best is None or (best[1] == ind.WEB and hit[1] == ind.C2)):
            best = hit
    if activity.bundle_id in indicators.packages:
        found.append(_listed(activity.bundle_id, indicators,
                             indicators.packages[activity.bundle_id], LIKELY, texts))
    if best is not None:
        index, role, domain = best
        family = indicators.family(index)
        if role == ind.C2:
            why = _("The App Privacy Report shows it contacted %(domain)s, a server used by "
                    "%(name)s.") % {"domain": domain, "name": family.name}
        else:
            why = _("The App Privacy Report shows it contacted %(domain)s, a website of "
                    "%(name)s. This can also be someone reading about it, you included.") % {
                "domain": domain, "name": family.name}
        what = texts.stalkerware if family.kind == ind.STALKERWARE else texts.monitoring
        found.append(Finding(
            app=activity.bundle_id, kind=INDICATOR_DOMAIN,
            confidence=LIKELY if role == ind.C2 else POSSIBLE,
            title=_("Contacted a server of %(name)s") % {"name": family.name},
            explanation=f"{what} {why}", options=texts.act, safety_note=note,
            family=family.name, evidence=domain,
        ))
    used = [category for category in ACCESS_CATEGORIES if activity.accesses.get(category)]
    if used:
        names = {"location": _("location"), "camera": _("camera"),
                 "microphone": _("microphone"), "contacts": _("contacts")}
        found.append(Finding(
            app=activity.bundle_id, kind=SENSITIVE_ACCESS, confidence=INFORMATION,
            title=_("Used location, camera, microphone or contacts"),
            explanation=" ".join([
                _("Apps that use these can show where you are, what is around you and who "
                  "you know."),
                _("The App Privacy Report shows this app used: %(uses)s.") % {
                    "uses": ", ".join(names[c] for c in used)},
            ]),
            options=texts.review, safety_note=note,
            evidence=",".join(used),
        ))
    return found
