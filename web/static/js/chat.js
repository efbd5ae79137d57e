/* The chat page: a conversation with the advisor through POST /api/chat. */
(function () {
  "use strict";
  var RT = window.RT;
  var el = RT.el;
  var log = document.getElementById("log");
  var form = document.getElementById("ask");
  var input = document.getElementById("message");
  var send = document.getElementById("send");
  var starter = document.getElementById("starter");
  var busy = false;
  var SESSION_KEY = "rt_session";

  function sessionId() {
    try {
      return window.sessionStorage.getItem(SESSION_KEY);
    } catch (e) {
      return null;
    }
  }
  function setSessionId(id) {
    try {
      if (id) window.sessionStorage.setItem(SESSION_KEY, id);
      else window.sessionStorage.removeItem(SESSION_KEY);
    } catch (e) {
      /* storage off: the conversation lasts as long as the page */
    }
  }

  function scrollToEnd(node) {
    if (node && node.scrollIntoView) node.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight, 160) + "px";
  }

  function bubble(kind, children) {
    var who = kind === "user" ? RT.t("you") : RT.t("advisor");
    var node = el("div", { class: "msg msg-" + kind }, [
      el("span", { class: "visually-hidden", text: who + ": " }),
      el("div", { class: "bubble" }, children)
    ]);
    log.appendChild(node);
    return node;
  }

  /* Answer text: paragraphs by blank lines, "•"/"-" lines as a list. Text only, never HTML. */
  /* The advisor writes numbered routes ("1. …"), bullets ("• …") and, indented under them, the
     details of each mechanism ("  - …"): three kinds of line, each its own list, so that the
     details do not read as more routes. */
  function answerBody(text) {
    var box = el("div", { class: "answer" });
    var list = null;
    var kind = null;
    String(text || "").split(/\n/).forEach(function (line) {
      var trimmed = line.trim();
      if (!trimmed) {
        list = null;
        return;
      }
      var numbered = trimmed.match(/^(\d+)[.)、]\s*(.*)$/);
      var bullet = trimmed.match(/^[•·\-*]\s*(.*)$/);
      var item = numbered ? numbered[2] : bullet ? bullet[1] : "";
      if (!item) {
        list = null;
        box.appendChild(el("p", { text: trimmed }));
        return;
      }
      var lineKind = numbered ? "ol" : /^\s/.test(line) ? "details" : "ul";
      if (!list || kind !== lineKind) {
        kind = lineKind;
        list = lineKind === "ol" ? el("ol") : el("ul", lineKind === "details" ? { class: "details" } : {});
        if (numbered && numbered[1] !== "1") list.setAttribute("start", numbered[1]);
        box.appendChild(list);
      }
      list.appendChild(el("li", { text: item }));
    });
    return box;
  }

  function citationHref(c) {
    return RT.href(c.source) || RT.href(c.iri) || (typeof c.url === "string" && /^https?:\/\//.test(c.url) ? c.url : null);
  }

  function citations(list) {
    if (!list || !list.length) return null;
    var seen = {};
    var items = [];
    list.forEach(function (c) {
      var href = citationHref(c);
      var title = c.title || c.source || c.iri || href;
      var key = href || title;
      if (seen[key]) return;
      seen[key] = true;
      var link = href
        ? el("a", { href: href, class: "citation", rel: href.indexOf("http") === 0 ? "noopener noreferrer external" : null, text: title })
        : el("span", { text: title });
      items.push(el("li", {}, [link]));
    });
    return el("div", { class: "cites" }, [
      el("h3", { class: "mini-title", text: RT.t("sources") }),
      el("ol", { class: "cite-list" }, items)
    ]);
  }

  function entities(list) {
    if (!list || !list.length) return null;
    var chips = list.slice(0, 8).map(function (e) {
      var href = RT.href(e.iri);
      return el("li", {}, [href ? el("a", { class: "tag", href: href, text: e.label || e.iri }) : el("span", { class: "tag", text: e.label })]);
    });
    return el("div", { class: "ents" }, [
      el("h3", { class: "mini-title", text: RT.t("related") }),
      el("ul", { class: "tags" }, chips)
    ]);
  }

  function stepLine(step) {
    var parts = [(step.from && step.from.label) || "", " → ", (step.to && step.to.label) || ""];
    var via = RT.viaLabel(step);
    var extra = [];
    if (via) extra.push(via);
    if (RT.stepYears(step)) extra.push(RT.stepYears(step) + " " + RT.t("years"));
    return parts.join("") + (extra.length ? " (" + extra.join(", ") + ")" : "");
  }

  function pathwaysBlock(paths) {
    if (!paths || !paths.length) return null;
    var first = paths[0].steps || [];
    if (!first.length) return null;
    var start = first[0].from && first[0].from.iri;
    var goal = first[first.length - 1].to && first[first.length - 1].to.iri;
    var mapBox = el("div", { class: "mini-map", role: "img", "aria-label": RT.t("route_map") });
    var list = el("ol", { class: "path-steps" });
    paths.slice(0, 3).forEach(function (p) {
      var li = el("li", {}, []);
      var ul = el("ul");
      (p.steps || []).forEach(function (s) {
        ul.appendChild(el("li", { text: stepLine(s) }));
      });
      li.appendChild(ul);
      list.appendChild(li);
    });
    var explore = null;
    var sid = RT.localId(start);
    var gid = RT.localId(goal);
    if (sid && gid) {
      explore = el("a", { class: "small", href: "/explore?from=" + encodeURIComponent(sid) + "&to=" + encodeURIComponent(gid), text: RT.t("open_in_explorer") });
    }
    var box = el("div", { class: "paths" }, [el("h3", { class: "mini-title", text: RT.t("route_map") }), mapBox, list, explore]);
    window.setTimeout(function () {
      RT.routeMap(mapBox, paths.slice(0, 6), { compact: true, start: start, goal: goal });
    }, 0);
    return box;
  }

  function followUps(list) {
    if (!list || !list.length) return null;
    var chips = list.slice(0, 4).map(function (text) {
      return el("li", {}, [el("button", { type: "button", class: "chip suggestion", text: text })]);
    });
    return el("div", { class: "follow" }, [el("p", { class: "muted small", text: RT.t("follow_ups") }), el("ul", { class: "chips" }, chips)]);
  }

  function showReply(node, reply) {
    var b = node.querySelector(".bubble");
    b.textContent = "";
    b.removeAttribute("aria-busy");
    if (reply.lang === "zh" || reply.lang === "en") node.setAttribute("lang", reply.lang === "zh" ? "zh-CN" : "en");
    [answerBody(reply.answer), pathwaysBlock(reply.pathways), citations(reply.citations), entities(reply.entities), followUps(reply.suggestions)]
      .forEach(function (part) {
        if (part) b.appendChild(part);
      });
    node.setAttribute("data-intent", reply.intent || "");
  }

  function showError(node, err, message) {
    var b = node.querySelector(".bubble");
    b.textContent = "";
    b.removeAttribute("aria-busy");
    node.classList.add("msg-error");
    b.appendChild(el("p", { role: "alert", text: err.network ? err.message : RT.t("error_failed") + " " + err.message }));
    b.appendChild(el("button", { type: "button", class: "secondary retry", text: RT.t("retry"), onclick: function () {
      node.remove();
      ask(message, true);
    } }));
  }

  function ask(message, isRetry) {
    message = String(message || "").trim();
    if (!message || busy) return;
    busy = true;
    send.disabled = true;
    if (starter) starter.hidden = true;
    if (!isRetry) bubble("user", [el("p", { text: message })]);
    var pending = bubble("bot", [el("p", { class: "muted thinking", text: RT.t("thinking") })]);
    pending.querySelector(".bubble").setAttribute("aria-busy", "true");
    scrollToEnd(pending);
    var body = { message: message };
    var sid = sessionId();
    if (sid) body.session_id = sid;
    RT.fetchJSON("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body)
    })
      .then(function (reply) {
        if (reply.session_id) setSessionId(reply.session_id);
        showReply(pending, reply);
      })
      .catch(function (err) {
        showError(pending, err, message);
      })
      .then(function () {
        busy = false;
        send.disabled = false;
        scrollToEnd(pending);
        input.focus();
      });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value;
    if (!text.trim()) {
      input.focus();
      return;
    }
    input.value = "";
    autosize();
    ask(text);
  });

  input.addEventListener("keydown", function (e) {
    /* Enter sends; Shift+Enter is a new line; never while an IME is composing (Chinese input). */
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      if (typeof form.requestSubmit === "function") form.requestSubmit();
      else form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  input.addEventListener("input", autosize);

  document.addEventListener("click", function (e) {
    var target = e.target;
    if (target && target.classList && target.classList.contains("suggestion")) {
      ask(target.textContent);
    }
  });

  var newChat = document.getElementById("new-chat");
  if (newChat) {
    newChat.addEventListener("click", function () {
      setSessionId(null);
      log.textContent = "";
      if (starter) starter.hidden = false;
      input.focus();
    });
  }

  /* A fresh page is a fresh conversation view; keep the id only while the page lives. */
  setSessionId(null);
})();
