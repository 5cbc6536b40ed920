"""The escrow's OPRF in the browser (static/escrow/oprf.js on libsodium.js) agrees with the
server's (safelight.crypto.oprf), and together.js sends only the OPRF output, never the
identifier.

The pages here are this module's own (ROOT_URLCONF points at it): a blank page that loads the
scripts, and a stand-in for the questionnaire step that follows the "report together" HTML
contract, with a stand-in for identifiers.js. The real step page is tested by the report flow.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.http import HttpResponse, JsonResponse
from django.template import Engine, RequestContext
from django.urls import path
from playwright.sync_api import expect

from safelight.crypto import escrow, oprf
from safelight.crypto.errors import InvalidInput
from safelight.middleware import allow_wasm

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VECTORS = Path(__file__).parents[1] / "crypto" / "vectors" / "rfc9497-oprf-allVectors.json"
LIBSODIUM = [
    "/static/escrow/vendor/libsodium-setup.js",
    "/static/escrow/vendor/libsodium-sumo.js",
    "/static/escrow/vendor/libsodium-wrappers.js",
]
OPRF_JS = "/static/escrow/oprf.js"
KEY = bytes.fromhex("5ebcea5ee37023ccb9fc2d2019f9d7737be85591ae8652ffa9ef0f4d37063b0e")
ORDER_LE = oprf.ORDER.to_bytes(32, "little")
BLANK = "<!doctype html><html lang='en'><title>OPRF</title><p>OPRF test page</p>"


def ristretto_vectors():
    suites = json.loads(VECTORS.read_text())
    (suite,) = [s for s in suites if s["identifier"] == "ristretto255-SHA512" and s["mode"] == 0]
    return suite


# --- the pages --------------------------------------------------------------------------------


@allow_wasm
def blank_page(request):
    return HttpResponse(BLANK)


def strict_blank_page(request):
    """The site's ordinary policy: no WebAssembly, so libsodium.js runs its pure-JS build."""
    return HttpResponse(BLANK)


STEP = """<!doctype html><html lang="en"><title>Step</title>
<form method="post" enctype="multipart/form-data">{% csrf_token %}
 <p><label>What happened <textarea name="answer">It started in May.</textarea></label></p>
 <button type="submit" name="go" value="next">Next</button>
 <section class="together" data-together data-evaluate-url="/together/evaluate/"
          data-namespace="17" data-region="GB">
  {{ services|json_script:"together-services" }}
  {{ errors|json_script:"together-errors" }}
  <label>Where <select name="together_kind">
   <option value="instagram">Instagram</option><option value="email">Email</option>
  </select></label>
  <label>Who <input name="together_value" type="text" autocomplete="off"></label>
  <input type="hidden" name="together_output" value="">
  <input type="hidden" name="together_path" value="server">
  <button type="submit" name="go" value="together_add"
          data-working-label="Working on it">Add</button>
  <p class="together-error" role="alert" hidden></p>
 </section>
</form>
{% for script in scripts %}<script src="{{ script }}"></script>
{% endfor %}"""
ERRORS = {
    "empty": "Type who it is, then press Add.",
    "handle_invalid": "This is not a username on %(service)s. 100%% sure?",
    "unavailable": "The service is not answering. Please try again in a few minutes.",
    "failed": "That did not work. Please try again.",
}
SERVICES = {"instagram": {"hosts": ["instagram.com"]}}
# The step page's stand-in for identifiers.js: lowercases, and knows one error code.
IDENTIFIERS_JS = """
window.SafelightIdentifiers = {
  canonicalise: function (kind, text, region, services) {
    if (region !== "GB" || !services.instagram) { throw new Error("wrong arguments"); }
    var value = text.trim().replace(/^@/, "").toLowerCase();
    var error;
    if (!value) { error = new Error("empty"); error.code = "empty"; throw error; }
    if (value.indexOf(" ") !== -1) {
      error = new Error("handle_invalid"); error.code = "handle_invalid"; error.service = kind;
      throw error;
    }
    return kind + ":" + value;
  }
};
"""
POSTED: list[dict[str, list[str]]] = []
EVALUATE = {"mode": "ok", "calls": 0}


