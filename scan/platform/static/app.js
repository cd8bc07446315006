/* The page's own words in its language: base.html renders them as data-say-* attributes on
   <body>; Dutch when absent. */
function pageWords(name, dutch) {
  "use strict";
  return (document.body && document.body.getAttribute("data-say-" + name)) || dutch;
}

/* Progressive enhancement for the scan pages. Everything works without this script: the
   server decides which questions are shown. With it, conditional questions appear at once. */
(function () {
  "use strict";

  // Quick exit: blank the page at once, then leave through /weg (which ends the scan session)
  // and replace this page in the history. Pressing Shift three times does the same.
  var exitLink = document.querySelector("[data-quick-exit]");
  function quickExit() {
    document.body.hidden = true;
    document.title = "";
    // Answers kept without a connection (offline.js) go too: nothing stays behind.
    try { window.localStorage.removeItem("weerbaarheidsscan-wachtrij"); } catch (e) { /* none */ }
    window.location.replace(exitLink.href);
  }
  if (exitLink) {
    exitLink.addEventListener("click", function (event) {
      event.preventDefault();
      quickExit();
    });
    var hint = document.querySelector("[data-quick-exit-hint]");
    if (hint) { hint.hidden = false; }
    var presses = [];
    document.addEventListener("keyup", function (event) {
      if (event.key !== "Shift") { presses = []; return; }
      var now = Date.now();
      presses = presses.filter(function (time) { return now - time < 5000; });
      presses.push(now);
      if (presses.length >= 3) { quickExit(); }
    });
  }

  // Error summary links (as GOV.UK's): focus the field and show its question (the legend) above
  // it, also on a phone, where the plain link would scroll the question out of sight. When the
  // question and its field do not fit on the screen together, show the field. The CSS
  // scroll-padding keeps either below the quick-exit bar.
  function fitsWith(legend, input) {
    var room = window.innerHeight -
      (parseFloat(window.getComputedStyle(document.documentElement).scrollPaddingTop) || 0);
    return input.getBoundingClientRect().bottom - legend.getBoundingClientRect().top <= room;
  }
  document.querySelectorAll("[data-error-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) { return; }
      event.preventDefault();
      var fieldset = input.closest("fieldset");
      var legend = fieldset && fieldset.querySelector("legend");
      (legend && fitsWith(legend, input) ? legend : input).scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });

  // Put the keyboard focus on an error summary so screen readers announce it.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }

  // "Afdrukken" on the printable questionnaire; without this script the browser's own print.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // Copy the personal link.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-copy"));
    var status = document.querySelector(".copy-status");
    if (!input || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(input.value).then(function () {
        if (status) { status.textContent = pageWords("copied", "De link is gekopieerd."); }
      }, function () {
        input.select();
        if (status) { status.textContent = pageWords("copy-failed", "Kopiëren lukte niet. Selecteer en kopieer de link zelf."); }
      });
    });
  });

  // "Weet ik niet" and "Geen van deze" exclude the other check boxes of the same question, and
  // the other way round; they carry data-exclusive.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!box.matches || !box.matches("input[type=checkbox]") || !box.checked) { return; }
    var question = box.closest("[data-question]");
    if (!question) { return; }
    question.querySelectorAll("input[type=checkbox]").forEach(function (other) {
      if (other === box) { return; }
      if (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive")) {
        other.checked = false;
      }
    });
  });

  // A long theme on a phone: show its questions in parts of about five, with "Volgende
  // vragen" between them. All parts stay in the one form, so nothing is lost; without this
  // script (or on a wide screen, or with errors to fix) every question shows at once.
  var longForm = document.querySelector("form.theme-form");
  var narrow = window.matchMedia && window.matchMedia("(max-width: 40rem)").matches;
  if (longForm && narrow && !document.querySelector(".error-summary")) {
    var blocks = Array.prototype.slice.call(longForm.querySelectorAll("[data-question]"));
    var shownCount = blocks.filter(function (b) { return !b.hidden; }).length;
    if (shownCount > 7) {
      var partsCount = Math.ceil(shownCount / 5);
      var perPart = Math.ceil(shownCount / partsCount);
      var counted = 0;
      blocks.forEach(function (block) {
        var part = Math.min(Math.floor(counted / perPart), partsCount - 1);
        if (!block.hidden) { counted += 1; }
        block.setAttribute("data-part", part);
        var mark = block.nextElementSibling;
        if (mark && mark.classList.contains("repeat-mark")) { mark.setAttribute("data-part", part); }
      });
      var actions = longForm.querySelector(".form-actions");
      var step = document.createElement("div");
      step.className = "part-step";
      var where = document.createElement("p");
      where.className = "part-step__where";
      where.setAttribute("role", "status");
      var more = document.createElement("button");
      more.type = "button";
      more.className = "button";
      more.textContent = pageWords("more", "Volgende vragen");
      step.appendChild(where);
      step.appendChild(more);
      actions.parentNode.insertBefore(step, actions);
      var open = 0;
      var showUpTo = function (last) {
        longForm.querySelectorAll("[data-part]").forEach(function (el) {
          el.classList.toggle("part-later", Number(el.getAttribute("data-part")) > last);
        });
        var done = last >= partsCount - 1;
        more.hidden = done;
        actions.hidden = !done;
        where.textContent = pageWords("part", "Deel {part} van {parts} van dit onderwerp.")
          .replace("{part}", String(last + 1)).replace("{parts}", String(partsCount));
      };
      showUpTo(0);
      more.addEventListener("click", function () {
        open += 1;
        showUpTo(open);
        var first = longForm.querySelector('[data-part="' + open + '"]:not([hidden])');
        if (first) {
          first.setAttribute("tabindex", "-1");
          first.focus();
        }
      });
    }
  }

  // Conditional questions: ask the server which questions the current answers show.
  var form = document.querySelector("form[data-visibility-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  // Tell the server which questions were on screen, so it can show any it opened up since.
  var seen = document.createElement("input");
  seen.type = "hidden"; seen.name = "seen";
  form.appendChild(seen);
  form.addEventListener("submit", function () {
    var ids = [];
    form.querySelectorAll("[data-question]").forEach(function (block) {
      if (!block.hidden) { ids.push(block.getAttribute("data-question")); }
    });
    seen.value = ids.join(",");
  });
  var latest = 0;
  var timer = null;

  function apply(visible) {
    var shown = {};
    visible.forEach(function (id) { shown[id] = true; });
    form.querySelectorAll("[data-question]").forEach(function (block) {
      var on = !!shown[block.getAttribute("data-question")];
      if (on === !block.hidden) { return; }
      block.hidden = !on;
      var fieldset = block.querySelector("fieldset");
      if (fieldset) { fieldset.disabled = !on; }
    });
  }

  function refresh() {
    var request = ++latest;
    fetch(form.getAttribute("data-visibility-url"), {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (data) {
      if (data && request === latest) { apply(data.visible || []); }
    }).catch(function () { /* the server still decides on submit */ });
  }

  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 60);
  });
}());

