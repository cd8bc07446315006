/* A lost connection loses nothing (issue 25). Without this script a theme page posts as a
   plain form, as always. With it, a save that cannot reach the server is kept in this
   browser's localStorage, filed under the page's scan mark (a keyed hash, never the personal
   link or its token: the scan session cookie is what identifies the scan), the page says so
   in plain words, and the entrepreneur goes on with the theme pages fetched ahead while the
   connection was there (held in this page's memory only, never on disk). When the connection
   returns, the kept saves go to the server one by one, in the order they were made; the server
   merges each page as it does for two tabs, so a save sent twice changes nothing.
   "Snel weg" (app.js) and deleting the scan clear what is kept; the result page clears it too. */
(function () {
  "use strict";
  var markMeta = document.querySelector('meta[name="scan-mark"]');
  if (!markMeta || !window.fetch || !window.FormData || !window.DOMParser) { return; }
  var MARK = markMeta.getAttribute("content");
  var KEY = "weerbaarheidsscan-wachtrij";
  var KEEP_MS = 30 * 24 * 3600 * 1000; // a kept save older than this can no longer matter
  var AHEAD = 3; // theme pages fetched ahead while online
  var RETRY_MS = 15000;
  var status = document.querySelector("[data-offline-status]");
  // The messages in the page's language, rendered by scans/layout.html; Dutch when absent.
  function words(name, dutch) { return (status && status.getAttribute("data-say-" + name)) || dutch; }
  var OFFLINE = words("offline", "Geen verbinding: uw antwoorden staan op dit apparaat en gaan mee " +
    "zodra er weer verbinding is.");
  var NO_PAGE = " " + words("no-page", "De volgende pagina opent zodra er weer verbinding is.");
  var BACK = words("back", "De verbinding is terug. Uw antwoorden zijn opgeslagen.");
  var NO_SESSION = words("no-session", "Uw antwoorden staan nog op dit apparaat. Open uw " +
    "persoonlijke link opnieuw, dan gaan ze mee.");
  var NOT_YET = words("not-yet", "Nog niet al uw antwoorden zijn opgeslagen. We proberen het zo " +
    "opnieuw.");
  var CHECK = words("check", "Deze antwoorden gaf u zonder verbinding. Er klopt een antwoord niet. " +
    "Kijk ze na en sla de pagina opnieuw op.");
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var pages = {}; // path -> HTML of a theme page fetched ahead (memory only)
  var offline = false;
  var busy = null;
  var retry = null;

  function say(text) {
    if (!status) { return; }
    status.classList.toggle("offline-status--ok", text === BACK);
    status.textContent = text;
  }
  function path(url) { var u = new URL(url, window.location.href); return u.pathname + u.search; }
  function pathOnly(url) { return new URL(url, window.location.href).pathname; }

  // --- the queue in localStorage ---------------------------------------------------------
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  function readAll() {
    var s = store();
    if (!s) { return []; }
    try {
      var list = JSON.parse(s.getItem(KEY) || "[]");
      var now = Date.now();
      return Array.isArray(list) ? list.filter(function (e) { return now - e.time < KEEP_MS; }) : [];
    } catch (e) { return []; }
  }
  function writeAll(list) {
    var s = store();
    if (!s) { return false; }
    try {
      if (list.length) { s.setItem(KEY, JSON.stringify(list)); } else { s.removeItem(KEY); }
      return true;
    } catch (e) { return false; }
  }
  function mine() { return readAll().filter(function (e) { return e.mark === MARK; }); }
  function update(id, change) {
    writeAll(readAll().map(function (e) { return e.id === id ? change(e) : e; }).filter(Boolean));
  }
  function forget() { writeAll(readAll().filter(function (e) { return e.mark !== MARK; })); }

  function entryOf(form, submitter) {
    var fields = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrf_token" && typeof value === "string") { fields.push([name, value]); }
    });
    if (submitter && submitter.name) { fields.push([submitter.name, submitter.value]); }
    var id = Date.now().toString(36) + Math.random().toString(36).slice(2);
    return { id: id, mark: MARK, url: form.getAttribute("action"), fields: fields,
      time: Date.now() };
  }

  // --- talking to the server ---------------------------------------------------------------
  // A save sent the moment it was made is checked as a plain post is; one kept a while is
  // marked "wachtrij", so the server drops rather than refuses what no longer shows.
  function post(entry, queued) {
    var body = new FormData();
    entry.fields.forEach(function (field) { body.append(field[0], field[1]); });
    body.append("csrf_token", csrfMeta ? csrfMeta.getAttribute("content") : "");
    if (queued) { body.append("wachtrij", "1"); }
    return fetch(entry.url, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) { return { status: response.status, data: null }; }
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    });
  }

  // Send every kept save of this scan in order; resolve with what happened.
  function sendAll(freshId) {
    var list = mine().filter(function (e) { return !e.stuck; });
    var outcome = { sent: 0, next: null, fresh: null };
    function one(index) {
      if (index >= list.length) { outcome.done = true; return Promise.resolve(outcome); }
      var entry = list[index];
      var queued = entry.id !== freshId;
      return post(entry, queued).then(function (answer) {
        if (answer.data && answer.data.saved) {
          update(entry.id, function () { return null; });
          outcome.sent += 1;
          outcome.next = answer.data.next;
          return one(index + 1);
        }
        if (!queued) { // a fresh save the server refused: let the page show why
          update(entry.id, function () { return null; });
          outcome.fresh = entry;
          return outcome;
        }
        if (answer.status === 422) { // kept without a connection, and an answer does not fit
          update(entry.id, function (e) { e.stuck = true; return e; });
          return one(index + 1);
        }
        if (answer.status === 409) { // submitted meanwhile: nothing can be added any more
          forget();
          outcome.message = answer.data && answer.data.error;
          return outcome;
        }
        outcome.message = answer.status === 403 ? NO_SESSION : NOT_YET;
        return outcome;
      }, function () {
        outcome.offline = true;
        return outcome;
      });
    }
    return one(0);
  }

  function flush(freshId) {
    if (busy) { return busy.then(function () { return flush(freshId); }); }
    var run = function () { return sendAll(freshId); };
    busy = (navigator.locks ? navigator.locks.request(KEY, run) : run()).then(function (outcome) {
      busy = null;
      window.clearTimeout(retry);
      if (outcome.offline || outcome.message === NOT_YET) {
        offline = true;
        retry = window.setTimeout(flush, RETRY_MS);
        say(outcome.offline ? OFFLINE : NOT_YET);
      } else if (outcome.message) {
        say(outcome.message);
      } else if (outcome.sent && offline) {
        offline = false;
        say(BACK);
      }
      return outcome;
    });
    return busy;
  }

  // --- the theme form ------------------------------------------------------------------------
  function plainSubmit(form, submitter) {
    form.setAttribute("data-plain", "");
    if (form.requestSubmit) { form.requestSubmit(submitter || undefined); return; }
    if (submitter && submitter.name) {
      var field = document.createElement("input");
      field.type = "hidden"; field.name = submitter.name; field.value = submitter.value;
      form.appendChild(field);
    }
    form.submit();
  }

  // Go where the server said, as its redirect would have; an address that differs from this
  // one only after "#" would just scroll, so that page is loaded afresh.
  function go(next) {
    var target = new URL(next, window.location.href);
    var here = window.location;
    window.location.assign(target.href);
    if (target.pathname === here.pathname && target.search === here.search) { here.reload(); }
  }

  function goOnWithout(form, action) {
    var target = action === "vorige" ? form.getAttribute("data-previous-url") :
      action === "later" ? null : form.getAttribute("data-next-url");
    if (target && pages[pathOnly(target)]) {
      show(pathOnly(target), true);
      say(OFFLINE);
    } else {
      say(OFFLINE + NO_PAGE);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-offline-form]")) { return; }
    if (form.hasAttribute("data-plain")) { return; }
    var entry = entryOf(form, event.submitter);
    var list = readAll();
    list.push(entry);
    if (!writeAll(list)) { return; } // no storage: post as a plain form
    event.preventDefault();
    flush(entry.id).then(function (outcome) {
      if (outcome.fresh) { plainSubmit(form, event.submitter); return; }
      if (outcome.done && outcome.next) { go(outcome.next); return; }
      if (outcome.offline) { goOnWithout(form, entry.fields.reduce(function (found, f) {
        return f[0] === "action" ? f[1] : found; }, "verder")); }
    });
  });

  // Put the answers of a kept save back into a form: the page as it was left.
  function fill(form, fields) {
    var values = {};
    fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.name === "csrf_token" || el.type === "submit" || el.type === "hidden") { return; }
      var given = values[el.name] || [];
      if (el.type === "checkbox" || el.type === "radio") { el.checked = given.indexOf(el.value) !== -1; }
      else if (el.tagName !== "SELECT" || given.length) { el.value = given.length ? given[0] : ""; }
    });
  }

  function latestFor(pathname, entries) {
    var found = null;
    entries.forEach(function (e) { if (pathOnly(e.url) === pathname) { found = e; } });
    return found;
  }

  // Show a theme page fetched ahead in place of this one, with what was kept for it.
  function show(pathname, push) {
    var doc = new DOMParser().parseFromString(pages[pathname], "text/html");
    var main = document.querySelector("main");
    main.innerHTML = doc.querySelector("main").innerHTML;
    document.title = doc.title;
    if (push) { window.history.pushState({ offline: pathname }, "", pathname); }
    var form = main.querySelector("form[data-offline-form]");
    var kept = latestFor(pathname, mine());
    if (form && kept) { fill(form, kept.fields); }
    window.scrollTo(0, 0);
    var heading = main.querySelector("h1");
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  window.addEventListener("popstate", function () {
    var here = window.location.pathname;
    if (pages[here]) { show(here, false); } else { window.location.reload(); }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.back-link");
    if (!link || !offline || !pages[pathOnly(link.href)]) { return; }
    event.preventDefault();
    show(pathOnly(link.href), true);
  });

  // Fetch the next theme pages while online, following each page's own "next" address.
  function fetchAhead(url, left) {
    if (!url || left <= 0 || pathOnly(url).indexOf("/thema/") === -1) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok || pathOnly(response.url).indexOf("/thema/") === -1) { return; }
        return response.text().then(function (html) {
          var at = pathOnly(response.url);
          if (pages[at]) { return; }
          pages[at] = html;
          var form = new DOMParser().parseFromString(html, "text/html")
            .querySelector("form[data-offline-form]");
          if (form) { fetchAhead(form.getAttribute("data-next-url"), left - 1); }
        });
      }).catch(function () { /* no connection: what is fetched is what there is */ });
  }

  // --- on load --------------------------------------------------------------------------------
  writeAll(readAll()); // what is too old to matter goes
  if (document.querySelector("[data-offline-done]")) { forget(); return; }
  var deleting = document.querySelector("form[data-offline-forget]");
  if (deleting) { deleting.addEventListener("submit", forget); }

  var form = document.querySelector("form[data-offline-form]");
  if (form) {
    var here = window.location.pathname;
    var main = document.querySelector("main").cloneNode(true);
    main.querySelectorAll(".part-step").forEach(function (el) { el.remove(); });
    main.querySelectorAll(".part-later").forEach(function (el) { el.classList.remove("part-later"); });
    main.querySelectorAll(".form-actions").forEach(function (el) { el.hidden = false; });
    pages[here] = "<title>" + document.title.replace(/</g, "&lt;") + "</title><main>" +
      main.innerHTML + "</main>";
    var stuck = latestFor(here, mine().filter(function (e) { return e.stuck; }));
    if (stuck) {
      fill(form, stuck.fields);
      update(stuck.id, function () { return null; });
      say(CHECK);
    }
    fetchAhead(form.getAttribute("data-next-url"), AHEAD);
  }
  window.addEventListener("online", function () { flush(); });
  var waiting = mine().filter(function (e) { return !e.stuck; });
  if (waiting.length) {
    offline = true;
    flush().then(function (outcome) {
      if (outcome.done && outcome.sent && !form) { window.location.reload(); }
    });
  }
}());
