// Conditional questions: without JavaScript they are shown with a note ("answer this only if
// ..."); with it, a question is hidden until the answer it depends on is chosen. The server
// drops answers to questions whose condition is not met, so this is only a convenience.
// A value that starts with "!" means "shown unless that answer is chosen" (an alternative
// wording); a question that depends on a hidden question is hidden too.
(function () {
  "use strict";
  function chosen(form, name, value) {
    var inputs = form.querySelectorAll('[name="' + name + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") && input.checked && input.value === value) return true;
      if (input.tagName === "SELECT" && input.value === value) return true;
    }
    return false;
  }
  function update(form) {
    var questions = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < questions.length; i++) {
      var q = questions[i];
      var value = q.getAttribute("data-show-if-value") || "";
      var negated = value.charAt(0) === "!";
      var name = q.getAttribute("data-show-if");
      var show = chosen(form, name, negated ? value.slice(1) : value) !== negated;
      var parent = form.querySelector("#question-" + name.replace(/^q_/, ""));
      if (parent && parent.hidden) show = negated;
      q.hidden = !show;
      var note = q.querySelector(".condition");
      if (note) note.hidden = true;
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form");
    for (var i = 0; i < forms.length; i++) {
      (function (form) {
        if (!form.querySelector("[data-show-if]")) return;
        form.addEventListener("change", function () { update(form); });
        update(form);
      })(forms[i]);
    }
  });
})();
