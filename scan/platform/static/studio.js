/* Studio enhancements. Everything works without this script: the line numbers and the
   links from a problem to its line are plain HTML (studio-jump.js moves the cursor there).
   Where the editor bundle is loaded
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
    source.studioEditor = editor;  // for studio-jump.js and the browser test
    return;
  }

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
