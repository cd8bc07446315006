/* Jump to a line: a problem's link (href="#regel-12") puts the cursor on that line of the text
   and scrolls it into view, in the CodeMirror editor (source.studioEditor, set by studio.js)
   or in the plain textarea. An address ending in #regel-12 (a link from the publish page)
   jumps on load. Without this script the link still scrolls to the line number. */
(function () {
  "use strict";
  var source = document.getElementById("source");
  if (!source) { return; }

  function offsetOf(line, column) {
    var lines = source.value.split("\n");
    var offset = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i += 1) { offset += lines[i].length + 1; }
    return offset + Math.max(column - 1, 0);
  }

  function jump(line, column) {
    if (!(line > 0)) { return; }
    if (source.studioEditor) { source.studioEditor.goTo(line, column || 1); return; }
    document.querySelectorAll(".studio-gutter .is-marked").forEach(function (mark) {
      mark.classList.remove("is-marked");
    });
    var number = document.getElementById("regel-" + line);
    if (number) {
      number.classList.add("is-marked");
      number.scrollIntoView({ block: "center" });
    }
    var at = offsetOf(line, column || 1);
    source.focus({ preventScroll: true });
    source.setSelectionRange(at, at);
  }

  document.querySelectorAll(".problem-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      jump(parseInt(link.getAttribute("data-line"), 10),
        parseInt(link.getAttribute("data-column"), 10) || 1);
    });
  });

  var wanted = /^#regel-(\d+)$/.exec(window.location.hash);
  if (wanted) { window.setTimeout(function () { jump(parseInt(wanted[1], 10), 1); }, 0); }
}());