@allow_wasm
def step_page(request):
    if request.method == "POST":
        POSTED.append(dict(request.POST.lists()))
        return HttpResponse("<!doctype html><title>Recorded</title><h1>Recorded</h1>")
    scripts = [] if request.GET.get("without") == "libsodium" else list(LIBSODIUM)
    scripts += ["/together/identifiers.js", OPRF_JS, "/static/escrow/together.js"]
    template = Engine.get_default().from_string(STEP)
    context = {"services": SERVICES, "errors": ERRORS, "scripts": scripts}
    return HttpResponse(template.render(RequestContext(request, context)))


def identifiers_js(request):
    return HttpResponse(IDENTIFIERS_JS, content_type="text/javascript")


def evaluate_view(request):
    EVALUATE["calls"] += 1
    mode = EVALUATE["mode"]
    if mode == "limit":
        return JsonResponse({"error": "You have tried many times today."}, status=429)
    if mode == "down":
        return HttpResponse("<h1>Service Unavailable</h1>", status=503)
    if mode == "identity":
        return JsonResponse({"evaluated": base64.b64encode(bytes(32)).decode()})
    blinded = base64.b64decode(request.POST["blinded"], validate=True)
    evaluated = oprf.blind_evaluate(KEY, blinded)
    return JsonResponse({"evaluated": base64.b64encode(evaluated).decode()})


def no_icon(request):
    return HttpResponse(status=204)


urlpatterns = [
    path("favicon.ico", no_icon),  # a browser asks for it; a 404 would be a console error
    path("oprf/", blank_page),
    path("oprf-strict/", strict_blank_page),
    path("together/", step_page),
    path("together/evaluate/", evaluate_view),
    path("together/identifiers.js", identifiers_js),
]


# --- the browser --------------------------------------------------------------------------------

WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class Tab:
    """A page on this module's URLs that records requests, console errors and CSP violations."""

    def __init__(self, context, base: str) -> None:
        self.base = base
        self.page = context.new_page()
        self.requests: list = []
        self.errors: list[str] = []
        self.page.add_init_script(WATCH_CSP)
        self.page.on("request", lambda request: self.requests.append(request))
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on(
            "console",
            lambda message: message.type == "error" and self.errors.append(message.text),
        )

    def goto(self, url: str):
        response = self.page.goto(self.base + url)
        assert response.status == 200
        return response

    def load_oprf(self) -> None:
        for script in [*LIBSODIUM, OPRF_JS]:
            self.page.add_script_tag(url=self.base + script)
        self.page.evaluate("SafelightOPRF.ready.then(function () { return true; })")

    def foreign_requests(self) -> list[str]:
        ours = urlsplit(self.base).netloc
        return [r.url for r in self.requests if urlsplit(r.url).netloc != ours]

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__violations")

    def assert_clean(self) -> None:
        assert self.foreign_requests() == []
        assert self.violations() == []
        assert self.errors == []


@pytest.fixture
def urls(settings):
    settings.ROOT_URLCONF = __name__
    POSTED.clear()
    EVALUATE.update(mode="ok", calls=0)


@pytest.fixture
def tab(browser, live_server, urls):
    context = browser.new_context()
    yield Tab(context, live_server.url)
    context.close()


@pytest.fixture
def oprf_tab(tab):
    tab.goto("/oprf/")
    tab.load_oprf()
    return tab


# JavaScript helpers evaluated in the page; bytes travel as hex.
JS_BLIND = """([input, blind]) => {
  const b = SafelightOPRF.blind(sodium.from_hex(input), blind ? sodium.from_hex(blind) : undefined);
  return [sodium.to_hex(b.blind), sodium.to_hex(b.blinded)];
}"""
JS_FINALIZE = """([input, blind, evaluated]) => sodium.to_hex(SafelightOPRF.finalize(
  sodium.from_hex(input), sodium.from_hex(blind), sodium.from_hex(evaluated)))"""


