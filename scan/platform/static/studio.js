/* Studio enhancements. Everything works without this script: the line numbers and the
   links from a problem to its line are plain HTML. With it, a problem link also puts the
   cursor on that line and column of the text; where the editor bundle is loaded
   (vendor/studio-editor.js, CodeMirror 6), it takes the textarea's place and keeps it filled. */
(function () {
  "use strict";
  var source = document.getElementById("source");
  if (!source) { return; }

  // Ctrl+S (Cmd+S) saves the draft; the editor bundle binds the same key inside its own view.
  var saveButton = source.form && source.form.querySelector("button[value=opslaan]");
  if (saveButton) {
    source.addEventListener("keydown", function (event) {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "s") {
        event.preventDefault();
        source.form.requestSubmit(saveButton);
      }
    });
  }

  if (window.StudioEditor) {
    var label = document.querySelector("label[for=source]");
    var editor = window.StudioEditor.attach(source, label ? label.textContent.trim() : "YAML");
    source.closest(".studio-editor").hidden = true;
    source.studioEditor = editor;  // for the browser test
    document.querySelectorAll(".problem-link").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        editor.goTo(parseInt(link.getAttribute("data-line"), 10),
          parseInt(link.getAttribute("data-column"), 10) || 1);
      });
    });
    return;
  }

  function offsetOf(line, column) {
    var lines = source.value.split("\n");
    var offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i += 1) { offset += lines[i].length + 1; }
    return offset + Math.max(column - 1, 0);
  }

  document.querySelectorAll(".problem-link").forEach(function (link) {
    link.addEventListener("click", function () {
      var line = parseInt(link.getAttribute("data-line"), 10);
      var column = parseInt(link.getAttribute("data-column"), 10) || 1;
      document.querySelectorAll(".studio-gutter .is-marked").forEach(function (mark) {
        mark.classList.remove("is-marked");
      });
      var number = document.getElementById("regel-" + line);
      if (number) { number.classList.add("is-marked"); }
      var at = offsetOf(line, column);
      source.focus({ preventScroll: true });
      source.setSelectionRange(at, at);
    });
  });

  // Keep the line numbers in step with the text while typing.
  var gutter = document.querySelector(".studio-gutter");
  source.addEventListener("input", function () {
    var wanted = source.value.split("\n").length;
    var have = gutter.children.length;
    for (var n = have + 1; n <= wanted; n += 1) {
      var span = document.createElement("span");
      span.id = "regel-" + n;
      span.textContent = String(n);
      gutter.appendChild(span);
    }
    for (var m = have; m > wanted; m -= 1) { gutter.removeChild(gutter.lastChild); }
    source.rows = wanted + 3;
  });
}());
