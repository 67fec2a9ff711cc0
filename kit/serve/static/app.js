// kit serve: the progress page follows its job without waiting for its own refresh (the page works without this).
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job || job.getAttribute("data-status") === "finished") return;
  var url = job.getAttribute("data-state");
  function tick() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (state) {
        if (!state) return;
        if (state.status !== job.getAttribute("data-status")) { window.location.reload(); return; }
        var done = document.getElementById("done");
        var bar = document.getElementById("bar");
        if (done) done.textContent = String(state.done);
        if (bar) bar.value = state.done;
        window.setTimeout(tick, 700);
      })
      .catch(function () { window.setTimeout(tick, 2000); });
  }
  window.setTimeout(tick, 700);
})();
