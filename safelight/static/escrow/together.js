/* "Report together": compute the escrow's OPRF output in the reporter's browser.
 *
 * Without this script the step form posts the identifier itself (together_value) and the server
 * runs the OPRF in memory. With it, pressing "Add":
 *   1. canonicalises the identifier (SafelightIdentifiers, identifiers.js);
 *   2. blinds it (SafelightOPRF, oprf.js) and posts only the blinded element to the section's
 *      data-evaluate-url, which answers {"evaluated": base64} or {"error": message};
 *   3. finalises, puts the 64-byte output in together_output, sets together_path to "browser",
 *      empties together_value and drops its name, so the identifier is never sent; then submits
 *      the form as the Add button would have.
 * A message the reporter can act on (a mistyped identifier, a limit reached, the service not
 * answering) is shown in the section's .together-error paragraph, with what they typed kept.
 * When something breaks before the request (libsodium did not load, an unexpected error), the
 * form goes to the server as it would without JavaScript, with no message.
 */
(function () {
  "use strict";

  var ADD = "together_add";
  var TIMEOUT_MS = 30000;

  function readJson(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function toBase64(bytes) {
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return window.btoa(binary);
  }

  function fromBase64(text) {
    if (typeof text !== "string" || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4) {
      throw new Error("not base64");
    }
    var binary = window.atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  // A failure to show to the reporter (as opposed to one that sends the form to the server).
  function Shown(message) {
    this.message = message;
  }

  function enhance(section) {
    var form = section.closest("form");
    var button = section.querySelector('button[name="go"][value="' + ADD + '"]');
    var kind = section.querySelector('[name="together_kind"]');
    var value = section.querySelector('input[name="together_value"]');
    var output = section.querySelector('input[name="together_output"]');
    var path = section.querySelector('input[name="together_path"]');
    var errorBox = section.querySelector(".together-error");
    if (!form || !button || !kind || !value || !output || !path || !errorBox) {
      return;
    }
    var label = button.textContent;
    var working =
      button.getAttribute("data-working-label") ||
      section.getAttribute("data-working-label") ||
      "Working…";
    var busy = false;
    var passThrough = false;
    var messages = {};
    try {
      messages = readJson("together-errors") || {};
    } catch (error) {
      messages = {};
    }

    function message(code) {
      return messages[code] || messages.failed || "";
    }

    // An identifier's error, with %(service)s and %(other)s named as the kind list names them.
    function identifierMessage(error) {
      var labels = {};
      for (var i = 0; i < kind.options.length; i++) {
        labels[kind.options[i].value] = kind.options[i].textContent.trim();
      }
      if (typeof window.SafelightIdentifiers.message === "function") {
        return window.SafelightIdentifiers.message(error, messages, labels);
      }
      return messages[error.code].replace(/%\((service|other)\)s|%%/g, function (match, name) {
        return name ? labels[error[name]] || error[name] || "" : "%";
      });
    }

    function setBusy(on) {
      busy = on;
      button.disabled = on;
      button.textContent = on ? working : label;
      if (on) {
        section.setAttribute("aria-busy", "true");
      } else {
        section.removeAttribute("aria-busy");
      }
    }

    function clearError() {
      errorBox.textContent = "";
      errorBox.hidden = true;
      value.removeAttribute("aria-invalid");
    }

    function showError(text) {
      errorBox.textContent = text;
      errorBox.hidden = false;
      value.setAttribute("aria-invalid", "true");
      value.focus();
    }

    function valid() {
      return button.formNoValidate || form.noValidate || form.checkValidity();
    }

    // Submit as if the Add button had been pressed, this time without stepping in.
    function submit() {
      setBusy(false); // a disabled button would not be sent as go=together_add
      passThrough = true;
      if (typeof form.requestSubmit === "function") {
        form.requestSubmit(button);
      } else {
        var go = document.createElement("input");
        go.type = "hidden";
        go.name = button.name;
        go.value = button.value;
        form.appendChild(go);
        form.submit();
      }
      // The form's data is taken; while the next page loads, a second press would add it twice.
      if (valid()) {
        setBusy(true);
      }
    }

    // The no-JavaScript path: the server canonicalises and runs the OPRF in memory.
    function submitToServer() {
      output.value = "";
      path.value = "server";
      value.name = "together_value";
      submit();
    }

    function evaluate(blinded) {
      var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
      var body = new URLSearchParams();
      body.append("blinded", toBase64(blinded));
      body.append("csrfmiddlewaretoken", token ? token.value : "");
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      var timer = controller
        ? window.setTimeout(function () {
            controller.abort();
          }, TIMEOUT_MS)
        : null;
      return window
        .fetch(section.getAttribute("data-evaluate-url"), {
          method: "POST",
          body: body,
          credentials: "same-origin",
          cache: "no-store",
          headers: { Accept: "application/json" },
          signal: controller ? controller.signal : undefined,
        })
        .then(
          function (response) {
            return response.json().then(
              function (data) {
                return { response: response, data: data };
              },
              function () {
                return { response: response, data: null };
              }
            );
          },
          function () {
            throw new Shown(message("unavailable"));
          }
        )
        .then(function (answer) {
          window.clearTimeout(timer);
          var data = answer.data;
          if (!answer.response.ok) {
            if (data && typeof data.error === "string" && data.error) {
              throw new Shown(data.error);
            }
            throw new Shown(message(answer.response.status >= 500 ? "unavailable" : "failed"));
          }
          try {
            return fromBase64(data.evaluated);
          } catch (error) {
            throw new Shown(message("failed"));
          }
        }, function (error) {
          window.clearTimeout(timer);
          throw error;
        });
    }

    function add() {
      clearError();
      var canonical;
      try {
        canonical = window.SafelightIdentifiers.canonicalise(
          kind.value,
          value.value,
          section.getAttribute("data-region") || "",
          readJson("together-services")
        );
      } catch (error) {
        if (error && error.code && messages[error.code]) {
          showError(identifierMessage(error));
        } else {
          submitToServer();
        }
        return;
      }
      setBusy(true);
      var input;
      var blinded;
      // Everything up to the request: a failure here means the browser cannot do it, and the
      // server does it instead.
      Promise.resolve()
        .then(function () {
          input = window.SafelightOPRF.input(section.getAttribute("data-namespace"), canonical);
          return window.SafelightOPRF.ready;
        })
        .then(function () {
          blinded = window.SafelightOPRF.blind(input);
        })
        .then(
          function () {
            return evaluate(blinded.blinded).then(function (evaluated) {
              var result;
              try {
                result = window.SafelightOPRF.finalize(input, blinded.blind, evaluated);
              } catch (error) {
                throw new Shown(message("failed"));
              }
              var typed = value.value;
              output.value = toBase64(result);
              path.value = "browser";
              value.value = "";
              value.removeAttribute("name");
              try {
                submit();
              } catch (error) {
                passThrough = false;
                output.value = "";
                path.value = "server";
                value.name = "together_value";
                value.value = typed;
                throw error;
              }
            });
          },
          function () {
            submitToServer();
          }
        )
        .catch(function (error) {
          setBusy(false);
          showError(error instanceof Shown ? error.message : message("failed"));
        });
    }

    button.addEventListener("click", function (event) {
      if (passThrough) {
        return;
      }
      // Leave an invalid form to the browser, which says what is missing.
      if (!valid()) {
        return;
      }
      event.preventDefault();
      if (!busy) {
        add();
      }
    });
    // Enter in the identifier field means "Add", not the form's first button.
    value.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.isComposing) {
        event.preventDefault();
        if (!busy && !passThrough) {
          button.click();
        }
      }
    });
    // Coming back to this page from the browser's history: start over.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        passThrough = false;
        value.name = "together_value";
        output.value = "";
        path.value = "server";
        setBusy(false);
      }
    });
  }

  // The details and how reporting together works matter only once "Yes" is chosen: hide them
  // until then (without JavaScript they are always shown, and the server ignores them on "No").
  function showWhenChosen(section) {
    var form = section.closest("form");
    if (!form) {
      return;
    }
    var field = section.parentNode;
    var choices = form.querySelectorAll('input[name="q_together"]');
    if (!choices.length) {
      return;
    }
    var parts = [section];
    var explained = field.querySelector(".together-explained");
    if (explained) {
      parts.push(explained);
    }
    function update() {
      var yes = false;
      for (var i = 0; i < choices.length; i++) {
        if (choices[i].checked && choices[i].value === "yes") {
          yes = true;
        }
      }
      for (var j = 0; j < parts.length; j++) {
        parts[j].hidden = !yes;
      }
    }
    for (var k = 0; k < choices.length; k++) {
      choices[k].addEventListener("change", update);
    }
    update();
  }

  function start() {
    var sections = document.querySelectorAll("section[data-together]");
    for (var i = 0; i < sections.length; i++) {
      showWhenChosen(sections[i]);
      enhance(sections[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
