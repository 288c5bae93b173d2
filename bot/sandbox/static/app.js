// The sandbox page: a Telegram-like chat with the bot, and a staff panel. Plain JavaScript, no build step.
// The server pushes this tab's chat over a WebSocket (/api/events); actions are JSON POSTs.
// Bot text is Telegram HTML, made safe by static/telegram.js (loaded first).
"use strict";

(() => {
  const TYPING_MS = 5000;  // Telegram shows "typing…" for 5 seconds, or until the next message
  const RETRY_MS = 1000;  // reconnect after the sandbox restarts
  const CHAT_KEY = "faqbot-sandbox.chat";
  const LANG_KEY = "faqbot-sandbox.lang";

  const $ = (id) => document.getElementById(id);
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // -- Telegram HTML, made safe (static/telegram.js) -----------------------------------------------

  const { render: renderTelegramHtml, safeUrl, link: externalLink } = window.TelegramHtml;

  // -- paragraphs, each with its own direction ---------------------------------------------------

  // Blocks kept whole as one paragraph (their line breaks stay inside them).
  const BLOCK_TAGS = new Set(["pre", "blockquote"]);

  /**
   * The text split at its line breaks into paragraphs (block elements), so that each paragraph gets its own
   * direction, as in Telegram's apps: an Arabic or Persian paragraph reads right to left, its Dutch or English
   * neighbours left to right. The first paragraph takes the direction of the bubble (dir="auto" there, so
   * the whole bubble follows its first words); every later one has dir="auto" of its own. Formatting that
   * spans a line break is repeated in both paragraphs.
   */
  function paragraphs(fragment) {
    const out = [];
    let open = [];  // copies of the inline elements open in the current paragraph, outermost first
    let fresh = true;  // the next text starts a new paragraph (at the start, and after a block)
    let afterBlock = false;  // a line break right before or after a block belongs to it: no empty line
    const begin = (ancestors) => {
      const paragraph = el("div", "para");
      if (out.length) paragraph.dir = "auto";
      out.push(paragraph);
      open = [];
      let parent = paragraph;
      for (const ancestor of ancestors) {
        const copy = ancestor.cloneNode(false);
        parent.appendChild(copy);
        open.push(copy);
        parent = copy;
      }
      fresh = false;
    };
    const current = () => (open.length ? open[open.length - 1] : out[out.length - 1]);
    const walk = (node, ancestors) => {
      for (const child of [...node.childNodes]) {
        if (child.nodeType === Node.TEXT_NODE) {
          let text = child.data;
          if (afterBlock && text.startsWith("\n")) text = text.slice(1);
          afterBlock = false;
          if (!text) continue;
          text.split("\n").forEach((part, index) => {
            if (index > 0 || fresh) begin(ancestors);
            if (part) current().appendChild(document.createTextNode(part));
          });
        } else if (child.nodeType === Node.ELEMENT_NODE && BLOCK_TAGS.has(child.localName) && !ancestors.length) {
          const before = out[out.length - 1];
          if (before && before.classList.contains("para") && !before.firstChild) out.pop();  // its line break
          const block = child.cloneNode(true);
          block.dir = "auto";
          out.push(block);
          open = [];
          fresh = afterBlock = true;
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (fresh) begin(ancestors);
          const copy = child.cloneNode(false);
          current().appendChild(copy);
          open.push(copy);
          walk(child, [...ancestors, child]);
          open.pop();
        }
      }
    };
    walk(fragment, []);
    if (!out.length) begin([]);
    for (const paragraph of out) {
      if (paragraph.classList.contains("para") && !paragraph.textContent) paragraph.appendChild(el("br"));
    }
    return out;
  }

  // -- state ---------------------------------------------------------------------------------------

  const state = {
    chatId: null,
    lang: "nl",
    socket: null,
    retryTimer: null,
    typingTimer: null,
    botName: "IOM FAQ Bot",
    profile: {},  // page language -> {description, short_description}, as the bot set them
  };

  function newChatId() {
    const random = new Uint32Array(1);
    crypto.getRandomValues(random);
    return 1 + (random[0] % 2147483646);
  }

  function loadSession() {
    const stored = sessionStorage.getItem(CHAT_KEY);
    state.chatId = /^[1-9][0-9]{0,15}$/.test(stored || "") ? Number(stored) : newChatId();
    sessionStorage.setItem(CHAT_KEY, String(state.chatId));
    const lang = sessionStorage.getItem(LANG_KEY);
    state.lang = ["nl", "en", "other"].includes(lang) ? lang : "nl";
    $("lang").value = state.lang;
    $("chat-id").textContent = String(state.chatId);
  }

  // -- talking to the server -----------------------------------------------------------------------

  async function post(path, body) {
    try {
      const response = await fetch(path, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      const data = await response.json();
      if (!data.ok) toast(data.error || `The sandbox answered ${response.status}`);
      return data;
    } catch (error) {
      toast("The sandbox is not reachable. Is it still running?");
      return { ok: false };
    }
  }

  function connect() {
    clearTimeout(state.retryTimer);
    if (state.socket) {
      const old = state.socket;
      state.socket = null;
      old.close();
    }
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/events?chat=${state.chatId}`);
    state.socket = socket;
    socket.onopen = () => setStatus("bot");
    socket.onmessage = (message) => {
      if (socket === state.socket) handle(JSON.parse(message.data));
    };
    socket.onclose = () => {
      if (socket !== state.socket) return;  // replaced by a new chat
      setStatus("reconnecting…");
      state.retryTimer = setTimeout(connect, RETRY_MS);
    };
  }

  function handle(event) {
    switch (event.type) {
      case "snapshot": return drawSnapshot(event);
      case "message": return addMessage(event.message);
      case "edit": return replaceMessage(event.message);
      case "delete": return removeMessage(event.message_id);
      case "typing": return showTyping();
      case "answered": return pressAnswered(event);
      case "trace": return addTrace(event.trace);
      case "content": return drawContent(event.content);
      case "commands": return refreshMenu();
      case "profile": return drawProfile(event.profile);
      default: return undefined;
    }
  }

  // -- the chat ------------------------------------------------------------------------------------

  function setStatus(text) {
    $("status").textContent = text;
  }

  /** A message's time as Telegram shows it here: 24-hour, hours and minutes (14:05), whatever the locale. */
  function clock(when) {
    const two = (number) => String(number).padStart(2, "0");
    return `${two(when.getHours())}:${two(when.getMinutes())}`;
  }

  function timeElement(date) {
    const when = date ? new Date(date * 1000) : new Date();
    const time = el("time", "", clock(when));
    time.dateTime = when.toISOString();
    return time;
  }

  function keyboard(entry) {
    const box = el("div", "keyboard");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Buttons");
    for (const row of entry.buttons) {
      const line = el("div", "kb-row");
      for (const button of row) {
        const url = button.url ? safeUrl(button.url) : null;
        if (url) {
          const link = externalLink(url, button.text);
          link.className = "kb-button kb-link";
          link.setAttribute("aria-label", `${button.text} (opens a website in a new tab)`);
          line.appendChild(link);
        } else if (typeof button.callback_data === "string") {
          const press = el("button", "kb-button", button.text);
          press.type = "button";
          press.dataset.data = button.callback_data;
          press.addEventListener("click", () => pressButton(entry.message_id, button.callback_data, press));
          line.appendChild(press);
        }
      }
      box.appendChild(line);
    }
    return box;
  }

  /** Text (Telegram HTML or plain) as a .text block of paragraphs, with room for the time on its last line. */
  function textElement(source, html) {
    const fragment = html ? renderTelegramHtml(source) : document.createDocumentFragment();
    if (!html) fragment.appendChild(document.createTextNode(String(source)));
    const text = el("div", "text");
    const parts = paragraphs(fragment);
    text.append(...parts);
    return text;
  }

  function messageElement(entry) {
    const item = el("li", `msg ${entry.sender === "bot" ? "bot" : "user"}${entry.edited ? " edited" : ""}`);
    item.id = `m-${entry.message_id}`;
    item.dataset.messageId = String(entry.message_id);
    item.appendChild(el("span", "sr-only", entry.sender === "bot" ? `${state.botName}: ` : "You: "));
    const bubble = el("div", "bubble");
    bubble.dir = "auto";  // the bubble reads in the direction of its first words (Arabic: right to left)
    const text = textElement(entry.text, entry.html);
    // the time sits at the end of the last line when there is room, as in Telegram (else on a line of its own)
    text.lastElementChild.appendChild(el("span", "meta-space"));
    bubble.appendChild(text);
    const meta = el("span", "meta");
    meta.dir = "ltr";
    if (entry.edited) meta.appendChild(el("span", "edited", "edited "));
    meta.appendChild(timeElement(entry.date));
    bubble.appendChild(meta);
    item.appendChild(bubble);
    if (entry.buttons && entry.buttons.length) item.appendChild(keyboard(entry));
    return item;
  }

  function scrollToEnd() {
    const list = $("messages");
    list.scrollTop = list.scrollHeight;
  }

  function addMessage(entry) {
    const existing = $(`m-${entry.message_id}`);
    if (existing) return replaceMessage(entry);
    if (entry.sender === "bot") hideTyping();
    $("messages").appendChild(messageElement(entry));
    drawIntro();
    scrollToEnd();
    return undefined;
  }

  function replaceMessage(entry) {
    const existing = $(`m-${entry.message_id}`);
    if (!existing) return addMessage(entry);
    const hadFocus = existing.contains(document.activeElement);
    const fresh = messageElement(entry);
    existing.replaceWith(fresh);
    if (hadFocus) (fresh.querySelector(".kb-button") || $("input")).focus();
    return undefined;
  }

  function removeMessage(messageId) {
    const existing = $(`m-${messageId}`);
    if (existing) existing.remove();
    drawIntro();
  }

  // -- an empty chat: the bot's description and START, as in Telegram --------------------------------

  /** Show the intro only while the chat has no messages: the description for this app language, and START. */
  function drawIntro() {
    const empty = $("messages").children.length === 0;
    const chat = document.querySelector(".chat");
    chat.classList.toggle("empty", empty);
    $("intro").hidden = !empty;
    if (!empty) return;
    const texts = state.profile[state.lang] || {};
    const description = texts.description || "";
    $("intro-card").hidden = !description;
    $("description").replaceChildren(...(description ? textElement(description, false).children : []));
  }

  function drawProfile(profile) {
    state.profile = profile || {};
    const short = (state.profile[state.lang] || {}).short_description || "";
    $("short-description").textContent = short || "(not set)";
    drawIntro();
  }

  async function pressStart() {
    $("intro").hidden = true;  // as in Telegram, START turns into the first message at once
    document.querySelector(".chat").classList.remove("empty");
    $("input").focus();
    const result = await post("/api/send", { chat: state.chatId, text: "/start", lang: state.lang });
    if (!result.ok) drawIntro();
  }

  function showTyping() {
    $("typing").hidden = false;
    setStatus("typing…");
    clearTimeout(state.typingTimer);
    state.typingTimer = setTimeout(hideTyping, TYPING_MS);
    scrollToEnd();
  }

  function hideTyping() {
    clearTimeout(state.typingTimer);
    $("typing").hidden = true;
    setStatus("bot");
  }

  function drawSnapshot(snapshot) {
    if (snapshot.bot && snapshot.bot.name) {
      state.botName = snapshot.bot.name;
      $("bot-name").textContent = snapshot.bot.name;
    }
    hideTyping();
    $("messages").replaceChildren(...snapshot.messages.map(messageElement));
    $("traces").replaceChildren();
    snapshot.traces.forEach(addTrace);
    drawContent(snapshot.content);
    drawProfile(snapshot.profile);
    scrollToEnd();
  }

  async function sendText(text) {
    if (!text.trim()) return;
    await post("/api/send", { chat: state.chatId, text, lang: state.lang });
  }

  async function pressButton(messageId, data, button) {
    button.classList.add("pending");
    button.setAttribute("aria-busy", "true");
    const result = await post("/api/press", { chat: state.chatId, message_id: messageId, data, lang: state.lang });
    if (!result.ok) clearPending(button);
  }

  function clearPending(button) {
    button.classList.remove("pending");
    button.removeAttribute("aria-busy");
  }

  function pressAnswered(event) {
    const message = $(`m-${event.message_id}`);
    if (message) {
      message.querySelectorAll(".kb-button.pending").forEach((button) => {
        if (button.dataset.data === event.data) clearPending(button);
      });
    }
    if (event.text) toast(event.text);
  }

  // -- the command menu ("/" button) --------------------------------------------------------------

  function menuItems() {
    return [...$("command-menu").querySelectorAll("[role=menuitem]")];
  }

  async function fillMenu() {
    const menu = $("command-menu");
    let commands = [];
    try {
      const response = await fetch(`/api/commands?chat=${state.chatId}&lang=${state.lang}`);
      commands = (await response.json()).commands || [];
    } catch {
      commands = [];
    }
    const items = commands.map((command) => {
      const item = el("li");
      item.setAttribute("role", "none");
      const button = el("button", "command");
      button.type = "button";
      button.setAttribute("role", "menuitem");
      button.tabIndex = -1;
      button.appendChild(el("span", "command-name", `/${command.command}`));
      button.appendChild(el("span", "command-description", command.description));
      button.addEventListener("click", () => {
        closeMenu(false);
        $("input").focus();
        sendText(`/${command.command}`);
      });
      item.appendChild(button);
      return item;
    });
    if (!items.length) items.push(el("li", "command-empty", "The bot has not set any commands."));
    menu.replaceChildren(...items);
  }

  async function openMenu() {
    await fillMenu();
    $("command-menu").hidden = false;
    $("menu-button").setAttribute("aria-expanded", "true");
    const first = menuItems()[0];
    if (first) first.focus();
  }

  function closeMenu(focusButton) {
    $("command-menu").hidden = true;
    $("menu-button").setAttribute("aria-expanded", "false");
    if (focusButton) $("menu-button").focus();
  }

  function refreshMenu() {
    if (!$("command-menu").hidden) fillMenu();
  }

  function menuKeys(event) {
    const items = menuItems();
    const at = items.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      closeMenu(true);
    } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      if (items.length) items[(at + step + items.length) % items.length].focus();
    } else if (event.key === "Home" || event.key === "End") {
      event.preventDefault();
      if (items.length) items[event.key === "Home" ? 0 : items.length - 1].focus();
    } else if (event.key === "Tab") {
      closeMenu(false);
    }
  }

  // -- the staff panel -----------------------------------------------------------------------------

  function field(list, name, value) {
    list.appendChild(el("dt", "", name));
    list.appendChild(el("dd", "", value));
  }

  function addTrace(trace) {
    const item = el("li", "trace");
    item.dataset.messageIds = trace.message_ids.join(" ");
    const head = el("div", "trace-head");
    head.appendChild(el("span", "intent", trace.intent || "no intent"));
    head.appendChild(el("span", `decision decision-${trace.decision}`, trace.decision));
    head.appendChild(el("span", "score", `score ${Number(trace.score).toFixed(2)}`));
    item.appendChild(head);
    const details = el("dl", "trace-fields");
    field(details, "Input", trace.input);
    field(details, "Language", trace.lang);
    field(details, "Source", trace.source || "—");
    const candidates = trace.candidates.map(([name, score]) => `${name} ${Number(score).toFixed(2)}`);
    field(details, "Candidates", candidates.length ? candidates.join(", ") : "—");
    item.appendChild(details);
    const show = el("button", "show-message", `Show message #${trace.message_ids.join(", #")}`);
    show.type = "button";
    show.addEventListener("click", () => highlight(trace.message_ids));
    item.appendChild(show);
    $("traces").prepend(item);
  }

  function highlight(messageIds) {
    const targets = messageIds.map((id) => $(`m-${id}`)).filter(Boolean);
    if (!targets.length) return toast("That message is no longer in the chat.");
    targets[0].scrollIntoView({ block: "center" });
    for (const target of targets) {
      target.classList.remove("flash");
      void target.offsetWidth;  // restart the animation
      target.classList.add("flash");
    }
    return undefined;
  }

  function drawContent(content) {
    if (!content) return;
    const summary = $("content-summary");
    const text = String(content.summary);
    summary.textContent = content.ok ? `OK: ${text}` : text.charAt(0).toUpperCase() + text.slice(1);
    summary.className = `summary ${content.ok ? "ok" : "bad"}`;
    $("problems").replaceChildren(...content.problems.map((problem) => el("li", "problem", problem)));
  }

  async function reloadContent() {
    const button = $("reload");
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    const result = await post("/api/reload", {});
    if (result.ok) {
      drawContent(result.content);
      toast(result.content.ok ? "Content reloaded." : "Content has problems: the last good content keeps serving.");
    }
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }

  function newChat() {
    state.chatId = newChatId();
    sessionStorage.setItem(CHAT_KEY, String(state.chatId));
    $("chat-id").textContent = String(state.chatId);
    $("messages").replaceChildren();
    $("traces").replaceChildren();
    drawIntro();
    connect();
    $("input").focus();
  }

  let toastTimer = null;
  function toast(text) {
    const box = $("toast");
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 4000);
  }

  // -- wiring --------------------------------------------------------------------------------------

  function growInput() {
    const input = $("input");
    input.style.height = "auto";
    input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
  }

  function start() {
    loadSession();
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("input");
      const text = input.value;
      if (!text.trim()) return;
      input.value = "";
      growInput();
      sendText(text);
    });
    $("input").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("composer").requestSubmit();
      }
    });
    $("input").addEventListener("input", growInput);
    $("menu-button").addEventListener("click", () => {
      if ($("command-menu").hidden) openMenu();
      else closeMenu(true);
    });
    $("command-menu").addEventListener("keydown", menuKeys);
    document.addEventListener("click", (event) => {
      if (!event.target.closest(".menu-wrap") && !$("command-menu").hidden) closeMenu(false);
    });
    $("lang").addEventListener("change", () => {
      state.lang = $("lang").value;
      sessionStorage.setItem(LANG_KEY, state.lang);
      refreshMenu();
      drawProfile(state.profile);
    });
    $("new-chat").addEventListener("click", newChat);
    $("reload").addEventListener("click", reloadContent);
    $("start").addEventListener("click", pressStart);
    connect();
  }

  window.faqbotSandbox = { renderTelegramHtml, get chatId() { return state.chatId; } };
  document.addEventListener("DOMContentLoaded", start);
})();
