// citecheck's page: drop a draft, watch its verdicts arrive, accept or reject the fixes offered.
// Plain JavaScript, no build step; everything the page shows is rendered by the server.
(function () {
  "use strict";

  function setUpDrop() {
    const drop = document.getElementById("drop");
    const input = document.getElementById("file");
    if (!drop || !input) return;
    const form = document.getElementById("upload");
    input.addEventListener("change", function () { if (input.files.length) form.submit(); });
    ["dragenter", "dragover"].forEach(function (type) {
      drop.addEventListener(type, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      drop.addEventListener(type, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!event.dataTransfer.files.length) return;
      input.files = event.dataTransfer.files;
      form.submit();
    });
  }

  function minutes(seconds) {
    if (seconds === null || seconds === undefined) return "";
    return seconds < 60 ? "about " + seconds + " s left" : "about " + Math.round(seconds / 60) + " min left";
  }

  function listen(draft) {
    const progress = document.getElementById("progress");
    const left = document.getElementById("left");
    const events = new EventSource(draft.dataset.events);
    progress.hidden = false;
    events.addEventListener("progress", function (event) {
      const data = JSON.parse(event.data);
      if (data.total) { progress.max = data.total; progress.value = data.done; }
      left.textContent = (data.total ? data.done + " / " + data.total + " fetched · " : "") + minutes(data.seconds_left);
    });
    events.addEventListener("check", function (event) {
      const data = JSON.parse(event.data);
      const row = document.querySelector('tr[data-source="' + CSS.escape(data.source) + '"] td.verdict');
      if (row) { row.innerHTML = data.html; row.parentElement.dataset.verdict = data.verdict; }
    });
    events.addEventListener("done", function (event) {
      const data = JSON.parse(event.data);
      document.getElementById("summary").textContent = data.summary;
      document.getElementById("downloads").hidden = false;
      document.getElementById("check").textContent = "Check again";
      draft.dataset.state = "checked";
      progress.value = progress.max;
      left.textContent = "done";
      events.close();
    });
    events.addEventListener("failed", function (event) {
      left.textContent = "the check failed: " + JSON.parse(event.data).message;
      draft.dataset.state = "failed";
      events.close();
    });
    events.addEventListener("idle", function () { events.close(); progress.hidden = true; });
  }

  function setUpOffers(draft) {
    draft.addEventListener("submit", function (event) {
      const form = event.target;
      if (!form.hasAttribute("data-offer")) return;
      event.preventDefault();
      const body = new FormData(form);
      body.set("decision", event.submitter ? event.submitter.value : "accept");
      fetch(form.action, { method: "POST", body: body, headers: { "X-Requested-With": "fetch" } }).then(function (answer) {
        if (!answer.ok) throw new Error("answered " + answer.status);
        const state = body.get("decision") === "accept" ? "accepted" : "rejected";
        form.classList.remove("offered", "accepted", "rejected");
        form.classList.add(state);
        form.querySelector(".state").textContent = state;
      }).catch(function (error) { form.querySelector(".state").textContent = "not saved: " + error.message; });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpDrop();
    const draft = document.getElementById("draft");
    if (!draft) return;
    setUpOffers(draft);
    if (draft.dataset.state === "running") listen(draft);
  });
})();
