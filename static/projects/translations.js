/* "Languages" in the project editor: add a language (its lines are translated at once, or made
 * blank for the user to write when machine translation is not set up), edit any line (saved when
 * the field is left, then kept through every "Translate again"), put a line back to the machine's
 * translation, remove a language. Lines come from /api/v1/projects/<id>/translations/; every
 * user or machine text reaches the page through textContent or an input's value, never as markup.
 * No inline code: the page's CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  var panel = document.getElementById("translations-panel");
  if (!panel) return;
  var stateUrl = panel.dataset.translationsUrl;
  var configured = panel.dataset.configured === "true";
  var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var _ = window.gettext || function (s) { return s; };
  var ngettext = window.ngettext || function (one, many, n) { return n === 1 ? one : many; };
  var format = window.interpolate || function (fmt, args) {
    return fmt.replace(/%\(\w+\)s/g, function (m) { return args[m.slice(2, -2)]; });
  };
  var FIELD = { title: _("Title"), story: _("Story"), caption: _("Caption") };

  function byId(id) { return document.getElementById(id); }
  var ui = {
    add: byId("tr-add"),
    select: byId("tr-language"),
    addButton: byId("tr-add-button"),
    plan: byId("tr-plan"),
    planText: byId("tr-plan-text"),
    status: byId("tr-status"),
    list: byId("tr-languages")
  };

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) return {};
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var detail = (data && data.error) || {};
          var error = new Error(detail.message || format(_("Something went wrong (%(status)s). Please try again."), { status: response.status }, true));
          error.status = response.status;
          error.code = detail.code || "";
          error.fields = detail.fields || {};
          throw error;
        }
        return data;
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function button(label, className) {
    var b = el("button", className, label);
    b.type = "button";
    return b;
  }

  function tell(text, isError) {
    ui.status.textContent = text || "";
    ui.status.classList.toggle("is-error", Boolean(isError));
    ui.status.setAttribute("role", isError ? "alert" : "status");
  }

  function languageUrl(code) { return stateUrl + encodeURIComponent(code) + "/"; }

  function photoName(photoId) {
    var img = document.querySelector('.photo-card[data-id="' + photoId + '"] img');
    return img ? img.alt : "";
  }

  /* ---- one language ---- */
  function section(code) {
    var found = null;
    ui.list.querySelectorAll(".tr-language").forEach(function (node) {
      if (node.dataset.language === code) found = node;
    });
    if (!found) {
      found = el("details", "tr-language");
      found.dataset.language = code;
      ui.list.appendChild(found);
    }
    return found;
  }

  function counts(lines) {
    var done = lines.filter(function (l) { return l.text; }).length;
    return format(_("%(done)s of %(all)s lines"), { done: done, all: lines.length }, true);
  }

  function drawLanguage(data, errorMessage) {
    var node = section(data.language);
    node.textContent = "";
    var summary = el("summary");
    summary.appendChild(el("strong", "", data.name));
    summary.appendChild(document.createTextNode(" "));
    summary.appendChild(el("span", "tr-counts", counts(data.lines)));
    node.appendChild(summary);

    var actions = el("div", "tr-actions");
    var again = button(configured ? _("Translate again") : _("Update the lines"), "btn btn-secondary btn-small");
    again.dataset.trAction = "refresh";
    var remove = button(_("Remove this language"), "btn btn-link btn-small tr-remove");
    remove.dataset.trAction = "remove";
    actions.appendChild(again);
    actions.appendChild(remove);
    node.appendChild(actions);
    if (errorMessage) node.appendChild(el("p", "tr-error", errorMessage)).setAttribute("role", "alert");

    var list = el("ol", "tr-lines");
    data.lines.forEach(function (line) { list.appendChild(drawLine(data, line)); });
    node.appendChild(list);
    node.querySelector("summary .tr-counts").textContent = counts(data.lines);
    return node;
  }

  function drawLine(data, line) {
    var item = el("li", "tr-line");
    item.classList.toggle("is-edited", line.edited);
    item.classList.toggle("is-stale", line.stale);
    if (line.id) item.dataset.id = line.id;
    var source = el("p", "tr-source");
    var label = FIELD[line.field] || line.field;
    if (line.field === "caption" && line.photo_id) {
      var name = photoName(line.photo_id);
      if (name) label += " · " + name;
    }
    source.appendChild(el("span", "tr-field", label));
    source.appendChild(el("span", "tr-original", line.source));
    item.appendChild(source);

    var input = el(line.field === "story" ? "textarea" : "input");
    if (input.tagName === "INPUT") input.type = "text";
    input.maxLength = line.max_length;
    input.value = line.text;
    input.placeholder = line.id ? _("Write this line in this language") : _("New line: translate again to add it");
    input.disabled = !line.id;
    input.lang = data.language;
    input.setAttribute("aria-label", format(_("%(field)s in %(language)s"), { field: label, language: data.name }, true));
    input.dataset.saved = line.text;
    input.addEventListener("change", function () { save(data, line, input, item); });
    item.appendChild(input);

    var flags = el("div", "tr-flags");
    if (line.edited) flags.appendChild(el("span", "tr-tag", _("edited by you")));
    if (line.stale) flags.appendChild(el("span", "tr-tag is-stale", _("the original changed")));
    if (line.edited && configured) {
      var reset = button(_("Use the machine translation"), "btn btn-link");
      reset.addEventListener("click", function () { resetLine(data, line, item); });
      flags.appendChild(reset);
    }
    var state = el("span", "tr-save-state");
    state.setAttribute("aria-live", "polite");
    flags.appendChild(state);
    item.appendChild(flags);
    return item;
  }

  function replaceLine(data, item, line) {
    data.lines = data.lines.map(function (l) { return l.id === line.id ? line : l; });
    var fresh = drawLine(data, line);
    item.replaceWith(fresh);
    var node = section(data.language);
    node.querySelector("summary .tr-counts").textContent = counts(data.lines);
    return fresh;
  }

  function save(data, line, input, item) {
    var state = item.querySelector(".tr-save-state");
    state.textContent = _("Saving…");
    api("PATCH", languageUrl(data.language) + line.id + "/", { text: input.value }).then(function (saved) {
      var fresh = replaceLine(data, item, saved);
      var field = fresh.querySelector("input, textarea");
      field.classList.add("is-saved");
      fresh.querySelector(".tr-save-state").textContent = _("Saved");
    }).catch(function (error) {
      state.textContent = _("Not saved:") + " " + error.message;
    });
  }

  function resetLine(data, line, item) {
    var state = item.querySelector(".tr-save-state");
    state.textContent = _("Translating…");
    api("POST", languageUrl(data.language) + line.id + "/reset/", {}).then(function (fresh) {
      replaceLine(data, item, fresh);
    }).catch(function (error) {
      state.textContent = error.message;
    });
  }

  var loaded = {}; // language code -> its data as last given

  function load(code) {
    return api("GET", languageUrl(code)).then(function (data) {
      loaded[code] = data;
      return drawLanguage(data);
    });
  }

  function refresh(code, open) {
    tell(configured ? _("Translating…") : _("Adding the lines…"));
    ui.addButton.disabled = true;
    return api("POST", languageUrl(code) + "refresh/", {}).then(function (data) {
      loaded[code] = data;
      var message = data.error ? data.error.message : "";
      var node = drawLanguage(data, message);
      if (open) node.open = true;
      var done = data.error ? "" : format(
        ngettext("%(name)s: %(n)s line translated now.", "%(name)s: %(n)s lines translated now.", data.translated) +
        (data.kept_edits ? " " + ngettext("%(kept)s line you edited is kept.", "%(kept)s lines you edited are kept.", data.kept_edits) : ""),
        { name: data.name, n: data.translated, kept: data.kept_edits }, true);
      tell(done);
      dropOption(code);
    }).catch(function (error) {
      if (error.status === 402) {
        ui.planText.textContent = error.message;
        ui.plan.hidden = false;
        tell("");
      } else {
        tell(error.message, true);
      }
    }).then(function () { ui.addButton.disabled = false; });
  }

  function dropOption(code) {
    Array.prototype.forEach.call(ui.select.options, function (option) {
      if (option.value === code) option.remove();
    });
    ui.add.hidden = ui.select.options.length === 0;
  }

  function addOption(code, name) {
    var option = el("option", "", name);
    option.value = code;
    ui.select.appendChild(option);
    ui.add.hidden = false;
  }

  function removeLanguage(code) {
    var data = loaded[code];
    var name = data ? data.name : code;
    if (!window.confirm(format(_("Remove %(name)s and every line in it, your own edits too?"), { name: name }, true))) return;
    api("DELETE", languageUrl(code)).then(function () {
      section(code).remove();
      addOption(code, name);
      ui.plan.hidden = true;
      tell(format(_("%(name)s removed."), { name: name }, true));
    }).catch(function (error) { tell(error.message, true); });
  }

  ui.add.addEventListener("submit", function (event) {
    event.preventDefault();
    if (ui.select.value) refresh(ui.select.value, true);
  });

  ui.list.addEventListener("click", function (event) {
    var target = event.target.closest("[data-tr-action]");
    if (!target) return;
    var code = target.closest(".tr-language").dataset.language;
    if (target.dataset.trAction === "refresh") refresh(code, true);
    if (target.dataset.trAction === "remove") removeLanguage(code);
  });

  ui.list.querySelectorAll(".tr-language").forEach(function (node) {
    load(node.dataset.language).catch(function (error) { tell(error.message, true); });
  });
})();
