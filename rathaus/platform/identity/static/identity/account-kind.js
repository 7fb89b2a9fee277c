// Registration: the name of the association or company shows only while one of them is
// chosen. Without JavaScript every field shows and its label says whom it is for.
(function () {
  "use strict";
  var fields = document.querySelectorAll("[data-shown-for-kind]");
  var choices = document.querySelectorAll('input[name="kind"]');
  if (!fields.length || !choices.length) return;
  function wrapperOf(input) {
    return input.closest("[data-field]") || input.closest(".kern-form-input") || input.parentElement;
  }
  function update() {
    var checked = document.querySelector('input[name="kind"]:checked');
    var kind = checked ? checked.value : "person";
    fields.forEach(function (input) {
      var shown = input.getAttribute("data-shown-for-kind").split(" ").indexOf(kind) !== -1;
      wrapperOf(input).hidden = !shown;
      input.disabled = !shown;
    });
  }
  choices.forEach(function (choice) { choice.addEventListener("change", update); });
  update();
})();
