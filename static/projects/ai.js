/* "Words by AI" in the project editor: the project's two AI switches (saved at once), a request
 * for suggestions followed live (the state is polled every second while it is queued or
 * running), and each suggestion shown beside the user's own words — the title, the story, every
 * photo's caption (on its card) and the order — to accept as it is or edited, to reject, and for
 * the order to undo. Text written by the model only ever reaches the page through textContent.
 * No inline code: the page's CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  // Words come from Django's JavaScript catalog (/jsi18n/, loaded before this file).
  var gettext = window.gettext, ngettext = window.ngettext, interpolate = window.interpolate;
  // The AI request's stage as the server stores it (projects/services/ai.py), translated here.
  var STAGES = { "Preparing photos…": gettext("Preparing photos…"), "Writing captions…": gettext("Writing captions…") };
  var panel = document.getElementById("ai-panel");
  if (!panel || !panel.dataset.stateUrl) return; // AI writing is not set up on this site
  var urls = panel.dataset;
  var editor = document.getElementById("editor");
  var grid = document.getElementById("photo-grid");
  var csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  var ACTIVE = ["queued", "running"];
  var MAX = { title: 120, story: 600, caption: 200 };
  var TAG = { pending: gettext("Suggested"), accepted: gettext("Accepted"), rejected: gettext("Rejected") };
  var POLL_MS = 1000;

  function byId(id) { return document.getElementById(id); }
  var ui = {
    enabled: byId("ai-enabled"),
    places: byId("ai-places"),
    body: byId("ai-body"),
    saveState: byId("ai-save-state"),
    plan: byId("ai-plan"),
    planText: byId("ai-plan-text"),
    suggest: byId("ai-suggest"),
    allowance: byId("ai-allowance"),
    state: byId("ai-state"),
    meta: byId("ai-meta"),
    retry: byId("ai-retry"),
    titleSlot: byId("ai-title-slot"),
    storySlot: byId("ai-story-slot"),
    orderSlot: byId("ai-order-slot"),
    all: byId("ai-all"),
    acceptAll: byId("ai-accept-all"),
    result: byId("ai-result"),
    statusLine: byId("status-line")
  };
  var suggestions = {}; // id -> the suggestion as the API last gave it
  var polling = null;
  var loaded; // the first state, once it has arrived

  /* ---- talking to the API ---- */
  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var detail = (data && data.error) || {};
          var error = new Error(detail.message || interpolate(gettext("Something went wrong (%s). Please try again."), [response.status]));
          error.status = response.status;
          error.code = detail.code || "";
          throw error;
        }
        return data;
      });
    });
  }

  function suggestionUrl(id, action) { return urls.suggestionsUrl + id + "/" + action + "/"; }

  /* ---- small DOM helpers: text in, never markup ---- */
  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function chip(action, label, accent) {
    var b = el("button", accent ? "chip chip-accept" : "chip", label);
    b.type = "button";
    b.dataset.aiAction = action;
    return b;
  }

  function number(n) { return Number(n || 0).toLocaleString(); }

  function size(bytes) {
    return bytes < 1024 * 1024 ? interpolate(gettext("%s KB"), [Math.max(1, Math.round(bytes / 1024))]) : interpolate(gettext("%s MB"), [(bytes / 1048576).toFixed(1)]);
  }

  function card(photoId) {
    return grid.querySelector('.photo-card[data-id="' + photoId + '"]');
  }

  function photoName(photoId) {
    var c = card(photoId);
    return c ? c.querySelector("img").alt : "";
  }

  function tell(node, text) { if (node) node.textContent = text; }

  /* ---- the switches: saved at once, like the other settings ---- */
  function showSave(kind, text) {
    ui.saveState.className = "save-state ai-save-state is-" + kind;
    ui.saveState.setAttribute("role", kind === "error" ? "alert" : "status");
    ui.saveState.textContent = text;
  }

  function saveFlag(input, body) {
    showSave("busy", gettext("Saving…"));
    return api("PATCH", urls.projectUrl, body).then(function () {
      showSave("ok", gettext("Saved"));
      return true;
    }).catch(function (error) {
      input.checked = !input.checked;
      showSave("error", interpolate(gettext("Not saved: %s"), [error.message]));
      return false;
    });
  }

  function showOn(on) {
    ui.body.hidden = !on;
    editor.classList.toggle("ai-is-off", !on);
  }

  ui.enabled.addEventListener("change", function () {
    saveFlag(ui.enabled, { ai_enabled: ui.enabled.checked }).then(function (saved) {
      if (!saved) return;
      showOn(ui.enabled.checked);
      if (ui.enabled.checked) refresh();
    });
  });
  ui.places.addEventListener("change", function () {
    saveFlag(ui.places, { ai_places: ui.places.checked });
  });

  /* ---- the request: ask, then follow it until it is done ---- */
  function showAllowance(allowance) {
    var used = allowance.used, allowed = allowance.allowed;
    tell(ui.allowance, allowed ? interpolate(gettext("%(used)s of %(allowed)s this month"), { used: used, allowed: allowed }, true) : "");
    if (!allowed) showPlan(gettext("AI suggestions are part of the Plus and Pro plans."));
    else if (used >= allowed) showPlan(interpolate(gettext("You have used %(used)s of the %(allowed)s AI suggestions your plan includes this month."), { used: used, allowed: allowed }, true));
    else { ui.plan.hidden = true; ui.suggest.hidden = false; }
  }

  function showPlan(message) {
    tell(ui.planText, message);
    ui.plan.hidden = false;
    ui.suggest.hidden = true;
  }

  function showRequest(request) {
    var status = request ? request.status : "none";
    var active = ACTIVE.indexOf(status) >= 0;
    ui.state.className = "ai-state is-" + status;
    ui.suggest.disabled = active;
    ui.retry.hidden = status !== "failed";
    ui.meta.textContent = "";
    if (!request) { ui.state.textContent = ""; return; }
    if (status === "queued") ui.state.textContent = gettext("Waiting…");
    else if (status === "running") ui.state.textContent = STAGES[request.stage] || request.stage || gettext("Writing…");
    else if (status === "completed") {
      ui.state.textContent = request.duration_ms ? interpolate(gettext("Done in %s s."), [(request.duration_ms / 1000).toFixed(1)]) : gettext("Done.");
      ui.meta.textContent = (request.from_cache
        ? gettext("From the cache: these photos were asked about before, so no new tokens were used.") + " "
        : interpolate(gettext("%(input)s tokens in (%(cached)s cached), %(output)s out."), {
          input: number(request.input_tokens), cached: number(request.cached_tokens), output: number(request.output_tokens)
        }, true) + " ") +
        interpolate(ngettext("%(count)s photo sent (%(size)s) to %(model)s.", "%(count)s photos sent (%(size)s) to %(model)s.", request.photo_count), {
          count: request.photo_count, size: size(request.sent_bytes), model: request.model
        }, true);
    } else {
      ui.state.textContent = interpolate(gettext("Not done: %s"), [(request.error && request.error.message) || gettext("the suggestion failed.")]);
    }
  }

  function ask() {
    ui.suggest.disabled = true;
    ui.retry.hidden = true;
    tell(ui.result, "");
    showRequest({ status: "queued" });
    api("POST", urls.requestUrl, {}).then(function (request) {
      showRequest(request);
      follow(request);
    }).catch(function (error) {
      ui.suggest.disabled = false;
      if (error.status === 402) {
        showRequest(null);
        showPlan(error.message);
        return;
      }
      showRequest({ status: "failed", error: { message: error.message } });
    });
  }
  ui.suggest.addEventListener("click", ask);
  ui.retry.addEventListener("click", ask);

  function follow(request) {
    if (!request || ACTIVE.indexOf(request.status) < 0 || polling) return;
    polling = window.setTimeout(function tick() {
      api("GET", urls.stateUrl).then(function (state) {
        if (state.request && ACTIVE.indexOf(state.request.status) >= 0) {
          showRequest(state.request);
          polling = window.setTimeout(tick, POLL_MS);
        } else {
          polling = null;
          render(state);
        }
      }).catch(function () {
        polling = window.setTimeout(tick, POLL_MS * 3); // offline for a moment: try again
      });
    }, POLL_MS);
  }

  function refresh() {
    return api("GET", urls.stateUrl).then(render).catch(function (error) {
      tell(ui.result, error.message);
    });
  }

  function render(state) {
    showAllowance(state.allowance);
    showRequest(state.request);
    showSuggestions(state.suggestions);
    follow(state.request);
    return state;
  }

  /* ---- suggestions, each beside the words it would replace ---- */
  function textNode(s) {
    var box = el("div", "ai-suggestion is-" + s.state);
    box.dataset.suggestion = s.id;
    box.dataset.field = s.field;
    box.dataset.max = MAX[s.field];
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", s.field === "caption"
      ? interpolate(gettext("Suggested caption for %s"), [photoName(s.photo_id)])
      : s.field === "title" ? gettext("Suggested title") : gettext("Suggested story"));
    var line = el("p", "ai-suggestion-text");
    var words = el("span", "ai-words", s.text);
    words.setAttribute("data-text", "");
    line.append(el("span", "ai-tag", TAG[s.state]), " ", words);
    box.append(line);
    if (s.state === "pending") {
      var buttons = el("div", "ai-buttons");
      buttons.append(chip("accept", gettext("Accept"), true), chip("edit", gettext("Edit")), chip("reject", gettext("Reject")));
      box.append(buttons);
    }
    return box;
  }

  function orderNode(s) {
    var box = el("div", "ai-order is-" + s.state);
    box.dataset.suggestion = s.id;
    box.dataset.field = "order";
    var now = {};
    Array.prototype.forEach.call(grid.children, function (li, i) { now[li.dataset.id] = i + 1; });
    var list = el("ol", "ai-moves");
    s.order.forEach(function (step, i) {
      var c = card(step.photo_id);
      if (!c) return; // removed since
      var item = el("li");
      var thumb = el("img");
      thumb.src = c.querySelector("img").src; thumb.alt = ""; thumb.width = 48; thumb.height = 36;
      var head = el("span", "ai-move-head");
      var to = i + 1, from = now[step.photo_id];
      head.append(el("span", "ai-move-pos", s.state === "pending" && from !== to ? from + " → " + to : String(to)),
        " ", el("span", "ai-move-name", photoName(step.photo_id)));
      item.append(thumb, head, el("span", "ai-move-reason", step.reason));
      list.append(item);
    });
    var said = el("p", "ai-order-state");
    if (s.state !== "pending") {
      said.append(el("span", "ai-tag", TAG[s.state]), " ",
        s.state === "accepted" ? gettext("The photos are in this order.") : gettext("Your order stays."));
    }
    var buttons = el("div", "ai-buttons");
    if (s.state === "pending") buttons.append(chip("accept", gettext("Use this order"), true), chip("reject", gettext("Keep my order")));
    else if (s.can_undo) buttons.append(chip("undo", gettext("Undo")));
    box.append(list, said, buttons);
    return box;
  }

  function nodeFor(s) { return s.field === "order" ? orderNode(s) : textNode(s); }

  function slotFor(s) {
    return { title: ui.titleSlot, story: ui.storySlot, order: ui.orderSlot }[s.field];
  }

  function place(s) {
    suggestions[s.id] = s;
    var node = nodeFor(s);
    if (s.field === "caption") {
      var c = card(s.photo_id);
      if (!c) return;
      var old = c.querySelector(".ai-suggestion");
      if (old) old.replaceWith(node);
      else c.querySelector(".caption").after(node);
      return;
    }
    var slot = slotFor(s);
    var current = slot.querySelector("[data-current]");
    if (current) {
      current.textContent = s.current.text;
      if (!s.current.text) current.append(el("em", null, gettext("none yet")));
    }
    var previous = slot.querySelector("[data-suggestion]");
    if (previous) previous.replaceWith(node);
    else slot.append(node);
    slot.hidden = false;
  }

  function showSuggestions(list) {
    suggestions = {};
    grid.querySelectorAll(".ai-suggestion").forEach(function (node) { node.remove(); });
    [ui.titleSlot, ui.storySlot, ui.orderSlot].forEach(function (slot) {
      var node = slot.querySelector("[data-suggestion]");
      if (node) node.remove();
      slot.hidden = true;
    });
    list.forEach(place);
    ui.suggest.textContent = list.length ? gettext("Suggest again") : gettext("Suggest");
    syncAll();
  }

  /* "Accept all" while something is left for it: it never replaces a caption the user wrote. */
  function syncAll() {
    ui.all.hidden = !Object.keys(suggestions).some(function (id) {
      var s = suggestions[id];
      return s.state === "pending" && !(s.field === "caption" && s.current.source === "user" && s.current.text);
    });
  }

  /* What an accepted suggestion changed, shown where the user's own words are. */
  function showApplied(s) {
    if (s.state !== "accepted") return;
    if (s.field === "caption") {
      var c = card(s.photo_id);
      var input = c && c.querySelector("[data-caption]");
      if (input) { input.value = s.current.text; input.classList.add("is-saved"); }
    } else if (s.field === "title") {
      byId("title").value = s.current.text;
      document.querySelector("h1").textContent = s.current.text;
    } else if (s.field === "story") {
      byId("story").value = s.current.text;
    }
  }

  /* ---- decisions ---- */
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-ai-action]");
    if (!button) return;
    var box = button.closest("[data-suggestion]");
    if (!box) return;
    var action = button.dataset.aiAction;
    var s = suggestions[box.dataset.suggestion];
    if (!s) {
      // Clicked on the server's drawing before the state arrived: do it once it is here.
      var id = box.dataset.suggestion;
      loaded.then(function () {
        var again = document.querySelector('[data-suggestion="' + id + '"] [data-ai-action="' + action + '"]');
        if (again && suggestions[id]) again.click();
      });
      return;
    }
    if (action === "edit") { startEdit(box, s); return; }
    if (action === "cancel") { box.replaceWith(nodeFor(s)); return; }
    var body = {};
    if (action === "save") {
      body.text = box.querySelector("[data-edit]").value;
      action = "accept";
    }
    decide(box, s, action, body);
  });

  function decide(box, s, action, body) {
    box.querySelectorAll("button").forEach(function (b) { b.disabled = true; });
    var where = s.field === "caption" ? ui.statusLine : ui.result;
    api("POST", suggestionUrl(s.id, action), body).then(function (updated) {
      place(updated);
      showApplied(updated);
      syncAll();
      tell(where, said(updated, action, body.text !== undefined));
      if (updated.field === "order") return reloadPhotos();
    }).catch(function (error) {
      box.querySelectorAll("button").forEach(function (b) { b.disabled = false; });
      tell(where, error.message);
      if (error.status === 409) refresh(); // decided elsewhere meanwhile: show what it is now
    });
  }

  function said(s, action, edited) {
    if (action === "undo") return gettext("Back to the order you had.");
    if (action === "reject") {
      return { caption: gettext("Caption suggestion rejected."), title: gettext("Title suggestion rejected."),
        story: gettext("Story suggestion rejected.") }[s.field] || gettext("Order suggestion rejected.");
    }
    if (s.field === "order") return gettext("The photos are in the suggested order.");
    if (edited) {
      return { caption: gettext("Caption saved with your edit."), title: gettext("Title saved with your edit."),
        story: gettext("Story saved with your edit.") }[s.field];
    }
    return { caption: gettext("Caption accepted."), title: gettext("Title accepted."), story: gettext("Story accepted.") }[s.field];
  }

  function startEdit(box, s) {
    var multiline = s.field === "story";
    var field = el(multiline ? "textarea" : "input", "ai-edit");
    if (multiline) field.rows = 4; else field.type = "text";
    field.maxLength = MAX[s.field];
    field.value = s.text;
    field.setAttribute("data-edit", "");
    field.setAttribute("aria-label", interpolate(gettext("Edit: %s"), [box.getAttribute("aria-label") || gettext("suggestion")]));
    var buttons = el("div", "ai-buttons");
    buttons.append(chip("save", gettext("Accept"), true), chip("cancel", gettext("Cancel")));
    var line = el("p", "ai-suggestion-text");
    line.append(el("span", "ai-tag", gettext("Editing")));
    box.className = "ai-suggestion is-editing";
    box.replaceChildren(line, field, buttons);
    field.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); box.replaceWith(nodeFor(s)); }
      if (event.key === "Enter" && !multiline) { event.preventDefault(); buttons.firstChild.click(); }
    });
    field.focus();
    field.select();
  }

  ui.acceptAll.addEventListener("click", function () {
    ui.acceptAll.disabled = true;
    api("POST", urls.acceptAllUrl, {}).then(function (counts) {
      var text = interpolate(ngettext("Accepted %s suggestion.", "Accepted %s suggestions.", counts.accepted), [counts.accepted]);
      if (counts.kept) text += " " + interpolate(ngettext("Kept your own caption on %s photo.", "Kept your own caption on %s photos.", counts.kept), [counts.kept]);
      tell(ui.result, text);
      return api("GET", urls.stateUrl).then(function (state) {
        state.suggestions.forEach(showApplied);
        return reloadPhotos().then(function () { render(state); });
      });
    }).catch(function (error) {
      tell(ui.result, error.message);
    }).then(function () { ui.acceptAll.disabled = false; });
  });

  /* ---- the order: the server reorders; the grid follows what it says ---- */
  function reloadPhotos() {
    var ids = [];
    function page(url) {
      return api("GET", url).then(function (data) {
        data.results.forEach(function (photo) { ids.push(photo.id); });
        return data.next ? page(data.next) : ids;
      });
    }
    return page(urls.photosUrl + "?limit=200").then(function () {
      ids.forEach(function (id) { var c = card(id); if (c) grid.appendChild(c); });
      Object.keys(suggestions).forEach(function (id) { if (suggestions[id].field === "order") place(suggestions[id]); });
    });
  }

  loaded = ui.enabled.checked ? refresh() : Promise.resolve();
})();
