// The studio's YAML editor: CodeMirror 6 on top of the plain textarea, which stays the form
// field. Built by `npm run build` into scan/platform/static/vendor/studio-editor.js (served by
// the app). It completes ids (questions, options, themes, rules, referrals) from the JSON at the
// textarea's data-ids-url, searches with Ctrl+F (in Dutch) and saves with Ctrl+S.
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { defaultHighlightStyle, indentUnit, syntaxHighlighting } from "@codemirror/language";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { EditorSelection, EditorState } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";

// The search panel and the completion list speak Dutch.
const DUTCH = {
  Find: "Zoeken",
  Replace: "Vervangen",
  next: "volgende",
  previous: "vorige",
  all: "alle",
  "match case": "hoofdletters tellen",
  regexp: "patroon",
  "by word": "hele woorden",
  replace: "vervang",
  "replace all": "vervang alle",
  close: "sluiten",
  "current match": "gevonden",
  "on line": "op regel",
  "replaced match on line $": "vervangen op regel $",
  "replaced $ matches": "$ keer vervangen",
  "Go to line": "Ga naar regel",
  go: "ga",
  Completions: "Aanvullen",
};

// Which kinds of id fit after a key: a theme after 'theme:', a question after 'after:' ...
const KINDS_BY_KEY = {
  theme: ["themes"],
  after: ["questions"],
  show_if: ["questions", "options"],
  when: ["questions", "options"],
  referrals: ["referrals"],
  call: ["referrals"],
  fired: ["rules"],
  not_fired: ["rules"],
  rules: ["rules"],
  questions: ["questions"],
  themes: ["themes"],
  id: ["questions", "themes", "rules", "referrals"],
};
const KIND_WORDS = {
  questions: "vraag",
  options: "antwoord",
  themes: "thema",
  rules: "advies",
  referrals: "doorverwijzing",
};

function idCompletion(url) {
  let loaded = null;
  function ids() {
    if (!loaded) {
      loaded = fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((response) => (response.ok ? response.json() : {}))
        .catch(() => ({}));
    }
    return loaded;
  }
  return async (context) => {
    const word = context.matchBefore(/[a-z_][a-z0-9_]*/);
    if (!word || (word.from === word.to && !context.explicit)) {
      return null;
    }
    const line = context.state.doc.lineAt(context.pos);
    const key = /^[\s-]*([a-z_]+):/.exec(line.text.slice(0, context.pos - line.from));
    const wanted = (key && KINDS_BY_KEY[key[1]]) || Object.keys(KIND_WORDS);
    const data = await ids();
    const options = [];
    wanted.forEach((kind) => {
      (data[kind] || []).forEach((item) => {
        options.push({ label: item.id, type: "variable", detail: KIND_WORDS[kind], info: item.info });
      });
    });
    return options.length ? { from: word.from, options, validFor: /^[a-z0-9_]*$/ } : null;
  };
}

function save(textarea) {
  const button = textarea.form && textarea.form.querySelector("button[value=opslaan]");
  if (button) {
    textarea.form.requestSubmit(button);
  }
  return true;
}

function attach(textarea, label) {
  const readOnly = textarea.readOnly;
  const idsUrl = textarea.dataset.idsUrl;
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
        EditorState.phrases.of(DUTCH),
        search({ top: true }),
        highlightSelectionMatches(),
        ...(idsUrl ? [autocompletion({ override: [idCompletion(idsUrl)], icons: false })] : []),
        // No Tab binding: Tab keeps moving the keyboard focus to the next control.
        keymap.of([
          { key: "Mod-s", run: () => save(textarea), preventDefault: true },
          ...completionKeymap,
          ...searchKeymap,
          ...defaultKeymap,
          ...historyKeymap,
        ]),
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
