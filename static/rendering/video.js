// Live render progress: server-sent events, with polling of the API when streams fail.
// When the job finishes the page reloads, and the server renders the player (or the error,
// with the last finished video kept on the player).
(function () {
  "use strict";
  // Words come from Django's JavaScript catalog (/jsi18n/, loaded before this file).
  const gettext = window.gettext, interpolate = window.interpolate;
  // VideoStage (rendering/models.py): the stage the API reports, in the page's language.
  const STAGES = {
    "preparing": gettext("Preparing"),
    "fetching photos": gettext("Fetching photos"),
    "analysing photos": gettext("Analysing photos"),
    "rendering": gettext("Rendering"),
    "publishing": gettext("Publishing"),
  };
  // Photos added or removed by the editor (without a reload) enable or disable "Make the video".
  const count = document.getElementById("photo-count");
  const button = document.getElementById("render-button");
  const hint = document.getElementById("render-hint");
  if (count && button) {
    const sync = function () {
      const n = parseInt(count.textContent, 10) || 0;
      button.disabled = n === 0;
      if (hint) hint.hidden = n > 0;
    };
    new MutationObserver(sync).observe(count, { childList: true, characterData: true, subtree: true });
    sync();
  }

  const box = document.getElementById("render-progress");
  if (!box) return;
  const bar = document.getElementById("render-bar");
  const label = document.getElementById("render-stage");
  const FINISHED = ["completed", "failed", "cancelled"];
  let polling = null;
  let failures = 0;

  function show(state) {
    if (FINISHED.includes(state.status)) {
      // The server renders the outcome: the new video (or the error beside the last good one).
      // A "?video=" left from watching an earlier video must not hide the new one.
      if (window.location.search) window.location.replace(window.location.pathname + "#video-panel");
      else window.location.reload();
      return;
    }
    bar.value = state.progress;
    bar.textContent = state.progress + "%";
    if (state.status === "queued") {
      label.textContent = gettext("Waiting for a free renderer…");
      return;
    }
    const stage = STAGES[state.stage] || gettext("Working");
    let text = stage + " · " + state.progress + "%";
    if (state.eta_seconds != null) {
      text += " · " + interpolate(gettext("about %s left"), [formatSeconds(state.eta_seconds)]);
    }
    label.textContent = text;
  }

  function formatSeconds(s) {
    return s < 90 ? interpolate(gettext("%s s"), [s]) : interpolate(gettext("%s min"), [Math.round(s / 60)]);
  }

  function poll() {
    if (polling) return;
    polling = window.setInterval(function () {
      fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state) show(state); })
        .catch(function () { /* offline for a moment: the next tick tries again */ });
    }, 2000);
  }

  if (!("EventSource" in window)) {
    poll();
    return;
  }
  const source = new EventSource(box.dataset.eventsUrl);
  box.dataset.live = "sse";
  source.onmessage = function (event) {
    failures = 0;
    show(JSON.parse(event.data));
  };
  source.onerror = function () {
    // EventSource reconnects on its own; after repeated failures, poll instead.
    failures += 1;
    if (failures >= 3 || source.readyState === EventSource.CLOSED) {
      source.close();
      box.dataset.live = "poll";
      poll();
    }
  };
})();