def error_code(page, statement: str) -> str:
    """The .code of what `statement` throws in the page (no eval: the page's policy forbids it)."""
    return page.evaluate(
        f"() => {{ try {{ {statement} return 'no error'; }}"
        " catch (error) { return error.code || String(error); } }"
    )


def run_vectors(page) -> None:
    suite = ristretto_vectors()
    assert bytes.fromhex(suite["skSm"]) == KEY
    assert len(suite["vectors"]) == 2
    for vector in suite["vectors"]:
        blind, blinded = page.evaluate(JS_BLIND, [vector["Input"], vector["Blind"]])
        assert blind == vector["Blind"]
        assert blinded == vector["BlindedElement"]
        output = page.evaluate(
            JS_FINALIZE, [vector["Input"], vector["Blind"], vector["EvaluationElement"]]
        )
        assert output == vector["Output"]


# --- oprf.js ------------------------------------------------------------------------------------


def test_it_reproduces_the_rfc_9497_ristretto255_vectors(oprf_tab):
    run_vectors(oprf_tab.page)
    oprf_tab.assert_clean()


def test_it_runs_webassembly_where_the_page_allows_it(oprf_tab):
    response = oprf_tab.page.request.get(oprf_tab.base + "/oprf/")
    assert "'wasm-unsafe-eval'" in response.headers["content-security-policy"]
    # libsodium.js keeps useBackupModule only while its WebAssembly build is the one in use.
    assert oprf_tab.page.evaluate("typeof libsodium.useBackupModule") == "function"
    oprf_tab.assert_clean()


def test_it_agrees_with_the_server_on_random_inputs(oprf_tab):
    first, second = oprf.split_key(KEY)
    for size in [0, 1, 17, 64, 200, 4096, 0xFFFF]:
        message = os.urandom(size)
        blind, blinded = oprf_tab.page.evaluate(JS_BLIND, [message.hex(), None])
        assert blind != "00" * 32
        evaluated = oprf.blind_evaluate(KEY, bytes.fromhex(blinded))
        output = oprf_tab.page.evaluate(JS_FINALIZE, [message.hex(), blind, evaluated.hex()])
        assert bytes.fromhex(output) == oprf.evaluate(KEY, message)
        # The two key services' halves, added up on the server, give the same output.
        combined = oprf.combine_evaluations(
            oprf.blind_evaluate(first, bytes.fromhex(blinded)),
            oprf.blind_evaluate(second, bytes.fromhex(blinded)),
        )
        assert oprf_tab.page.evaluate(JS_FINALIZE, [message.hex(), blind, combined.hex()]) == output
    oprf_tab.assert_clean()


def test_it_blinds_with_a_fresh_factor_each_time(oprf_tab):
    results = {tuple(oprf_tab.page.evaluate(JS_BLIND, ["00", None])) for _ in range(5)}
    assert len(results) == 5


def test_it_builds_the_same_input_bytes_as_the_server(oprf_tab):
    for namespace, canonical in [
        ("17", "instagram:some.user"),
        ("17", "email:zoë.ßtraße@exämple.org"),
        ("4", "telegram:привет_мир"),
        ("9", "internal:社員-0042 ✓ 😀"),
    ]:
        browser_bytes = oprf_tab.page.evaluate(
            "([n, c]) => sodium.to_hex(SafelightOPRF.input(n, c))", [namespace, canonical]
        )
        expected = f"safelight-escrow/v1\n{namespace}\n{canonical}".encode()
        assert bytes.fromhex(browser_bytes) == expected
        assert escrow.oprf_input(namespace, canonical) == expected
    # A number as namespace (data-namespace is read as text, but either works).
    assert oprf_tab.page.evaluate(
        "sodium.to_string(SafelightOPRF.input(17, 'x:y'))"
    ) == "safelight-escrow/v1\n17\nx:y"


