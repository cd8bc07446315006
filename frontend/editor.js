// The studio's YAML editor: CodeMirror 6 on top of the plain textarea, which stays the form
// field. Built by `npm run build` into scan/static/vendor/studio-editor.js (served by the app).
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { EditorSelection, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

function attach(textarea, label) {
  const readOnly = textarea.readOnly;
  const view = new EditorView({
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        highlightActiveLine(),
        drawSelection(),
        history(),
        indentUnit.of("  "),
        EditorState.tabSize.of(2),
        // Long lines wrap and the editor grows with its text: no scrolling region of its own,
        // so nothing in it is out of reach of the keyboard.
        EditorView.lineWrapping,
        yaml(),
        syntaxHighlighting(defaultHighlightStyle),
        // No Tab binding: Tab keeps moving the keyboard focus to the next control.
        keymap.of([...defaultKeymap, ...historyKeymap]),
        EditorState.readOnly.of(readOnly),
        // The page allows the editor's style sheet by this nonce (no other inline styles).
        EditorView.cspNonce.of(textarea.dataset.styleNonce || ""),
        EditorView.contentAttributes.of({
          "aria-label": label,
          "aria-describedby": textarea.getAttribute("aria-describedby") || "",
          "aria-multiline": "true",
          "aria-readonly": readOnly ? "true" : "false",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) {
            textarea.value = update.state.doc.toString();
          }
        }),
      ],
    }),
  });
  textarea.parentNode.insertAdjacentElement("afterend", view.dom);
  return {
    view,
    goTo(line, column) {
      const doc = view.state.doc;
      const target = doc.line(Math.min(Math.max(line, 1), doc.lines));
      const at = Math.min(target.from + Math.max(column - 1, 0), target.to);
      view.dispatch({
        selection: EditorSelection.cursor(at),
        effects: EditorView.scrollIntoView(at, { y: "center" }),
      });
      view.focus();
    },
  };
}

window.StudioEditor = { attach };
