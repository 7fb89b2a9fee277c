// Progressive enhancement only: every page works without this file.
// The error summary takes the focus when a page shows one (GOV.UK/KERN pattern),
// and a click on one of its links puts the focus on the field and scrolls its label into view.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) return;
    event.preventDefault();
    var container = field.closest(".kern-form-input, .kern-fieldset, .kern-form-check") || field;
    container.scrollIntoView();
    field.focus({ preventScroll: true });
  });
});
