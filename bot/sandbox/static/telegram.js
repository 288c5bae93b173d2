// Telegram HTML, shown as Telegram shows it: parsed inertly and rebuilt from a short list of tags, never inserted
// as HTML. Shared by the sandbox page and the studio (which serves this file from the sandbox's static folder).
"use strict";

window.TelegramHtml = (() => {
  const ALLOWED = new Set(["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote",
    "a"]);
  const DROPPED = new Set(["script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
    "title", "head", "textarea", "select"]);
  const PHONE_LINE = 34;  // characters on one line of a Telegram bubble on a 390 px wide phone

  function safeUrl(href) {
    try {
      const url = new URL(href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  function link(url, label) {
    const a = document.createElement("a");
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    if (label !== undefined) a.textContent = label;
    return a;
  }

  function copySafe(from, to) {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(node.data));
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        const tag = node.localName;
        if (DROPPED.has(tag)) continue;
        if (!ALLOWED.has(tag)) { copySafe(node, to); continue; }
        let copy;
        if (tag === "a") {
          const url = safeUrl(node.getAttribute("href") || "");
          if (url === null) { copySafe(node, to); continue; }
          copy = link(url);
        } else {
          copy = document.createElement(tag);
        }
        copySafe(node, copy);
        to.appendChild(copy);
      }
    }
  }

  function render(html) {
    const doc = new DOMParser().parseFromString(String(html), "text/html");
    const fragment = document.createDocumentFragment();
    copySafe(doc.body, fragment);
    return fragment;
  }

  function plain(html) {
    return new DOMParser().parseFromString(String(html), "text/html").body.textContent || "";
  }

  /** A bot message bubble: the text (pre-wrap) and its rows of buttons. */
  function bubble(html, rows) {
    const box = document.createElement("div");
    box.className = "bubble";
    const text = document.createElement("div");
    text.className = "bubble-text";
    text.appendChild(render(html));
    box.appendChild(text);
    for (const row of rows || []) {
      const line = document.createElement("div");
      line.className = "kb-row";
      for (const button of row) {
        const url = button.url ? safeUrl(button.url) : null;
        const item = url ? link(url, button.label) : document.createElement("span");
        if (!url) item.textContent = button.label;
        item.className = "kb-button";
        line.appendChild(item);
      }
      box.appendChild(line);
    }
    return box;
  }

  /** Characters Telegram counts, and about how many lines that is on a phone. */
  function measure(html) {
    const text = plain(html).trim();
    const lines = text.split("\n").reduce((n, line) => n + Math.max(1, Math.ceil(line.length / PHONE_LINE)), 0);
    return { chars: [...text].length, lines };
  }

  return { render, bubble, measure, plain, safeUrl, link };
})();
