/* Studio: no lost work. Leaving the editor with unsaved text asks first (beforeunload), and a
   text over the size limit is not sent: the message names the limit and the text stays. */
(function () {
  "use strict";
  var source = document.getElementById("source");
  if (!source || source.readOnly) { return; }
  var form = source.form;
  // A text shown but not stored (it waited for a login, or its save was refused) is unsaved.
  var saved = source.hasAttribute("data-unsaved") ? null : source.value;
  var sending = false;
  var unsaved = document.getElementById("source-unsaved");
  var tooLarge = document.getElementById("source-too-large");
  var maxBytes = parseInt(source.getAttribute("data-max-bytes"), 10) || 0;

  function changed() { return source.value !== saved; }

  window.setInterval(function () {
    if (unsaved) { unsaved.hidden = !changed(); }
  }, 1000);

  form.addEventListener("submit", function (event) {
    var size = new Blob([source.value]).size;
    if (maxBytes && size > maxBytes) {
      event.preventDefault();
      if (tooLarge) { tooLarge.hidden = false; tooLarge.scrollIntoView({ block: "center" }); }
      return;
    }
    if (tooLarge) { tooLarge.hidden = true; }
    sending = true;
  });

  window.addEventListener("beforeunload", function (event) {
    if (sending || !changed()) { return; }
    event.preventDefault();
    event.returnValue = "";
  });
}());
