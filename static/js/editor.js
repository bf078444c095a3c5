// The translator's editor: one active segment at a time, keyboard first.
//
// The server is the truth: every save carries the version the text was based on, and a
// stale save comes back as 409 with both texts. Unsaved text is kept per segment in memory
// and in localStorage (keyed by segment id and version) until the server has it, so
// moving around, filtering, reloading or a conflict never loses what a person typed.
(function () {
  "use strict";

  const editor = document.getElementById("editor");
  if (!editor) return;
  const help = document.getElementById("help");
  const notice = document.getElementById("editor-notice");
  // What this person may do comes from the capability table, written into the page.
  const canApprove = editor.dataset.canApprove === "true";
  const canSendBack = editor.dataset.canSendBack === "true";
  const TOKEN = /\u27e6\/?\d{1,4}\u27e7/g;
  const STORAGE = "wb-draft:";

  // Whether htmx swaps 4xx answers: yes, they carry the message for the person.
  htmx.config.responseHandling = [
    { code: "204", swap: false },
    { code: "[23]..", swap: true },
    { code: "4..", swap: true, error: true },
    { code: "...", swap: false, error: true },
  ];

  let active = null; // {row, id, textarea, saved, version, startedFrom, activatedAt}
  let leaving = false; // our own navigation: no "unsaved text" prompt
  // Moves and saves run one after another, however fast the keys come.
  let queue = Promise.resolve();
  function inTurn(action) {
    queue = queue.then(action, action);
    return queue;
  }

  // Small helpers --------------------------------------------------------------------

  function csrfToken() {
    return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"];
  }

  function segmentUrl(id, tail) {
    return editor.dataset.segmentsUrl.replace(/0\/$/, id + "/") + (tail || "");
  }

  function rowOf(id) {
    return document.getElementById("seg-" + id);
  }

  function allRows() {
    return Array.from(document.querySelectorAll("#rows tr.seg"));
  }

  function say(message, kind) {
    notice.textContent = message;
    notice.className = "editor-notice " + (kind || "");
    notice.hidden = !message;
  }

  function isTextField(element) {
    return (
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement ||
      (element instanceof HTMLInputElement && !["checkbox", "radio", "button", "submit"].includes(element.type)) ||
      (element && element.isContentEditable)
    );
  }

  async function post(url, fields) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: new URLSearchParams(fields),
      credentials: "same-origin",
    });
    return { response, html: await response.text() };
  }

  function rowsFrom(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return Array.from(template.content.querySelectorAll("tr.seg"));
  }

  // Put fresh rows from the server in place of the old ones (the active row included).
  function replaceRows(html) {
    for (const fresh of rowsFrom(html)) {
      const old = rowOf(fresh.dataset.segment);
      if (!old) continue;
      if (active && active.row === old) active = null;
      old.replaceWith(fresh);
      htmx.process(fresh);
    }
  }

  // Unsaved text ------------------------------------------------------------------------

  function keep(segment) {
    const draft = { text: segment.textarea.value, startedFrom: segment.startedFrom };
    localStorage.setItem(STORAGE + segment.id + ":" + segment.version, JSON.stringify(draft));
  }

  function forget(id) {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(STORAGE + id + ":")) localStorage.removeItem(key);
    }
  }

  // The unsaved text of a segment and the version it was based on, if any.
  function keptDraft(id) {
    for (const key of Object.keys(localStorage)) {
      if (!key.startsWith(STORAGE + id + ":")) continue;
      try {
        const draft = JSON.parse(localStorage.getItem(key));
        return { ...draft, version: Number(key.split(":")[2]) };
      } catch {
        localStorage.removeItem(key);
      }
    }
    return null;
  }

  function isDirty(segment) {
    return segment && segment.textarea.value !== segment.saved;
  }

  window.addEventListener("beforeunload", (event) => {
    if (!leaving && isDirty(active)) {
      keep(active);
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Activating a segment --------------------------------------------------------------

  async function activate(row, caretAtStart) {
    if (!row) return;
    if (active && active.row === row) {
      active.textarea.focus();
      return;
    }
    if (active && !(await leave())) return;
    const id = row.dataset.segment;
    const cell = row.querySelector("td.tgt");
    const shown = cell.querySelector(".text");
    const saved = shown.textContent;
    const draft = keptDraft(id);
    const textarea = document.createElement("textarea");
    textarea.name = "text";
    textarea.className = "target-editor";
    textarea.lang = cell.lang;
    textarea.value = draft ? draft.text : saved;
    // Approved text is protected (a reviewer reopens it from the panel), locked text too.
    textarea.readOnly = row.dataset.status === "approved" || row.dataset.locked === "true";
    textarea.setAttribute("aria-label", "Translation of segment " + row.dataset.position);
    textarea.setAttribute("hx-post", segmentUrl(id, "qa/"));
    textarea.setAttribute("hx-trigger", "input changed delay:400ms, qa-refresh");
    textarea.setAttribute("hx-target", "#qa-warnings");
    textarea.setAttribute("hx-swap", "innerHTML");
    shown.hidden = true;
    cell.appendChild(textarea);
    row.classList.add("active");
    active = {
      row,
      id,
      textarea,
      saved,
      // A draft from an older version is saved against that version: the server then
      // shows the conflict instead of letting the old text overwrite the new.
      version: draft ? draft.version : Number(row.dataset.version),
      startedFrom: draft ? draft.startedFrom || "" : "",
      activatedAt: Date.now(),
    };
    lastGood.set(textarea, { text: textarea.value, caret: textarea.value.length });
    htmx.process(textarea);
    fitHeight(textarea);
    textarea.focus();
    const caret = caretAtStart ? 0 : textarea.value.length;
    textarea.setSelectionRange(caret, caret);
    row.scrollIntoView({ block: "nearest" });
    if (draft) say("Restored your unsaved text for segment " + row.dataset.position + ".");
    await htmx.ajax("GET", segmentUrl(id, "panel/"), { target: "#panel", swap: "innerHTML" });
    if (active && active.id === id && isDirty(active)) htmx.trigger(textarea, "qa-refresh");
  }

  function deactivate() {
    if (!active) return;
    const { row, textarea } = active;
    textarea.remove();
    row.querySelector("td.tgt .text").hidden = false;
    const conflict = row.querySelector(".conflict");
    if (conflict) conflict.remove();
    row.classList.remove("active");
    active = null;
  }

  // Moving away saves the text (without confirming); false when the save did not go
  // through (a conflict or a refusal is then on screen, and the person stays).
  async function leave() {
    if (!active) return true;
    if (!isDirty(active)) {
      deactivate();
      return true;
    }
    return (await save("save")).ok;
  }

  function fitHeight(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }

  // Saving ---------------------------------------------------------------------------

  async function save(action, text, version, overrideReason) {
    const segment = active;
    if (!segment) return { ok: false };
    const body = {
      text: text === undefined ? segment.textarea.value : text,
      version: version === undefined ? segment.version : version,
      action,
      started_from: segment.startedFrom,
      seconds: Math.round((Date.now() - segment.activatedAt) / 1000),
      override_reason: overrideReason || "",
      since: cursor,
    };
    keep(segment);
    const { response, html } = await post(segmentUrl(segment.id, "save/"), body);
    if (response.ok) {
      forget(segment.id);
      say("");
      replaceRows(html);
      const answer = document.createElement("template");
      answer.innerHTML = html;
      replaceCounts(answer.content);
      // Nothing but this save changed since the last poll: the next one starts after it.
      if (response.headers.get("X-Changes-Cursor")) cursor = response.headers.get("X-Changes-Cursor");
      pollSoon(POLL_MS);
      return {
        ok: true,
        nextId: response.headers.get("X-Next-Segment"),
        nextPosition: response.headers.get("X-Next-Position"),
      };
    }
    if (response.status === 409) {
      showConflict(segment, html);
    } else if (response.status === 422) {
      showQABlocked(html);
    } else if (response.status === 400) {
      say(textOf(html), "error");
    } else if (response.status === 403) {
      say("Your role in this project does not allow this.", "error");
    } else {
      say("The server did not save the segment (" + response.status + "). Your text is kept in this browser; try again.", "error");
    }
    return { ok: false };
  }

  function textOf(html) {
    const template = document.createElement("template");
    template.innerHTML = html;
    return template.content.textContent.trim();
  }

  async function saveAndStay() {
    if (!active) return;
    const id = active.id;
    if (!isDirty(active)) return say("Nothing to save: the text is as saved.");
    if ((await save("save")).ok) await activate(rowOf(id));
  }

  async function confirmAndMove(action, overrideReason) {
    if (!active) return;
    const id = active.id;
    const result = await save(action, undefined, undefined, overrideReason);
    if (!result.ok) return;
    const next = result.nextId && rowOf(result.nextId);
    if (next) {
      await activate(next);
    } else if (result.nextPosition) {
      // The next unconfirmed segment is not loaded: open the grid from there.
      const url = new URL(location.href);
      url.searchParams.delete("after");
      url.searchParams.set("go", result.nextPosition);
      leaving = true;
      location.assign(url);
    } else {
      await activate(rowOf(id));
      say("Every segment of the document is confirmed.");
    }
  }

  // Blocking QA findings: fix the text, or confirm anyway with a reason -------------

  function showQABlocked(html) {
    notice.innerHTML = "";
    const template = document.createElement("template");
    template.innerHTML = html;
    notice.appendChild(template.content);
    notice.className = "editor-notice error";
    notice.hidden = false;
    notice.querySelector("input[name=override_reason]").focus();
  }

  notice.addEventListener("submit", (event) => {
    const form = event.target.closest("form.qa-override");
    if (!form) return;
    event.preventDefault();
    const reason = form.elements.override_reason.value.trim();
    if (!reason) return;
    say("");
    inTurn(() => confirmAndMove(form.dataset.action, reason));
  });
  notice.addEventListener("click", (event) => {
    if (!event.target.closest("[data-qa-cancel]")) return;
    say("");
    if (active) active.textarea.focus();
  });

  // Conflicts ------------------------------------------------------------------------

  function showConflict(segment, html) {
    const cell = segment.row.querySelector("td.tgt");
    const old = cell.querySelector(".conflict");
    if (old) old.remove();
    const template = document.createElement("template");
    template.innerHTML = html;
    const conflict = template.content.querySelector(".conflict");
    cell.prepend(conflict);
    segment.textarea.hidden = true;
    say("Segment " + segment.row.dataset.position + " was saved by someone else meanwhile; choose which text to keep.", "error");
    conflict.querySelector("[data-conflict=mine]").focus();
  }

  async function resolveConflict(button) {
    const segment = active;
    const conflict = button.closest(".conflict");
    if (!segment || !conflict) return;
    const version = Number(conflict.dataset.version);
    const choice = button.dataset.conflict;
    const id = segment.id;
    if (choice === "theirs") {
      forget(id);
      const response = await fetch(segmentUrl(id), { headers: { "HX-Request": "true" } });
      deactivate();
      replaceRows(await response.text());
      say("");
      await activate(rowOf(id));
      return;
    }
    const text = choice === "mine" ? segment.textarea.value : conflict.querySelector("textarea.merged").value;
    segment.textarea.value = text;
    segment.version = version;
    if ((await save("save", text, version)).ok) await activate(rowOf(id));
  }

  // Protected tags -------------------------------------------------------------------

  function tagSpans(text) {
    return Array.from(text.matchAll(TOKEN), (m) => [m.index, m.index + m[0].length]);
  }

  // Widen [start, end) so that it does not cut a tag in two.
  function widen(start, end, spans) {
    for (const [a, b] of spans) {
      if (a < start && start < b) start = a;
      if (a < end && end < b) end = b;
    }
    return [start, end];
  }

  function replaceText(textarea, start, end, text) {
    textarea.setRangeText(text, start, end, "end");
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function onBeforeInput(event) {
    const textarea = event.target;
    const spans = tagSpans(textarea.value);
    if (!spans.length) return;
    let start = textarea.selectionStart;
    let end = textarea.selectionEnd;
    const type = event.inputType;
    if (start === end && type === "deleteContentBackward") {
      const tag = spans.find(([a, b]) => a < start && start <= b);
      if (!tag) return;
      [start, end] = tag;
    } else if (start === end && type === "deleteContentForward") {
      const tag = spans.find(([a, b]) => a <= start && start < b);
      if (!tag) return;
      [start, end] = tag;
    } else if (start === end) {
      // Typing or pasting inside a tag would break it.
      if (type.startsWith("insert") && spans.some(([a, b]) => a < start && start < b)) event.preventDefault();
      return;
    } else {
      const [wideStart, wideEnd] = widen(start, end, spans);
      if (wideStart === start && wideEnd === end) return;
      [start, end] = [wideStart, wideEnd];
    }
    event.preventDefault();
    const inserted = type.startsWith("insert") ? event.data || (event.dataTransfer && event.dataTransfer.getData("text/plain")) || "" : "";
    replaceText(textarea, start, end, inserted);
  }

  // Whatever got past beforeinput (a word deletion, a drop) must not leave half a tag.
  const lastGood = new WeakMap();
  function brokenTags(text) {
    const rest = text.replace(TOKEN, "");
    return rest.includes("\u27e6") || rest.includes("\u27e7");
  }

  function onInput(event) {
    const textarea = event.target;
    const previous = lastGood.get(textarea);
    if (brokenTags(textarea.value) && previous !== undefined && !brokenTags(previous.text)) {
      textarea.value = previous.text;
      textarea.setSelectionRange(previous.caret, previous.caret);
      say("Tags such as ⟦1⟧ are protected: delete a whole tag with Backspace or Delete next to it.");
      return;
    }
    lastGood.set(textarea, { text: textarea.value, caret: textarea.selectionStart });
    fitHeight(textarea);
    if (active && active.textarea === textarea) keep(active);
  }

  // Arrow keys jump over a tag rather than into it.
  function skipTag(textarea, key) {
    const caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) return false;
    for (const [a, b] of tagSpans(textarea.value)) {
      if (key === "ArrowRight" && caret === a) {
        textarea.setSelectionRange(b, b);
        return true;
      }
      if (key === "ArrowLeft" && caret === b) {
        textarea.setSelectionRange(a, a);
        return true;
      }
    }
    return false;
  }

  function snapOutOfTag(textarea) {
    const caret = textarea.selectionStart;
    if (caret !== textarea.selectionEnd) return;
    const tag = tagSpans(textarea.value).find(([a, b]) => a < caret && caret < b);
    if (tag) textarea.setSelectionRange(tag[1], tag[1]);
  }

  // Actions --------------------------------------------------------------------------

  async function move(step) {
    const rows = allRows();
    if (!active) return activate(rows[0]);
    const index = rows.indexOf(active.row) + step;
    if (index >= 0 && index < rows.length) return activate(rows[index], step < 0);
    const more = document.querySelector("#rows tr.more");
    if (step > 0 && more) {
      await htmx.ajax("GET", more.getAttribute("hx-get"), { target: more, swap: "outerHTML" });
      return move(step);
    }
  }

  function setText(text, startedFrom) {
    if (!active) return;
    active.textarea.hidden = false;
    active.startedFrom = startedFrom;
    replaceText(active.textarea, 0, active.textarea.value.length, text);
    active.textarea.focus();
  }

  function copySource() {
    if (!active) return;
    setText(active.row.querySelector("td.src .text").textContent, "");
  }

  // The panel's offers, issues and boxes belong to the active segment only once it has
  // loaded; the keys for them wait in turn behind the move that loads it.
  function panelOfActive() {
    const panel = document.querySelector("#panel .panel-inner");
    return active && panel && panel.dataset.segment === active.id ? panel : null;
  }

  function insertOffer(number) {
    const panel = panelOfActive();
    if (!panel) return say("Choose a segment first.");
    const offer = panel.querySelector('[data-offer="' + number + '"]');
    if (!offer) return say("There is no suggestion " + number + " for this segment.");
    setText(offer.dataset.text, offer.dataset.startedFrom);
  }

  // Awaited, so that a confirm pressed right after it saves the applied suggestion.
  async function acceptFirstIssue() {
    const panel = panelOfActive();
    const form = panel && panel.querySelector("form.accept.annotator");
    if (!form) return say("No open Annotator issue on this segment.");
    await htmx.ajax("POST", form.getAttribute("hx-post"), { source: form, target: "#panel", swap: "innerHTML" });
  }

  function focusInPanel(selector, missing) {
    const panel = panelOfActive();
    const field = panel && panel.querySelector(selector);
    if (!field) return say(missing);
    field.scrollIntoView({ block: "nearest" });
    field.focus();
  }

  async function restore(url) {
    if (!active) return;
    const segment = active;
    const { response, html } = await post(url, { version: segment.version });
    if (response.ok) {
      forget(segment.id);
      replaceRows(html);
      await activate(rowOf(segment.id));
    } else if (response.status === 409) {
      showConflict(segment, html);
    } else {
      say(textOf(html), "error");
    }
  }

  // Back from a box to the active segment (or the grid's first row when none is active).
  function backToSegment() {
    if (document.activeElement && document.activeElement.blur) document.activeElement.blur();
    if (active) return active.textarea.focus();
    const first = allRows()[0];
    if (first) inTurn(() => activate(first));
  }

  // History and Restore in two keys: Ctrl+Shift+H lands on the newest Restore, Enter restores.
  function focusRestore() {
    const panel = panelOfActive();
    const button = panel && panel.querySelector("[data-restore]");
    if (!button) return say("No earlier version of this segment can be restored.");
    button.scrollIntoView({ block: "nearest" });
    button.focus();
  }

  // Concordance (Ctrl+K): the text selected in the target or the source is the query.
  function openConcordance() {
    const panel = panelOfActive();
    const field = panel && panel.querySelector("#concordance-q");
    if (!field) return say("Choose a segment first.");
    let selected = "";
    const box = active.textarea;
    if (box.selectionEnd > box.selectionStart) selected = box.value.slice(box.selectionStart, box.selectionEnd);
    else selected = String(window.getSelection() || "");
    selected = selected.replace(TOKEN, " ").replace(/\s+/g, " ").trim();
    if (selected) field.value = selected;
    field.scrollIntoView({ block: "nearest" });
    field.focus();
    field.select();
    if (field.value) field.form.requestSubmit();
  }

  // Down from the query to the hits' Insert buttons, up and down between them.
  function moveInHits(from, step) {
    const buttons = Array.from(document.querySelectorAll("#concordance-results [data-concordance-insert]"));
    const at = buttons.indexOf(from);
    const next = at === -1 ? buttons[0] : buttons[at + step];
    if (next) next.focus();
    else if (step < 0) document.getElementById("concordance-q").focus();
  }

  // A hit's translation goes in at the caret (over the selection) of the active segment.
  function insertHit(button) {
    if (!active) return say("Choose a segment first.");
    const hit = button.closest(".concordance-hit");
    const text = hit.querySelector(".hit-target").textContent;
    const box = active.textarea;
    if (box.readOnly) return say("This segment's text is protected.");
    const start = box.selectionStart;
    replaceText(box, start, box.selectionEnd, text);
    box.focus();
  }

  function toggleHelp() {
    if (help.open) help.close();
    else help.showModal();
  }

  // Events ---------------------------------------------------------------------------

  document.addEventListener("keydown", (event) => {
    const ctrl = event.ctrlKey || event.metaKey;
    const inText = isTextField(event.target);
    const inPanelForm = event.target.closest && event.target.closest("#panel form, #filters");
    const key = event.key;
    const handle = (action) => {
      event.preventDefault();
      action();
    };

    // Help from anywhere on F1 or Ctrl+/; "?" only outside text boxes, where it is text.
    if (key === "F1" || (ctrl && (key === "/" || event.code === "Slash"))) return handle(toggleHelp);
    if (key === "?" && !inText && !ctrl && !event.altKey) return handle(toggleHelp);
    if (help.open) return;
    if (key === "Escape" && active && event.target === active.textarea) return handle(() => active.textarea.blur());
    // Esc in any other box (a panel form, the filters, the search, the concordance) goes
    // back to the segment being worked on.
    if (key === "Escape" && (inText || inPanelForm || event.target.closest("#panel, #filters"))) return handle(backToSegment);
    // A box that went away (a sent comment's panel reloaded) leaves the focus nowhere.
    if (key === "Escape" && active && event.target === document.body) return handle(backToSegment);
    if (ctrl && event.shiftKey && event.code === "KeyH") return handle(() => inTurn(focusRestore));
    if (ctrl && !event.shiftKey && event.code === "KeyK") return handle(() => inTurn(openConcordance));
    if (key === "ArrowDown" && event.target.id === "concordance-q") return handle(() => moveInHits(event.target, 1));
    if ((key === "ArrowDown" || key === "ArrowUp") && event.target.matches && event.target.matches("[data-concordance-insert]")) {
      return handle(() => moveInHits(event.target, key === "ArrowDown" ? 1 : -1));
    }
    if (ctrl && key === "Enter" && !event.shiftKey && inPanelForm) return handle(() => inPanelForm.requestSubmit());
    if (ctrl && key === "Enter" && !event.shiftKey) return handle(() => inTurn(() => confirmAndMove("confirm")));
    if (ctrl && key === "Enter" && event.shiftKey && canApprove) return handle(() => inTurn(() => confirmAndMove("approve")));
    if ((ctrl || event.altKey) && !event.shiftKey && key === "ArrowDown") return handle(() => inTurn(() => move(1)));
    if ((ctrl || event.altKey) && !event.shiftKey && key === "ArrowUp") return handle(() => inTurn(() => move(-1)));
    if (ctrl && event.shiftKey && event.code === "KeyS") return handle(copySource);
    if (ctrl && !event.shiftKey && event.code === "KeyS") return handle(() => inTurn(saveAndStay));
    if ((ctrl || event.altKey) && !event.shiftKey && /^Digit[1-9]$/.test(event.code)) return handle(() => inTurn(() => insertOffer(event.code.slice(5))));
    if (ctrl && event.shiftKey && event.code === "KeyA") return handle(() => inTurn(acceptFirstIssue));
    if (ctrl && event.shiftKey && event.code === "KeyM") return handle(() => inTurn(() => focusInPanel("#comment-text", "Choose a segment first.")));
    if (ctrl && event.shiftKey && event.code === "KeyE") return handle(() => inTurn(() => focusInPanel("#ask-instruction", "The agents cannot be asked here: no model endpoint is configured, or no segment is chosen.")));
    if (ctrl && event.shiftKey && key === "Backspace" && canSendBack) return handle(() => inTurn(() => focusInPanel("#send-back-text", "Only confirmed or approved segments can be sent back.")));
    if (ctrl && !event.shiftKey && event.code === "KeyG") return handle(() => document.getElementById("id_go").focus());
    if (ctrl && event.shiftKey && event.code === "KeyF") return handle(() => document.getElementById("id_q").focus());
    if (active && event.target === active.textarea && (key === "ArrowLeft" || key === "ArrowRight") && !event.shiftKey && !ctrl && !event.altKey) {
      if (skipTag(active.textarea, key)) event.preventDefault();
    }
  });

  editor.addEventListener("beforeinput", (event) => {
    if (event.target.classList.contains("target-editor")) onBeforeInput(event);
  });
  editor.addEventListener("input", (event) => {
    if (event.target.classList.contains("target-editor")) onInput(event);
  });
  editor.addEventListener("click", (event) => {
    const target = event.target;
    if (target.classList && target.classList.contains("target-editor")) return snapOutOfTag(target);
    const conflictButton = target.closest("[data-conflict]");
    if (conflictButton) return resolveConflict(conflictButton);
    const insert = target.closest("[data-insert]");
    if (insert) return insertOffer(insert.dataset.insert);
    const hitButton = target.closest("[data-concordance-insert]");
    if (hitButton) return insertHit(hitButton);
    const restoreButton = target.closest("[data-restore]");
    if (restoreButton) return restore(restoreButton.dataset.restore);
    const action = target.closest("[data-editor-action]");
    if (action) return inTurn(() => confirmAndMove(action.dataset.editorAction));
    const row = target.closest("#rows tr.seg");
    if (row && !target.closest(".conflict")) inTurn(() => activate(row));
  });
  document.getElementById("help-open").addEventListener("click", toggleHelp);

  // Panel forms that need the text being edited (accepting an issue) get it here, and
  // bulk approval the rows on screen with the versions they show.
  document.body.addEventListener("htmx:configRequest", (event) => {
    const element = event.detail.elt;
    if (element.hasAttribute && element.hasAttribute("data-with-text") && active) {
      event.detail.parameters.text = active.textarea.value;
    }
    if (element.id === "bulk-approve") {
      event.detail.parameters.seen = allRows()
        .map((row) => row.dataset.segment + ":" + row.dataset.version)
        .join(",");
    }
  });
  // Accepting an issue applied its suggestion: the text changes like any other edit.
  document.body.addEventListener("apply-text", (event) => {
    if (active && String(event.detail.segment) === active.id) setText(event.detail.text, active.startedFrom);
  });
  // A send-back or a reopening changed the row's status and version.
  document.body.addEventListener("segment-changed", async (event) => {
    const id = String(event.detail.segment);
    const wasActive = active && active.id === id;
    if (wasActive) {
      if (isDirty(active)) keep(active);
      deactivate();
    }
    const response = await fetch(segmentUrl(id), { headers: { "HX-Request": "true" } });
    replaceRows(await response.text());
    if (wasActive) await activate(rowOf(id));
  });
  // Bulk approval changed many rows: reload the grid (unsaved text stays in storage).
  document.body.addEventListener("grid-changed", () => {
    if (isDirty(active)) keep(active);
    deactivate();
    htmx.ajax("GET", location.href, { target: "#grid", swap: "outerHTML" });
  });
  // Ticks and dates apply at once; the search and "go to #" boxes only on Enter or Apply
  // (their "change" would fetch a second grid). Decided here rather than in an htmx
  // trigger filter, which htmx would have to evaluate as code (allowEval is off).
  const filterForm = document.getElementById("filters");
  if (filterForm) {
    filterForm.addEventListener("change", (event) => {
      if (event.target.type !== "search" && event.target.type !== "number") {
        htmx.trigger(filterForm, "filters-changed");
      }
    });
  }
  // A new grid (filters) drops the active row; its unsaved text is in storage.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target.id === "grid" && active) {
      if (isDirty(active)) keep(active);
      deactivate();
    }
  });

  // What changed elsewhere --------------------------------------------------------------
  // Polled rather than pushed: the web runs on sync workers, which a long-lived event
  // stream per open editor would each tie up. One GET answers with the rows changed
  // since the cursor (anyone's save, propagation, bulk approval, an agent's revision)
  // and the status counts, or with an empty 204 when the document's change stamp has
  // not moved. The page asks every POLL_MS while things change or the person works,
  // waits twice as long after each empty answer up to POLL_MAX_MS, does not ask while
  // the tab is hidden, and asks at once when the person comes back to the page or after
  // a panel action; their own save brings its rows and counts itself.
  const POLL_MS = 3000;
  const POLL_MAX_MS = 30000;
  let cursor = editor.dataset.cursor || "";
  let polling = false;
  let pollAgain = false;
  let pollDelay = POLL_MS;
  let pollTimer = null;
  let pollDue = 0;

  function schedulePoll(delay) {
    clearTimeout(pollTimer);
    pollTimer = null;
    if (document.visibilityState === "hidden") return; // asked again on coming back
    pollDue = Date.now() + delay;
    pollTimer = setTimeout(pollChanges, delay);
  }

  // Something happened here: ask within `delay`, and every POLL_MS again from then on.
  function pollSoon(delay) {
    pollDelay = POLL_MS;
    if (polling) {
      if (delay === 0) pollAgain = true;
    } else if (pollTimer === null || pollDue - Date.now() > delay) {
      schedulePoll(delay);
    }
  }

  async function pollChanges() {
    if (polling || !cursor) return;
    polling = true;
    pollAgain = false;
    clearTimeout(pollTimer);
    pollTimer = null;
    let changed = false;
    try {
      const url = editor.dataset.changesUrl + "?since=" + encodeURIComponent(cursor);
      const response = await fetch(url, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
      if (response.status !== 200) return; // 204: nothing changed
      const template = document.createElement("template");
      template.innerHTML = await response.text();
      const answer = template.content.querySelector("[data-cursor]");
      replaceCounts(template.content);
      await inTurn(() => applyChanges(Array.from(template.content.querySelectorAll("tr.seg"))));
      if (answer) cursor = answer.dataset.cursor;
      changed = true;
    } catch {
      // Offline for a moment: a later poll catches up.
    } finally {
      polling = false;
      pollDelay = changed ? POLL_MS : Math.min(pollDelay * 2, POLL_MAX_MS);
      schedulePoll(pollAgain ? 0 : pollDelay);
    }
  }

  // The status counts an answer brings, in place of those shown.
  function replaceCounts(content) {
    const counts = content.getElementById("status-counts");
    const shown = document.getElementById("status-counts");
    if (counts && shown) shown.replaceWith(counts);
  }

  async function applyChanges(freshRows) {
    for (const fresh of freshRows) {
      const old = rowOf(fresh.dataset.segment);
      if (!old) continue;
      const isActive = active && active.row === old;
      if (!isActive) {
        old.replaceWith(fresh);
        htmx.process(fresh);
        continue;
      }
      const sameVersion = Number(fresh.dataset.version) === active.version;
      if (isDirty(active) && !sameVersion) {
        // Never overwrite what the person is typing: say so; their save shows the conflict.
        old.classList.add("changed-elsewhere");
        say("Segment " + old.dataset.position + " was changed elsewhere while you were typing; your text stays, and saving shows both versions.", "warning");
        continue;
      }
      const focused = document.activeElement;
      const hadFocus = focused === active.textarea;
      const id = active.id;
      if (!sameVersion && !hadFocus && userElsewhere()) {
        old.classList.add("changed-elsewhere");
        say("Segment " + old.dataset.position + " was changed elsewhere; go back to it to see the new text.", "warning");
      } else if (!sameVersion) {
        deactivate();
        old.replaceWith(fresh);
        htmx.process(fresh);
        await activate(rowOf(id));
        if (!hadFocus && active) active.textarea.blur();
      } else if (!panelBusy()) {
        // A suggestion arrived (an agent's revision): refresh the panel.
        await htmx.ajax("GET", segmentUrl(id, "panel/"), { target: "#panel", swap: "innerHTML" });
      }
    }
  }

  // Someone typing in a panel box keeps their panel until they leave it.
  function panelBusy() {
    const focused = document.activeElement;
    return focused && focused.closest && focused.closest("#panel") && isTextField(focused) && focused.value;
  }

  schedulePoll(POLL_MS);
  document.body.addEventListener("htmx:afterRequest", (event) => {
    const element = event.detail.elt;
    if (event.detail.successful && element && element.closest && element.closest("#panel, #bulk-approve")) pollSoon(0);
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") schedulePoll(0); // stops: nobody is looking
    else pollSoon(0);
  });
  window.addEventListener("focus", () => pollSoon(0));

  // Opened (or filtered) with "go to #N": start on that segment.
  // (After settling: htmx restores the old rows' attributes until then.)
  // Earlier rows put above the view (scrolling up after "go to #") leave the rows in
  // view where they are.
  let anchor = null;
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const target = event.detail.target;
    if (!target.classList || !target.classList.contains("less")) return;
    const below = target.nextElementSibling;
    anchor = below ? { row: below, top: below.getBoundingClientRect().top } : null;
  });
  document.body.addEventListener("htmx:afterSwap", () => {
    if (!anchor || !anchor.row.isConnected) return;
    const moved = anchor.row.getBoundingClientRect().top - anchor.top;
    anchor = null;
    if (Math.abs(moved) > 1) window.scrollBy(0, moved);
  });

  // Only the grid that was asked for with a number starts there (not a grid from an
  // earlier tick that lands while the number is being typed), and the latest grid asked
  // for wins: an older one settling late activates nothing.
  let gridAsked = 0;
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.target && event.detail.target.id === "grid") gridAsked += 1;
  });
  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target.id !== "grid") return;
    const asked = gridAsked;
    const xhr = event.detail.xhr;
    const wentTo = xhr && xhr.responseURL && new URL(xhr.responseURL).searchParams.get("go");
    if (!wentTo) return;
    inTurn(() => {
      if (asked !== gridAsked || userElsewhere(document.getElementById("id_go"))) return;
      return activate(goneTo(wentTo));
    });
  });
  // The row asked for by "go to #N" (or the first after it under the filters); the
  // rows above it load when scrolled to.
  function goneTo(number) {
    const rows = allRows();
    return rows.find((row) => Number(row.dataset.position) >= Number(number)) || rows[0];
  }
  // Whether the person has moved to a box of their own (a filter, the search, a panel
  // form): an activation that was started earlier then leaves the focus where it is.
  function userElsewhere(allowed) {
    const focused = document.activeElement;
    if (!focused || focused === document.body || focused === allowed) return false;
    if (focused.classList.contains("target-editor")) return false;
    return isTextField(focused);
  }
  // Otherwise on the first segment waiting for this person, so the keyboard can start
  // at once: a reviewer's next confirmed segment, a translator's next unconfirmed one.
  function firstWaiting() {
    const waiting = canApprove ? ["translated"] : ["new", "drafted", "rejected"];
    const rows = allRows();
    return rows.find((row) => waiting.includes(row.dataset.status)) || rows[0];
  }
  const opening = gridAsked;
  const openingGo = new URL(location.href).searchParams.get("go");
  const openWith = () => (openingGo ? goneTo(openingGo) : firstWaiting());
  inTurn(() => (opening !== gridAsked || userElsewhere() ? null : activate(openWith())));
})();