@pytest.mark.parametrize("length", [1, 32, 64, 65, 128, 200, 255 * 64])
def test_it_expands_messages_as_rfc_9380_says(oprf_tab, length):
    for message, dst in [(b"", b"QUUX-V01-CS02"), (b"abc" * 100, os.urandom(255))]:
        expanded = oprf_tab.page.evaluate(
            "([m, d, n]) => sodium.to_hex(SafelightOPRF.expandMessageXmd("
            "sodium.from_hex(m), sodium.from_hex(d), n))",
            [message.hex(), dst.hex(), length],
        )
        assert bytes.fromhex(expanded) == oprf.expand_message_xmd(message, dst, length)


def test_it_refuses_what_the_server_refuses(oprf_tab):
    element = oprf.blind(b"x")[1]
    bad = {
        "zero blind": ("finalize", b"x", bytes(32), element),
        "blind equal to the group order": ("finalize", b"x", ORDER_LE, element),
        "short blind": ("finalize", b"x", b"\x01" * 31, element),
        "identity element": ("finalize", b"x", KEY, bytes(32)),
        "non-canonical element": ("finalize", b"x", KEY, b"\xff" * 32),
        "short element": ("finalize", b"x", KEY, element[:31]),
        "input too long": ("finalize", bytes(0x10000), KEY, element),
        "zero blind for blind()": ("blind", b"x", bytes(32), None),
    }
    for what, (function, message, scalar, evaluated) in bad.items():
        with pytest.raises(InvalidInput):
            if function == "finalize":
                oprf.finalize(message, scalar, evaluated)
            else:
                oprf.blind(message, blind=scalar)
        arguments = ", ".join(
            f"sodium.from_hex('{value.hex()}')"
            for value in (message, scalar, evaluated)
            if value is not None
        )
        code = error_code(oprf_tab.page, f"SafelightOPRF.{function}({arguments});")
        assert code == "invalid_input", what
    for source in [
        "SafelightOPRF.blind('x');",  # text, not bytes
        "SafelightOPRF.input('17', '');",
        "SafelightOPRF.input('', 'x:y');",
        "SafelightOPRF.input('17', 'x:y\\nz');",
        "SafelightOPRF.input('17', 'x:\\ud800');",  # a lone surrogate
    ]:
        assert error_code(oprf_tab.page, source) == "invalid_input", source
    with pytest.raises(InvalidInput):
        escrow.oprf_input("17", "x:y\nz")


def test_it_works_without_webassembly_too(tab):
    """The site's strict policy, or Tor Browser's "Safer" level, leaves no WebAssembly:
    libsodium.js switches to its pure JavaScript build, and the results are the same."""
    tab.page.add_init_script("delete window.WebAssembly;")
    tab.goto("/oprf/")
    tab.load_oprf()
    assert tab.page.evaluate("typeof WebAssembly") == "undefined"
    run_vectors(tab.page)
    assert tab.foreign_requests() == []


def test_it_works_under_the_strict_policy_with_the_pure_javascript_build(tab):
    tab.goto("/oprf-strict/")
    tab.load_oprf()
    run_vectors(tab.page)
    assert tab.page.evaluate("typeof libsodium.useBackupModule") == "undefined"
    assert tab.foreign_requests() == []
    # The browser reports the WebAssembly it refused: why the step page allows it.
    assert any("script-src" in v for v in tab.violations())


# --- together.js --------------------------------------------------------------------------------


def fill_identifier(tab, text: str) -> None:
    tab.page.get_by_label("Who").fill(text)


