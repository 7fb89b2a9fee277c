// The run page's progress bar: polls the run's progress JSON every two seconds until it is done.
(function () {
  "use strict";
  const box = document.querySelector("[data-progress-url]");
  if (!box) return;
  const bar = box.querySelector("progress");
  const label = box.querySelector("label");
  const figures = document.querySelector("[data-progress-figures]");
  async function poll() {
    try {
      const response = await fetch(box.dataset.progressUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const p = await response.json();
      bar.value = p.percent;
      bar.textContent = p.percent + " %";
      label.textContent = p.done + " / " + p.total;
      if (figures) figures.textContent = "Postfach: " + p.mailbox + " · Druck: " + p.print + " · fehlgeschlagen: " + p.failed;
      if (p.state === "done") { window.location.reload(); return; }
      if (p.state === "paused") return;
    } catch (error) {
      // The page still shows the last figures; try again.
    }
    window.setTimeout(poll, 2000);
  }
  window.setTimeout(poll, 2000);
})();