/* Action plan: one form per tip saves all its fields at once. A change saves the whole form;
   while a save is under way, later changes wait and are sent together when it returns, so
   saves never overtake each other. "Opgeslagen" shows only when the server's answer holds
   exactly what is on screen. Without this script, the save button posts the form. */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }
  document.querySelectorAll("[data-plan-form]").forEach(function (form) {
    var status = form.querySelector(".plan-form__status");
    var button = form.querySelector(".plan-form__save");
    var NOT_SAVED = "Niet opgeslagen. Probeer het opnieuw met de knop Opslaan.";
    var busy = false;
    var again = false;
    function show(text, error) {
      status.classList.toggle("plan-form__status--error", !!error);
      status.textContent = text;
    }
    function onScreen() {
      var who = form.elements.who.value.split(/\s+/).filter(Boolean).join(" ");
      return { state: form.elements.state.value, who: who, due: form.elements.due.value };
    }
    function matches(data, sent) {
      var state = sent.state || ((sent.who || sent.due) ? "gepland" : "");
      return data.saved === true && data.state === state && data.who === sent.who &&
        data.due === sent.due;
    }
    function save() {
      if (busy) { again = true; return; }
      busy = true;
      again = false;
      var sent = onScreen();
      show(pageWords("saving", "Bezig met opslaan…"), false);
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "Accept": "application/json" },
        credentials: "same-origin"
      }).then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) { throw new Error("no answer"); }
        return response.json().then(function (data) {
          if (again) { return; }
          if (response.ok && matches(data, sent)) {
            if (!sent.state && data.state) { form.elements.state.value = data.state; }
            show(pageWords("saved", "Opgeslagen."), false);
          } else {
            show(data.error || pageWords("not-saved", NOT_SAVED), true);
          }
        });
      }).catch(function () {
        if (!again) { show(pageWords("not-saved", NOT_SAVED), true); }
      }).then(function () {
        busy = false;
        if (again) { save(); }
      });
    }
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) { event.preventDefault(); save(); });
    if (button) { button.classList.add("plan-form__save--js"); }
  });
})();
