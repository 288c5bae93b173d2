// The studio page: views drawn from the JSON API, edits collected from the forms, Try it on every view.
// Plain JavaScript, no build step, nothing from the internet. Bot texts are shown with telegram.js (inert parsing).
"use strict";

(() => {
  const T = window.TelegramHtml;
  const LANG_NAMES = { nl: "Nederlands (nl)", en: "English (en)" };
  const REASONS = {
    unanswered: "The bot had no answer",
    thumbs_down: "Answered, but the person pressed 👎",
    clarify_not_taken: "The bot asked \"did you mean\", the person chose none",
    low_margin: "Answered, but the bot was unsure",
  };
  const $ = (id) => document.getElementById(id);
  let current = { collect: () => [], what: "" };  // the view on screen: its edits and a summary of them
  let uid = 0;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }
  const nextId = (prefix) => `${prefix}-${++uid}`;

  function cookie(name) {
    const found = document.cookie.split("; ").find((c) => c.startsWith(name + "="));
    return found ? decodeURIComponent(found.slice(name.length + 1)) : "";
  }

  async function api(path, body) {
    const options = body === undefined ? {} : {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-XSRFToken": cookie("_xsrf") },
      body: JSON.stringify(body),
    };
    const response = await fetch(path, options);
    if (response.status === 401) { window.location.href = "/login"; throw new Error("log in first"); }
    let data;
    try { data = await response.json(); } catch { data = { ok: false, error: `the studio answered ${response.status}` }; }
    return data;
  }

  function toast(text) {
    const box = $("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  function view(title, ...children) {
    const main = $("view");
    main.replaceChildren(el("h1", { text: title }), ...children);
    document.title = `${title} - FAQ bot studio`;
    for (const link of document.querySelectorAll("[data-nav]")) {
      const on = window.location.hash.startsWith(`#/${link.dataset.nav.replace(/s$/, "")}`);
      if (on) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
    }
    return main;
  }

  // -- fields and their problems --------------------------------------------------------------------

  function labelled(labelText, control, fieldName, hint) {
    control.id = control.id || nextId("f");
    if (fieldName) control.dataset.field = fieldName;
    const wrap = el("div", { class: "field" }, el("label", { for: control.id, text: labelText }));
    if (hint) {
      const hintId = nextId("h");
      wrap.append(el("p", { class: "hint", id: hintId, text: hint }));
      control.setAttribute("aria-describedby", hintId);
    }
    wrap.append(control);
    return wrap;
  }

  function clearProblems() {
    for (const node of document.querySelectorAll(".field-problem, .problem-summary")) node.remove();
    for (const node of document.querySelectorAll("[aria-invalid]")) {
      node.removeAttribute("aria-invalid");
      node.classList.remove("invalid");
    }
  }

  function fieldFor(name) {
    if (!name) return null;
    const parts = name.split(":");
    for (let n = parts.length; n > 1; n--) {
      const found = document.querySelector(`[data-field="${CSS.escape(parts.slice(0, n).join(":"))}"]`);
      if (found) return found;
    }
    return null;
  }

  function problemText(p) {
    return `${p.message[0].toUpperCase()}${p.message.slice(1)}: ${p.fix}.`;
  }

  function showProblems(problems, error) {
    clearProblems();
    const errors = problems.filter((p) => p.severity === "error");
    const elsewhere = [];
    let first = null;
    for (const p of errors) {
      const field = fieldFor(p.field);
      if (!field) { elsewhere.push(p); continue; }
      field.classList.add("invalid");
      field.setAttribute("aria-invalid", "true");
      const id = nextId("p");
      const note = el("p", { class: "field-problem", id }, el("strong", { text: "Problem: " }), problemText(p),
        el("span", { class: "where", text: ` (${p.where})` }));
      field.insertAdjacentElement("afterend", note);
      field.setAttribute("aria-describedby", `${field.getAttribute("aria-describedby") || ""} ${id}`.trim());
      first = first || field;
    }
    const summary = el("div", { class: "problem-summary", role: "alert" },
      el("p", { text: error || `Not saved: ${errors.length} problem(s). Nothing was written.` }));
    if (elsewhere.length) {
      summary.append(el("ul", {}, elsewhere.map((p) => el("li", {}, problemText(p),
        el("span", { class: "where", text: ` (${p.where})` })))));
    }
    $("view").querySelector("h1").insertAdjacentElement("afterend", summary);
    (first || summary).focus?.();
  }

  async function save() {
    const edits = current.collect();
    const data = await api("/api/save", { edits, what: current.what });
    if (data.saved) {
      clearProblems();
      toast(`Saved (save ${data.entry.id}). The bot uses it now.`);
      await route();
      return true;
    }
    if (data.problems && data.problems.length) showProblems(data.problems, data.error);
    else showProblems([], data.error || "Not saved.");
    return false;
  }

  function saveBar(label) {
    return el("div", { class: "save-bar" },
      el("button", { type: "button", class: "primary", id: "save", onclick: save, text: label || "Save" }),
      el("p", { class: "hint", text: "Saving checks everything first, as `faqbot check` does; nothing with an error is written." }));
  }

  // -- lists of texts (examples, buttons) -------------------------------------------------------------

  function textList(legend, values, fieldName, addLabel) {
    const list = el("ul", { class: "text-list" });
    const box = el("fieldset", { class: "list-field", "data-field": fieldName }, el("legend", { text: legend }), list);
    const add = (value) => {
      const input = el("input", { type: "text", value, "aria-label": `${legend}: item`, class: "item" });
      const remove = el("button", { type: "button", class: "small", text: "Remove",
        "aria-label": `Remove "${value || "new item"}" from ${legend}`,
        onclick: () => { li.remove(); newInput.focus(); } });
      input.addEventListener("input", () => remove.setAttribute("aria-label", `Remove "${input.value}" from ${legend}`));
      const li = el("li", {}, input, remove);
      list.append(li);
      return input;
    };
    values.forEach(add);
    const newInput = el("input", { type: "text", id: nextId("new"), class: "new-item" });
    const addButton = el("button", { type: "button", class: "small", text: addLabel, onclick: () => {
      if (!newInput.value.trim()) { newInput.focus(); return; }
      add(newInput.value.trim());
      newInput.value = "";
      newInput.focus();
    } });
    newInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter") { event.preventDefault(); addButton.click(); }
    });
    box.append(el("div", { class: "add-row" }, el("label", { for: newInput.id, class: "sr-only", text: addLabel }),
      newInput, addButton));
    box.values = () => [...list.querySelectorAll("input.item")].map((i) => i.value.trim()).filter(Boolean);
    return box;
  }

  function buttonList(lang, buttons, fieldName, onChange) {
    const list = el("ul", { class: "button-list" });
    const box = el("fieldset", { class: "list-field", "data-field": fieldName },
      el("legend", { text: `Link buttons (${lang})` }), list);
    const add = (button) => {
      const label = el("input", { type: "text", value: button.label, "aria-label": "Button label", oninput: onChange });
      const url = el("input", { type: "url", value: button.url, "aria-label": "Web address", oninput: onChange });
      const li = el("li", {}, label, url, el("button", { type: "button", class: "small", text: "Remove",
        "aria-label": `Remove the button ${button.label || ""}`.trim(), onclick: () => { li.remove(); onChange(); } }));
      list.append(li);
      return label;
    };
    buttons.forEach(add);
    box.append(el("button", { type: "button", class: "small", text: "Add a link button",
      onclick: () => { add({ label: "", url: "https://" }).focus(); onChange(); } }));
    box.values = () => [...list.querySelectorAll("li")].map((li) => {
      const [label, url] = li.querySelectorAll("input");
      return { label: label.value.trim(), url: url.value.trim() };
    }).filter((b) => b.label || b.url);
    return box;
  }

  // -- topics ------------------------------------------------------------------------------------------

  async function topicsView() {
    const data = await api("/api/topics");
    const search = el("input", { type: "search", id: "topic-search" });
    const list = el("ul", { class: "topic-list" });
    const draw = () => {
      const q = search.value.trim().toLowerCase();
      list.replaceChildren(...data.topics.filter((t) => !q || t.id.includes(q) ||
        Object.values(t.titles).some((title) => (title || "").toLowerCase().includes(q))).map((t) => el("li", {},
        el("a", { href: `#/topic/${t.id}` }, Object.values(t.titles).find(Boolean) || t.id),
        el("span", { class: "muted", text: ` ${t.id} · ${t.group} · ${t.examples} examples` }),
        t.missing.length ? el("span", { class: "badge missing", text: `missing: ${t.missing.join(", ")}` }) : null)));
    };
    search.addEventListener("input", draw);
    draw();
    view("Topics", labelled("Search topics", search), list);
    current = { collect: () => [], what: "" };
  }

  function answerColumn(topic, lang, onChange) {
    const data = topic.langs[lang];
    const answer = data.answer || { title: "", text: "", source: "", buttons: [] };
    const f = (name) => `answer:${topic.id}:${lang}:${name}`;
    const title = el("input", { type: "text", value: answer.title, maxlength: "60", oninput: onChange });
    const source = el("input", { type: "text", value: answer.source, oninput: onChange });
    const text = el("textarea", { rows: "8", oninput: onChange });
    text.value = answer.text;
    const buttons = buttonList(lang, answer.buttons, f("buttons"), onChange);
    const preview = el("div", { class: "preview", "aria-label": `Preview (${lang}) as Telegram shows it`, role: "region" });
    const measure = el("p", { class: "measure" });
    const drawPreview = () => {
      preview.replaceChildren(T.bubble(text.value, buttons.values().map((b) => [b])));
      const m = T.measure(text.value);
      measure.textContent = `${m.chars} characters · about ${m.lines} lines on a phone` +
        (m.chars > 900 ? " · long: people read this on a phone" : "");
    };
    drawPreview();
    const column = el("section", { class: "lang-column", lang, "aria-labelledby": `col-${lang}` },
      el("h2", { id: `col-${lang}` }, LANG_NAMES[lang] || lang,
        data.answer ? null : el("span", { class: "badge missing", text: "translation missing" })),
      el("div", { "data-field": `answer:${topic.id}:${lang}` }),
      labelled("Title (button label)", title, f("title")),
      labelled("Answer text", text, f("text"), "Telegram HTML: <b>bold</b>, <i>italic</i>, <a href=\"https://…\">link</a>."),
      el("h3", { text: "Preview" }), preview, measure,
      buttons,
      labelled("Source section", source, f("source"), "The section of the source document the facts come from."));
    const examples = textList(`Example questions (${lang})`, data.examples, `intent:${topic.id}:examples:${lang}`,
      `Add an example question (${lang})`);
    const keywords = el("textarea", { rows: "2" });
    keywords.value = data.keywords.join(", ");
    if (!data.examples.length) column.append(el("p", { class: "badge missing", text: `no ${lang} example questions` }));
    column.append(examples, labelled(`Keywords (${lang}), separated by commas`, keywords,
      `intent:${topic.id}:keywords:${lang}`));
    column.addEventListener("input", drawPreview);
    column.addEventListener("click", () => setTimeout(drawPreview));
    return {
      column,
      edit: () => ({ kind: "answer", intent: topic.id, lang, title: title.value, text: text.value,
        source: source.value, buttons: buttons.values() }),
      examples: () => examples.values(),
      keywords: () => keywords.value.split(",").map((k) => k.trim()).filter(Boolean),
    };
  }

  async function topicView(id) {
    const data = await api(`/api/topic/${encodeURIComponent(id)}`);
    if (!data.ok) { view("Topic not found", el("p", { text: data.error })); return; }
    const topic = data.topic;
    const columns = topic.languages.map((lang) => answerColumn(topic, lang, () => {}));
    const related = el("fieldset", { class: "related", "data-field": `intent:${topic.id}:related` },
      el("legend", { text: "Related topics (offered as buttons after the answer)" }),
      el("div", { class: "related-list" }, topic.all_topics.filter((t) => t.id !== topic.id).map((t) => {
        const box = el("input", { type: "checkbox", id: nextId("rel"), value: t.id,
          checked: topic.related.includes(t.id) });
        return el("div", { class: "check-row" }, box, el("label", { for: box.id, text: `${t.title} (${t.id})` }));
      })));
    const main = view(topic.out_of_scope ? `Off-topic examples: ${topic.id}` :
      `Topic: ${Object.values(topic.langs).map((l) => l.answer && l.answer.title).find(Boolean) || topic.id}`,
      el("p", { class: "muted", text: `Topic id ${topic.id}, group ${topic.group}` +
        (topic.check ? ` · guided check: ` : "") }, topic.check ? el("a", { href: `#/check/${topic.check}`, text: topic.check }) : null),
      el("div", { "data-field": `intent:${topic.id}` }),
      el("div", { class: "columns" }, columns.map((c) => c.column)),
      related, saveBar());
    main.querySelector("h1").setAttribute("data-field", `intent:${topic.id}:group`);
    current = {
      what: `topic ${topic.id}`,
      collect: () => [
        ...(topic.out_of_scope ? [] : columns.map((c) => c.edit())),
        { kind: "intent", id: topic.id,
          examples: Object.fromEntries(topic.languages.map((lang, i) => [lang, columns[i].examples()])),
          keywords: Object.fromEntries(topic.languages.map((lang, i) => [lang, columns[i].keywords()])),
          related: [...related.querySelectorAll("input:checked")].map((b) => b.value) },
      ],
    };
  }

  // -- guided checks -----------------------------------------------------------------------------------

  async function checksView() {
    const data = await api("/api/checks");
    view("Guided checks", el("ul", { class: "topic-list" }, data.checks.map((c) => el("li", {},
      el("a", { href: `#/check/${c.id}`, text: Object.values(c.titles).find(Boolean) || c.id }),
      el("span", { class: "muted", text: ` ${c.id} · for topic ${c.intent}` })))));
    current = { collect: () => [], what: "" };
  }

  async function checkView(id) {
    const data = await api(`/api/check/${encodeURIComponent(id)}`);
    if (!data.ok) { view("Check not found", el("p", { text: data.error })); return; }
    const check = data.check;
    const langs = check.languages;
    const texts = Object.fromEntries(langs.map((l) => [l, check.texts[l] || { title: "", intro: "", questions: {},
      options: {}, outcomes: {} }]));
    const diagram = el("figure", { class: "diagram", tabindex: "0", "aria-label": "Flow diagram" });
    const stepsBox = el("div", { class: "steps" });
    const outcomesBox = el("div", { class: "outcomes" });
    const start = el("select", {});
    const head = langs.map((lang) => {
      const title = el("input", { type: "text", value: texts[lang].title });
      const intro = el("textarea", { rows: "2" });
      intro.value = texts[lang].intro;
      return { lang, title, intro, node: el("div", { class: "lang-column", lang },
        labelled(`Title (${lang})`, title, `checktext:${check.id}:${lang}:title`),
        labelled(`Introduction (${lang})`, intro, `checktext:${check.id}:${lang}:intro`)) };
    });

    const targets = () => [
      ...[...stepsBox.querySelectorAll(".step")].map((s) => ({ value: `next:${s.dataset.step}`, label: `step ${s.dataset.step}` })),
      ...[...outcomesBox.querySelectorAll(".outcome")].map((o) => ({ value: `outcome:${o.dataset.outcome}`, label: `outcome ${o.dataset.outcome}` })),
    ];
    const fillSelect = (select, chosen, choices) => {
      select.replaceChildren(...choices.map((c) => el("option", { value: c.value, text: c.label, selected: c.value === chosen })));
      if (chosen && !choices.some((c) => c.value === chosen)) {
        select.append(el("option", { value: chosen, text: `${chosen} (missing)`, selected: true }));
      }
    };
    const refreshSelects = () => {
      const choices = targets();
      for (const select of stepsBox.querySelectorAll("select.target")) fillSelect(select, select.value, choices);
      const steps = choices.filter((c) => c.value.startsWith("next:")).map((c) => ({ value: c.value.slice(5), label: c.label }));
      fillSelect(start, start.value || check.start, steps);
    };

    const optionRow = (stepId, option, list) => {
      const answer = el("input", { type: "text", value: option.answer, "aria-label": `Answer id in step ${stepId}`, class: "answer-id" });
      const labels = langs.map((lang) => el("input", { type: "text", value: texts[lang].options[option.answer] || "",
        "aria-label": `Button label (${lang}) for answer ${option.answer || "new"}`, class: `label-${lang}`,
        placeholder: ["yes", "no"].includes(option.answer) ? "(Yes/No from the bot texts)" : "" }));
      const target = el("select", { class: "target", "aria-label": `Where answer ${option.answer || "new"} leads` });
      fillSelect(target, option.next ? `next:${option.next}` : `outcome:${option.outcome}`, targets());
      const li = el("li", {}, answer, ...labels, target, el("button", { type: "button", class: "small",
        text: "Remove", "aria-label": `Remove answer ${option.answer}`, onclick: () => { li.remove(); changed(); } }));
      list.append(li);
      return answer;
    };
    const stepBox = (stepId, options) => {
      const list = el("ul", { class: "options" });
      const questions = langs.map((lang) => {
        const q = el("textarea", { rows: "2", class: `question-${lang}` });
        q.value = texts[lang].questions[stepId] || "";
        return labelled(`Question (${lang})`, q, `checktext:${check.id}:${lang}:questions:${stepId}`);
      });
      const box = el("fieldset", { class: "step", "data-step": stepId, "data-field": `check:${check.id}:steps:${stepId}` },
        el("legend", { text: `Step ${stepId}` }), el("div", { class: "columns" }, questions),
        el("p", { class: "hint", text: "Answers: id, button label per language, and where it leads." }), list,
        el("button", { type: "button", class: "small", text: `Add an answer to step ${stepId}`,
          onclick: () => { optionRow(stepId, { answer: "", outcome: "" }, list).focus(); changed(); } }),
        el("button", { type: "button", class: "small", text: `Remove step ${stepId}`,
          onclick: () => { box.remove(); refreshSelects(); changed(); } }));
      options.forEach((o) => optionRow(stepId, o, list));
      stepsBox.append(box);
    };
    const outcomeBox = (outcomeId) => {
      const fields = langs.map((lang) => {
        const t = el("textarea", { rows: "3", class: `outcome-${lang}` });
        t.value = texts[lang].outcomes[outcomeId] || "";
        return labelled(`Text (${lang})`, t, `checktext:${check.id}:${lang}:outcomes:${outcomeId}`);
      });
      const box = el("fieldset", { class: "outcome", "data-outcome": outcomeId },
        el("legend", { text: `Outcome ${outcomeId}` }), el("div", { class: "columns" }, fields),
        el("button", { type: "button", class: "small", text: `Remove outcome ${outcomeId}`,
          onclick: () => { box.remove(); refreshSelects(); changed(); } }));
      outcomesBox.append(box);
    };
    Object.entries(check.steps).forEach(([s, o]) => stepBox(s, o));
    check.outcomes.forEach(outcomeBox);
    refreshSelects();
    fillSelect(start, `${check.start}`, targets().filter((c) => c.value.startsWith("next:")).map((c) => ({ value: c.value.slice(5), label: c.label })));

    const newStep = el("input", { type: "text", id: nextId("ns") });
    const newOutcome = el("input", { type: "text", id: nextId("no") });
    const adder = (input, label, make) => el("div", { class: "add-row" }, el("label", { for: input.id, text: label }), input,
      el("button", { type: "button", class: "small", text: label.replace(" id", "").replace("New", "Add"), onclick: () => {
        const value = input.value.trim();
        if (!/^[a-z][a-z0-9_]*$/.test(value)) { toast("Use lower-case letters, digits and _ for the id."); input.focus(); return; }
        make(value); input.value = ""; refreshSelects(); changed();
      } }));

    const structure = () => {
      const steps = {};
      for (const box of stepsBox.querySelectorAll(".step")) {
        steps[box.dataset.step] = [...box.querySelectorAll(".options li")].map((li) => {
          const [kind, target] = li.querySelector("select.target").value.split(/:(.*)/s);
          return { answer: li.querySelector(".answer-id").value.trim(), [kind]: target };
        });
      }
      return { start: start.value, steps, outcomes: [...outcomesBox.querySelectorAll(".outcome")].map((o) => o.dataset.outcome) };
    };
    const textsOf = (lang) => {
      const s = structure();
      const options = {};
      for (const li of stepsBox.querySelectorAll(".options li")) {
        const label = li.querySelector(`.label-${lang}`).value.trim();
        if (label) options[li.querySelector(".answer-id").value.trim()] = label;
      }
      const h = head.find((x) => x.lang === lang);
      return {
        kind: "check_texts", id: check.id, lang, title: h.title.value, intro: h.intro.value, options,
        questions: Object.fromEntries(Object.keys(s.steps).map((step) => [step,
          stepsBox.querySelector(`.step[data-step="${CSS.escape(step)}"] .question-${lang}`).value])),
        outcomes: Object.fromEntries(s.outcomes.map((o) => [o,
          outcomesBox.querySelector(`.outcome[data-outcome="${CSS.escape(o)}"] .outcome-${lang}`).value])),
      };
    };
    const drawDiagram = async () => {
      const s = structure();
      const lang = langs.includes("en") ? "en" : langs[0];
      const t = textsOf(lang);
      const data = await api("/api/diagram", { ...s, questions: t.questions, options: t.options,
        outcome_texts: t.outcomes, title: t.title });
      if (!data.ok) return;
      const svg = new DOMParser().parseFromString(data.svg, "image/svg+xml").documentElement;
      diagram.replaceChildren(document.importNode(svg, true),
        el("figcaption", { text: `The flow in ${LANG_NAMES[lang] || lang}, drawn from the form below (also before saving).` }));
    };
    let timer = null;
    const changed = () => { clearTimeout(timer); timer = setTimeout(drawDiagram, 400); };

    view(`Guided check: ${texts[langs[0]].title || check.id}`,
      el("p", { class: "muted", text: `Check id ${check.id}, offered with topic ${check.intent}` }),
      el("div", { "data-field": `check:${check.id}` }),
      el("h2", { text: "Flow" }), diagram,
      el("div", { class: "columns" }, head.map((h) => h.node)),
      labelled("First step", start, `check:${check.id}:start`),
      el("h2", { text: "Steps" }), stepsBox, adder(newStep, "New step id", (v) => stepBox(v, [])),
      el("h2", { text: "Outcomes" }), el("div", { "data-field": `check:${check.id}:outcomes` }), outcomesBox,
      adder(newOutcome, "New outcome id", outcomeBox),
      saveBar());
    $("view").addEventListener("input", changed);
    $("view").addEventListener("change", changed);
    drawDiagram();
    current = {
      what: `guided check ${check.id}`,
      collect: () => [{ kind: "check", id: check.id, ...structure() }, ...langs.map(textsOf)],
    };
  }

  // -- bot texts ---------------------------------------------------------------------------------------

  async function textsView() {
    const data = await api("/api/texts");
    const langs = data.texts.languages;
    const fields = [];
    const sections = data.texts.groups.map((group) => el("section", { class: "text-group" },
      el("h2", { text: group.title }),
      group.items.map((item) => el("fieldset", { class: "text-item" }, el("legend", { text: item.label }),
        el("div", { class: "columns" }, langs.map((lang) => {
          const spec = item.langs[lang];
          if (spec.value === null || spec.value === undefined) {
            return el("p", { class: "badge missing", text: `${lang}: missing` });
          }
          const area = el("textarea", { rows: String(Math.min(8, spec.value.split("\n").length + 1)), lang });
          area.value = spec.value;
          fields.push({ area, spec });
          return labelled(`${item.label} (${lang})`, area, ["text", spec.file, ...spec.at].join(":"));
        }))))));
    view("Bot texts", el("p", { class: "hint", text: "The bot's own texts. Keep {placeholders} as they are." }),
      ...sections, saveBar());
    current = {
      what: "bot texts",
      collect: () => fields.filter((f) => f.area.value.trim() !== f.spec.value.trim())
        .map((f) => ({ kind: "text", file: f.spec.file, at: f.spec.at, value: f.area.value })),
    };
  }

  // -- history -----------------------------------------------------------------------------------------

  async function historyView() {
    const data = await api("/api/history");
    const list = el("ol", { class: "history", reversed: true }, data.entries.map((e) => el("li", { class: "entry" },
      el("h2", { text: `Save ${e.id}: ${e.what}` }),
      el("p", { class: "muted", text: `${e.who} · ${new Date(e.when).toLocaleString()} · ${e.files.join(", ")}` }),
      el("details", {}, el("summary", { text: `What changed in save ${e.id}` }), el("pre", { class: "diff", text: e.diff })),
      el("button", { type: "button", class: "small", text: `Undo save ${e.id}`, onclick: async () => {
        const result = await api("/api/undo", { id: e.id });
        if (result.saved) { toast(`Save ${e.id} undone (as save ${result.entry.id}).`); await route(); }
        else showProblems(result.problems || [], result.error);
      } }))));
    view("History", data.entries.length ? list : el("p", { text: "No saves yet." }));
    current = { collect: () => [], what: "" };
  }

  // -- review inbox ------------------------------------------------------------------------------------

  async function inboxView() {
    const data = await api("/api/inbox");
    if (!data.available) {
      view("Review inbox", el("p", { text: "The review inbox is not available in this installation yet." }));
      return;
    }
    const groups = data.groups.map((g) => {
      const topicSelect = el("select", { id: nextId("topic") }, data.topics.map((t) =>
        el("option", { value: t.id, text: `${t.title} (${t.id})`, selected: t.id === g.suggestion })));
      if (!g.suggestion) topicSelect.prepend(el("option", { value: "", text: "Choose a topic…", selected: true }));
      const act = async (path, body, done) => {
        const result = await api(path, body);
        if (result.ok) { toast(done); await route(); } else showProblems(result.problems || [], result.error);
      };
      return el("li", { class: "inbox-group" },
        el("h2", { text: `“${g.texts[0]}”` }),
        el("p", { class: "muted", text: `${REASONS[g.reason] || g.reason} · ${g.count}× · ${g.lang} · ${g.first_day} to ${g.last_day}` +
          (g.answered_with ? ` · answered with ${g.answered_with}` : "") }),
        g.texts.length > 1 ? el("ul", { class: "also" }, g.texts.slice(1).map((t) => el("li", { text: t }))) : null,
        el("div", { class: "add-row" }, el("label", { for: topicSelect.id, text: "Add as example to topic" }), topicSelect,
          el("button", { type: "button", class: "primary", text: "Add as example", onclick: () => {
            if (!topicSelect.value) { toast("Choose a topic first."); topicSelect.focus(); return; }
            act("/api/inbox/add", { key: g.key, intent: topicSelect.value, lang: g.lang, text: g.texts[0] },
              `Added as an example of ${topicSelect.value}.`);
          } })),
        el("div", { class: "actions" },
          el("button", { type: "button", text: "This is off-topic", onclick: () =>
            act("/api/inbox/add", { key: g.key, intent: "out_of_scope", lang: g.lang, text: g.texts[0] }, "Marked as off-topic.") }),
          el("button", { type: "button", text: "Dismiss", onclick: () =>
            act("/api/inbox/dismiss", { key: g.key, action: "dismissed" }, "Dismissed.") })));
    });
    view("Review inbox", el("p", { class: "hint", text: "Questions of the last 30 days the bot did not answer well, grouped." }),
      groups.length ? el("ol", { class: "inbox" }, groups) : el("p", { text: "Nothing to review." }));
    current = { collect: () => [], what: "" };
  }

  // -- try it ------------------------------------------------------------------------------------------

  async function tryIt(event) {
    event.preventDefault();
    const text = $("try-text").value;
    const out = $("try-result");
    if (!text.trim()) { $("try-text").focus(); return; }
    out.replaceChildren(el("p", { class: "muted", text: "Trying…" }));
    const data = await api("/api/try", { text, lang: $("try-lang").value, edits: current.collect() });
    if (!data.ok) {
      out.replaceChildren(el("p", { class: "error", text: data.error }),
        el("ul", {}, (data.problems || []).filter((p) => p.severity === "error").map((p) => el("li", { text: problemText(p) }))));
      return;
    }
    const r = data.result;
    out.replaceChildren(
      el("p", { class: "hint", text: data.edited ? "With your unsaved edits." : "With the saved content." }),
      el("dl", { class: "facts" },
        el("dt", { text: "Decision" }), el("dd", { class: "decision", text: `${r.decision} (bot: ${r.bot_decision})` }),
        el("dt", { text: "Language" }), el("dd", { class: "lang", text: r.lang }),
        el("dt", { text: "Topic" }), el("dd", { class: "intent", text: r.intent ? `${r.intent_title} (${r.intent})` : "none" }),
        el("dt", { text: "Score" }), el("dd", { text: `${r.score} · confidence ${r.confidence}` })),
      el("h3", { text: "Candidates" }),
      el("ol", { class: "candidates" }, r.candidates.map((c) => el("li", { text: `${c.title} (${c.intent}) ${c.score}` }))),
      el("h3", { text: "Reply" }),
      el("div", { class: "replies" }, r.replies.map((reply) => T.bubble(reply.text, reply.buttons))));
  }

  // -- routing -----------------------------------------------------------------------------------------

  async function route() {
    const [, page, id] = (window.location.hash || "#/topics").split("/");
    clearProblems();
    if (page === "topic" && id) await topicView(decodeURIComponent(id));
    else if (page === "checks") await checksView();
    else if (page === "check" && id) await checkView(decodeURIComponent(id));
    else if (page === "texts") await textsView();
    else if (page === "history") await historyView();
    else if (page === "inbox") await inboxView();
    else await topicsView();
  }

  window.addEventListener("hashchange", async () => { await route(); $("view").focus(); });
  $("try-form").addEventListener("submit", tryIt);
  $("try-text").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); $("try-form").requestSubmit(); }
  });
  route();
})();
