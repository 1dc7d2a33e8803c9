/* Project editor: upload many photos with progress and per-file errors, reorder (drag with a
 * mouse or a finger through SortableJS, or the ↑/↓ buttons from the keyboard), captions, sort by
 * date, remove, and settings saved as soon as they change. Talks to /api/v1/ with the session
 * cookie and CSRF token. No inline code: the page's CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  // Words come from Django's JavaScript catalog (/jsi18n/, loaded before this file).
  var gettext = window.gettext, interpolate = window.interpolate;
  var editor = document.getElementById("editor");
  if (!editor) return;
  var csrf = editor.querySelector("input[name=csrfmiddlewaretoken]").value;
  var grid = document.getElementById("photo-grid");
  var list = document.getElementById("upload-list");
  var status = document.getElementById("status-line");
  var empty = document.getElementById("empty-photos");
  var count = document.getElementById("photo-count");
  var input = document.getElementById("file-input");
  var zone = document.getElementById("dropzone");
  var maxBytes = parseInt(editor.dataset.maxBytes, 10);
  var PARALLEL = 3;
  var queue = [];
  var running = 0;

  function say(text) { status.textContent = text; }

  function api(method, url, body) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      if (response.status === 204) return null;
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(errorMessage(data, response.status));
          error.fields = (data && data.error && data.error.fields) || {};
          throw error;
        }
        return data;
      });
    });
  }

  function errorMessage(data, code) {
    if (data && data.error && data.error.message) return data.error.message;
    if (code === 413) return gettext("This file is too large.");
    return interpolate(gettext("Something went wrong (%s). Please try again."), [code]);
  }

  function refreshCount() {
    var n = grid.children.length;
    count.textContent = n;
    empty.classList.toggle("hidden", n > 0);
  }

  /* ---- uploads ---- */
  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      var item = document.createElement("li");
      item.className = "upload-item";
      var name = document.createElement("span");
      name.textContent = file.name;
      var state = document.createElement("span");
      state.textContent = gettext("Waiting…");
      var bar = document.createElement("progress");
      bar.max = 100; bar.value = 0;
      bar.setAttribute("aria-label", interpolate(gettext("Upload progress for %s"), [file.name]));
      item.append(name, state, bar);
      var preview = localPreview(file);
      if (preview) item.prepend(preview);
      list.appendChild(item);
      if (file.size > maxBytes) {
        fail(item, state, bar, interpolate(gettext("“%(name)s” is larger than %(mb)s MB, the most your plan allows."), { name: file.name, mb: editor.dataset.maxMb }, true));
        return;
      }
      queue.push({ file: file, item: item, state: state, bar: bar });
    });
    pump();
  }

  /* A preview from the file itself while it uploads, where the browser can decode it (HEIC
     cannot: its row shows no picture until the server's thumbnail replaces it). */
  function localPreview(file) {
    if (!/^image\/(jpeg|png|webp|gif)$/.test(file.type) || !window.URL) return null;
    var img = document.createElement("img");
    img.className = "upload-preview";
    img.alt = "";
    img.decoding = "async";
    img.src = URL.createObjectURL(file);
    img.onload = function () { URL.revokeObjectURL(img.src); };
    img.onerror = function () { URL.revokeObjectURL(img.src); img.remove(); };
    return img;
  }

  function pump() {
    while (running < PARALLEL && queue.length) {
      running += 1;
      send(queue.shift());
    }
  }

  function send(job) {
    var xhr = new XMLHttpRequest();
    var form = new FormData();
    form.append("file", job.file, job.file.name);
    xhr.open("POST", editor.dataset.uploadUrl);
    xhr.setRequestHeader("X-CSRFToken", csrf);
    xhr.setRequestHeader("Accept", "application/json");
    job.state.textContent = gettext("Uploading…");
    xhr.upload.onprogress = function (event) {
      if (event.lengthComputable) job.bar.value = Math.round(90 * event.loaded / event.total);
      if (event.loaded === event.total) job.state.textContent = gettext("Preparing…");
    };
    xhr.onload = function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { /* not JSON: generic message */ }
      if (xhr.status === 201) {
        job.item.remove();
        grid.appendChild(card(data));
        refreshCount();
        say(interpolate(gettext("Added %s."), [data.original_name]));
      } else {
        fail(job.item, job.state, job.bar, errorMessage(data, xhr.status));
      }
      done();
    };
    xhr.timeout = 120000;
    xhr.ontimeout = function () {
      fail(job.item, job.state, job.bar, gettext("The upload took too long. Check your network and try again."));
      done();
    };
    xhr.onerror = function () {
      fail(job.item, job.state, job.bar, gettext("The connection dropped. Check your network and try again."));
      done();
    };
    xhr.send(form);
  }

  function done() { running -= 1; pump(); }

  function fail(item, state, bar, message) {
    item.classList.add("is-error");
    bar.remove();
    state.textContent = gettext("Not added");
    var error = document.createElement("span");
    error.className = "upload-error";
    error.setAttribute("role", "alert");
    error.textContent = message;
    var dismiss = document.createElement("button");
    dismiss.type = "button"; dismiss.className = "dismiss"; dismiss.textContent = gettext("Dismiss");
    dismiss.addEventListener("click", function () { item.remove(); });
    item.append(error, dismiss);
  }

  function card(photo) {
    var li = document.createElement("li");
    li.className = "photo-card";
    li.draggable = true;
    li.dataset.id = photo.id;
    li.dataset.url = editor.dataset.photosUrl + photo.id + "/";
    var img = document.createElement("img");
    img.src = photo.thumbnail_url; img.alt = photo.original_name;
    img.width = photo.width; img.height = photo.height;
    var label = document.createElement("label");
    label.className = "caption";
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden"; hidden.textContent = interpolate(gettext("Caption for %s"), [photo.original_name]);
    var caption = document.createElement("input");
    caption.type = "text"; caption.maxLength = 200; caption.placeholder = gettext("Add a caption");
    caption.value = photo.caption || ""; caption.setAttribute("data-caption", "");
    label.append(hidden, caption);
    var actions = document.createElement("div");
    actions.className = "photo-actions";
    [["-1", "↑", interpolate(gettext("Move %s earlier"), [photo.original_name])],
     ["1", "↓", interpolate(gettext("Move %s later"), [photo.original_name])]].forEach(function (spec) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "icon-btn"; b.dataset.move = spec[0];
      b.textContent = spec[1]; b.setAttribute("aria-label", spec[2]);
      actions.appendChild(b);
    });
    var remove = document.createElement("button");
    remove.type = "button"; remove.className = "icon-btn danger"; remove.setAttribute("data-remove", "");
    remove.textContent = "✕"; remove.setAttribute("aria-label", interpolate(gettext("Remove %s"), [photo.original_name]));
    actions.appendChild(remove);
    li.append(img, label, actions);
    return li;
  }

  input.addEventListener("change", function () { addFiles(input.files); input.value = ""; });
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      if (!event.dataTransfer || Array.prototype.indexOf.call(event.dataTransfer.types, "Files") < 0) return;
      event.preventDefault(); zone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("is-over"); });
  });
  zone.addEventListener("drop", function (event) {
    if (!event.dataTransfer || !event.dataTransfer.files.length) return;
    event.preventDefault();
    addFiles(event.dataTransfer.files);
  });

  /* ---- order ---- */
  function currentOrder() {
    return Array.prototype.map.call(grid.children, function (li) { return li.dataset.id; });
  }

  function applyOrder(photos) {
    var byId = {};
    Array.prototype.forEach.call(grid.children, function (li) { byId[li.dataset.id] = li; });
    photos.forEach(function (photo) { if (byId[photo.id]) grid.appendChild(byId[photo.id]); });
  }

  function saveOrder(previous, message) {
    return api("POST", editor.dataset.reorderUrl, { order: currentOrder() })
      .then(function () { say(message); })
      .catch(function (error) {
        applyOrder(previous.map(function (id) { return { id: id }; }));
        say(error.message);
      });
  }

  /* SortableJS drags with a mouse (the browser's own drag and drop) and by touch (its own
     emulation; press and hold, so a swipe over the photos still scrolls the page), and scrolls
     the page while a photo is carried near its edge. */
  var startOrder = [];
  if (window.Sortable) {
    window.Sortable.create(grid, {
      draggable: ".photo-card",
      filter: "input, textarea, button",
      preventOnFilter: false,
      fallbackOnBody: true,
      delay: 180,
      delayOnTouchOnly: true,
      touchStartThreshold: 6,
      animation: 150,
      scroll: true,
      scrollSensitivity: 90,
      scrollSpeed: 14,
      bubbleScroll: true,
      ghostClass: "is-target",
      chosenClass: "is-chosen",
      dragClass: "is-dragging",
      onStart: function () { startOrder = currentOrder(); },
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        var name = event.item.querySelector("img").alt;
        saveOrder(startOrder, interpolate(gettext("Moved %(name)s to position %(position)s."), { name: name, position: event.newIndex + 1 }, true));
      }
    });
  }

  grid.addEventListener("click", function (event) {
    var button = event.target.closest("button");
    if (!button) return;
    var li = button.closest(".photo-card");
    var name = li.querySelector("img").alt;
    if (button.dataset.move) {
      var before = currentOrder();
      var sibling = button.dataset.move === "-1" ? li.previousElementSibling : li.nextElementSibling;
      if (!sibling) { say(interpolate(button.dataset.move === "-1" ? gettext("%s is already first.") : gettext("%s is already last."), [name])); return; }
      grid.insertBefore(li, button.dataset.move === "-1" ? sibling : sibling.nextSibling);
      // Moving a node drops its focus: give it back, so ↑/↓ can be pressed again and again.
      button.focus();
      li.scrollIntoView({ block: "nearest" });
      saveOrder(before, interpolate(gettext("Moved %(name)s to position %(position)s."), { name: name, position: currentOrder().indexOf(li.dataset.id) + 1 }, true));
    } else if (button.hasAttribute("data-remove")) {
      if (!window.confirm(interpolate(gettext("Remove %s from this project?"), [name]))) return;
      api("DELETE", li.dataset.url).then(function () {
        li.remove(); refreshCount(); say(interpolate(gettext("Removed %s."), [name]));
      }).catch(function (error) { say(error.message); });
    }
  });

  document.getElementById("sort-by-date").addEventListener("click", function () {
    api("POST", editor.dataset.sortUrl).then(function (data) {
      applyOrder(data.results); say(gettext("Sorted by the date each photo was taken."));
    }).catch(function (error) { say(error.message); });
  });

  /* ---- captions: saved when the field is left or Enter is pressed ---- */
  grid.addEventListener("change", function (event) {
    if (!event.target.hasAttribute("data-caption")) return;
    var field = event.target;
    var li = field.closest(".photo-card");
    api("PATCH", li.dataset.url, { caption: field.value }).then(function (photo) {
      field.value = photo.caption;
      field.classList.add("is-saved");
      say(gettext("Caption saved."));
    }).catch(function (error) { say(error.message); });
  });
  grid.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.hasAttribute("data-caption")) {
      event.preventDefault(); event.target.blur();
    }
  });

  /* ---- settings: each change is saved at once (the title and the story when they are left,
     the title also when Enter is pressed). A failed save says so and leaves the choice on
     screen; "Make the video" posts the form too, so the render gets what is selected either
     way. ---- */
  var settings = document.getElementById("settings-form");
  var saveState = document.getElementById("save-state");
  var saving = Promise.resolve();
  settings.classList.add("autosaves");

  function showSave(kind, text) {
    saveState.className = "save-state is-" + kind;
    saveState.setAttribute("role", kind === "error" ? "alert" : "status");
    saveState.textContent = text;
  }

  function change(field) {
    if (field.name === "keep_originals") return { keep_originals: field.checked };
    if (field.name === "title") {
      if (field.value.trim()) return { title: field.value };
      showSave("error", gettext("Not saved: give the project a title."));
      return null;
    }
    if (field.name === "story") return { story: field.value };
    if (field.name === "music" && field.value === "own") return null; // the uploaded track stays
    if (["style", "aspect", "resolution", "music"].indexOf(field.name) >= 0) {
      var body = {}; body[field.name] = field.value; return body;
    }
    return null;
  }

  function saveSetting(body) {
    showSave("busy", gettext("Saving…"));
    // One request at a time, in the order the choices were made, so the last choice wins.
    saving = saving.then(function () {
      return api("PATCH", settings.dataset.projectUrl, body).then(function (project) {
        showSave("ok", gettext("Saved"));
        if (body.title !== undefined) document.querySelector("h1").textContent = project.title;
        if (body.story !== undefined) settings.querySelector("#story").value = project.story;
        if (project.music !== "uploaded") {
          var own = settings.querySelector("input[name=music][value=own]");
          if (own) own.closest("label").remove();
        }
      }).catch(function (error) {
        var detail = Object.keys(error.fields || {}).map(function (k) { return error.fields[k][0]; })[0];
        showSave("error", interpolate(gettext("Not saved: %s"), [error.message + (detail ? " " + detail : "")]));
      });
    });
  }

  settings.addEventListener("change", function (event) {
    var body = change(event.target);
    if (body) saveSetting(body);
  });
  settings.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.name === "title") {
      event.preventDefault(); event.target.blur();
    }
  });

  document.getElementById("delete-project").addEventListener("submit", function (event) {
    if (!window.confirm(gettext("Delete this project and all its photos? This cannot be undone."))) event.preventDefault();
  });
})();