def test_it_sends_only_the_oprf_output_when_javascript_runs(tab):
    tab.goto("/together/")
    fill_identifier(tab, "Some.User")
    tab.page.get_by_role("button", name="Add").click()
    expect(tab.page.get_by_role("heading", name="Recorded")).to_be_visible()
    (posted,) = POSTED
    expected = oprf.evaluate(KEY, escrow.oprf_input("17", "instagram:some.user"))
    assert posted["together_output"] == [base64.b64encode(expected).decode()]
    assert posted["together_path"] == ["browser"]
    assert posted["go"] == ["together_add"]
    assert posted["answer"] == ["It started in May."]
    assert "together_value" not in posted
    assert EVALUATE["calls"] == 1
    # Not one request carried the identifier, in any spelling.
    for request in tab.requests:
        assert "some.user" not in (request.url + (request.post_data or "")).lower()
    tab.assert_clean()


def test_it_adds_when_enter_is_pressed_in_the_identifier_field(tab):
    tab.goto("/together/")
    fill_identifier(tab, "@some.user")
    tab.page.get_by_label("Who").press("Enter")
    expect(tab.page.get_by_role("heading", name="Recorded")).to_be_visible()
    (posted,) = POSTED
    assert posted["go"] == ["together_add"]
    assert posted["together_path"] == ["browser"]
    assert "together_value" not in posted
    tab.assert_clean()


def test_it_says_what_is_wrong_with_the_identifier_and_keeps_the_page(tab):
    tab.goto("/together/")
    fill_identifier(tab, "   ")
    tab.page.get_by_role("button", name="Add").click()
    alert = tab.page.get_by_role("alert")
    expect(alert).to_have_text(ERRORS["empty"])
    expect(tab.page.get_by_label("Who")).to_be_focused()
    expect(tab.page.get_by_label("Who")).to_have_value("   ")
    assert POSTED == []
    assert EVALUATE["calls"] == 0
    # A message that names the service names it as the list of kinds does.
    fill_identifier(tab, "some user")
    tab.page.get_by_role("button", name="Add").click()
    expect(alert).to_have_text("This is not a username on Instagram. 100% sure?")
    expect(tab.page.get_by_label("Who")).to_have_value("some user")
    assert POSTED == []
    assert EVALUATE["calls"] == 0
    tab.assert_clean()


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("limit", "You have tried many times today."),
        ("down", ERRORS["unavailable"]),
        ("identity", ERRORS["failed"]),
    ],
)
def test_it_shows_the_key_services_answer_and_keeps_what_was_typed(tab, mode, message):
    EVALUATE["mode"] = mode
    tab.goto("/together/")
    fill_identifier(tab, "Some.User")
    add = tab.page.get_by_role("button", name="Add")
    add.click()
    expect(tab.page.get_by_role("alert")).to_have_text(message)
    expect(tab.page.get_by_label("Who")).to_have_value("Some.User")
    expect(add).to_be_enabled()
    assert tab.page.locator("input[name=together_path]").input_value() == "server"
    assert tab.page.locator("input[name=together_output]").input_value() == ""
    assert POSTED == []
    assert EVALUATE["calls"] == 1
    # Once the service answers again, the same press goes through.
    EVALUATE["mode"] = "ok"
    add.click()
    expect(tab.page.get_by_role("heading", name="Recorded")).to_be_visible()
    assert POSTED[0]["together_path"] == ["browser"]
    assert "together_value" not in POSTED[0]
    assert tab.foreign_requests() == []


def test_it_leaves_the_work_to_the_server_when_libsodium_is_missing(tab):
    tab.goto("/together/?without=libsodium")
    fill_identifier(tab, "Some.User")
    tab.page.get_by_role("button", name="Add").click()
    expect(tab.page.get_by_role("heading", name="Recorded")).to_be_visible()
    (posted,) = POSTED
    assert posted["together_path"] == ["server"]
    assert posted["together_value"] == ["Some.User"]
    assert posted["together_output"] == [""]
    assert posted["go"] == ["together_add"]
    assert EVALUATE["calls"] == 0
    tab.assert_clean()
