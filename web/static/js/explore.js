/* The pathway explorer: pick a start and a goal (search as you type), draw every route. */
(function () {
  "use strict";
  var RT = window.RT;
  var el = RT.el;
  var form = document.getElementById("route-form");
  var status = document.getElementById("route-status");
  var mapBox = document.getElementById("route-map");
  var list = document.getElementById("route-list");
  var panel = document.getElementById("step-panel");
  var stepBody = document.getElementById("step-body");
  var stepEmpty = document.getElementById("step-empty");
  var cy = null;
  var current = null; /* last /api/pathways answer */

  function shortType(type) {
    if (!type) return "";
    var s = String(type);
    return s.slice(Math.max(s.lastIndexOf("#"), s.lastIndexOf("/")) + 1);
  }

  /* ---------------------------------------------------------------- combobox */
  function Combo(picker) {
    var input = picker.querySelector("input");
    var box = picker.querySelector("[role=listbox]");
    var items = [];
    var active = -1;
    var timer = null;
    var seq = 0;

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(item) {
      input.value = item.label;
      input.setAttribute("data-iri", item.iri);
      close();
    }
    function highlight(i) {
      var options = box.querySelectorAll("[role=option]");
      options.forEach(function (o) { o.setAttribute("aria-selected", "false"); });
      active = i;
      if (i >= 0 && options[i]) {
        options[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", options[i].id);
        options[i].scrollIntoView({ block: "nearest" });
      }
    }
    function render(results) {
      box.textContent = "";
      items = results;
      if (!results.length) {
        box.appendChild(el("li", { class: "muted empty", text: RT.t("no_match") }));
      }
      results.forEach(function (r, i) {
        var option = el("li", { id: input.id + "-opt-" + i, role: "option", "aria-selected": "false", class: "option" }, [
          el("span", { text: r.label || r.iri }),
          el("small", { class: "muted", text: " " + shortType(r.type) })
        ]);
        option.addEventListener("mousedown", function (e) {
          e.preventDefault();
          choose(r);
        });
        box.appendChild(option);
      });
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }
    function lookup() {
      var q = input.value.trim();
      if (!q) {
        close();
        return;
      }
      var mine = ++seq;
      RT.fetchJSON("/api/search?k=8&lang=" + RT.lang + "&q=" + encodeURIComponent(q))
        .then(function (data) {
          if (mine === seq && document.activeElement === input) render(data.results || []);
        })
        .catch(function () {
          if (mine === seq) close();
        });
    }
    input.addEventListener("input", function () {
      input.setAttribute("data-iri", "");
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 180);
    });
    input.addEventListener("keydown", function (e) {
      var open = !box.hidden && items.length;
      if (e.key === "ArrowDown" && open) {
        e.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (e.key === "ArrowUp" && open) {
        e.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (e.key === "Enter" && open && active >= 0) {
        e.preventDefault();
        choose(items[active]);
      } else if (e.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 120); });
    this.input = input;
    this.value = function () {
      return input.getAttribute("data-iri") || input.value.trim();
    };
    this.set = function (iri, label) {
      input.value = label;
      input.setAttribute("data-iri", iri);
    };
  }

  var pickers = {};
  document.querySelectorAll(".picker").forEach(function (p) {
    pickers[p.getAttribute("data-role")] = new Combo(p);
  });

  /* ---------------------------------------------------------------- step details */
  function row(label, value) {
    if (value === null || value === undefined || value === "" || (value.length === 0)) return null;
    return el("div", { class: "kv" }, [el("dt", { text: label }), el("dd", {}, [typeof value === "string" ? document.createTextNode(value) : value])]);
  }
  function link(node) {
    if (!node) return null;
    var href = RT.href(node.iri);
    return href ? el("a", { href: href, text: node.label || node.iri }) : el("span", { text: node.label || "" });
  }
  function stepDetails(step) {
    var dl = el("dl");
    var mech = step.mechanism && step.mechanism.label ? step.mechanism : step.via;
    [
      row(RT.t("mechanism"), link(mech)),
      row(RT.t("years"), RT.stepSpan(step) || RT.t("unknown")),
      row(RT.t("conditions"), step.conditions && step.conditions.length
        ? el("ul", {}, step.conditions.map(function (c) { return el("li", { text: typeof c === "string" ? c : c.label || c.text || JSON.stringify(c) }); }))
        : null),
      row(RT.t("region"), step.region ? link(step.region) : null),
      row(RT.t("same_field"), step.programmes && step.programmes.items && step.programmes.items.length
        ? el("div", {}, [
          el("ul", { class: "same-field" }, step.programmes.items.map(function (p) { return el("li", {}, [link(p)]); })),
          el("p", { class: "muted small", text: RT.t("same_field_note").replace("{n}", String(step.programmes.total)) })
        ])
        : null),
      row(RT.t("source"), step.source && step.source.length
        ? el("ul", {}, step.source.map(function (s) {
          var href = RT.href(s.iri) || s.url;
          return el("li", {}, [href ? el("a", { href: href, class: "step-source", text: s.title || s.iri }) : el("span", { text: s.title || s.iri })]);
        }))
        : null),
      step.via && step.via.iri && RT.href(step.via.iri) ? row(RT.t("route"), link(step.via)) : null
    ].forEach(function (r) { if (r) dl.appendChild(r); });
    return dl;
  }

  /* steps: the steps on one arrow (one, or several ways between the same two stages) */
  function showStep(steps, edge, stepKey) {
    stepEmpty.hidden = true;
    stepBody.textContent = "";
    var first = steps[0];
    stepBody.appendChild(el("h3", {}, [link(first.from), document.createTextNode(" → "), link(first.to)]));
    if (steps.length > 1) {
      stepBody.appendChild(el("p", { class: "muted small", text: steps.length + " " + RT.t("ways_here") }));
    }
    steps.forEach(function (step) {
      var section = el("section", { class: "way" });
      if (steps.length > 1) section.appendChild(el("h4", { text: RT.viaLabel(step) }));
      section.appendChild(stepDetails(step));
      stepBody.appendChild(section);
    });
    if (cy && cy.selectEdge) cy.selectEdge(edge);
    list.querySelectorAll(".step-button").forEach(function (b) {
      var on = stepKey ? b.getAttribute("data-key") === stepKey : b.getAttribute("data-edge") === edge;
      b.setAttribute("aria-pressed", on ? "true" : "false");
    });
    if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
      panel.scrollIntoView({ block: "start", behavior: "smooth" });
    }
  }

  /* ---------------------------------------------------------------- routes */
  function drawRoutes(data) {
    current = data;
    list.textContent = "";
    stepBody.textContent = "";
    stepEmpty.hidden = false;
    if (cy) {
      cy.destroy();
      cy = null;
    }
    var paths = data.paths || [];
    if (!paths.length) {
      status.textContent = RT.t("no_routes");
      mapBox.classList.add("empty");
      return;
    }
    mapBox.classList.remove("empty");
    status.textContent = (data.from.label || "") + " → " + (data.to.label || "") + " · " + paths.length + " " + RT.t(paths.length === 1 ? "route_found" : "routes_found");
    cy = RT.routeMap(mapBox, paths, {
      start: data.from.iri,
      goal: data.to.iri,
      onStep: function (steps, edge) { showStep(steps, edge, null); }
    });
    var FIRST = 8;
    paths.forEach(function (path, i) {
      var totalYears = RT.pathYears(path);
      var total = totalYears ? " · " + RT.t("more_years").replace("{n}", totalYears) : "";
      var steps = el("ol", { class: "steps" });
      (path.steps || []).forEach(function (step) {
        var key = RT.stepKey(step);
        var via = RT.viaLabel(step);
        var edge = RT.edgeKey(step);
        var button = el("button", { type: "button", class: "step-button", "data-key": key, "data-edge": edge, "aria-pressed": "false" }, [
          el("span", { class: "step-from", text: (step.from && step.from.label) || "" }),
          el("span", { class: "arrow", "aria-hidden": "true", text: " → " }),
          el("span", { class: "step-to", text: (step.to && step.to.label) || "" }),
          via ? el("small", { class: "muted", text: " · " + via }) : null
        ]);
        button.addEventListener("click", function () { showStep([step], edge, key); });
        steps.appendChild(el("li", {}, [button]));
      });
      list.appendChild(el("li", { class: "route", hidden: i >= FIRST }, [el("h3", { text: RT.t("route") + " " + (i + 1) + total }), steps]));
    });
    if (paths.length > FIRST) {
      var more = el("button", { type: "button", class: "secondary show-all", text: RT.t("show_all_routes").replace("{n}", paths.length) });
      more.addEventListener("click", function () {
        list.querySelectorAll(".route[hidden]").forEach(function (li) { li.hidden = false; });
        more.remove();
      });
      list.appendChild(el("li", { class: "more" }, [more]));
    }
  }

  function show() {
    var from = pickers.from.value();
    var to = pickers.to.value();
    if (!from || !to) {
      status.textContent = RT.t("pick_both");
      return;
    }
    status.textContent = "…";
    RT.fetchJSON("/api/pathways?lang=" + RT.lang + "&from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to))
      .then(function (data) {
        /* keep what the user chose, with the graph's label */
        pickers.from.set(data.from.iri, data.from.label);
        pickers.to.set(data.to.iri, data.to.label);
        drawRoutes(data);
        var url = new URL(window.location.href);
        url.searchParams.set("from", RT.localId(data.from.iri) || from);
        url.searchParams.set("to", RT.localId(data.to.iri) || to);
        window.history.replaceState(null, "", url.toString());
      })
      .catch(function (err) {
        status.textContent = RT.t("error_failed") + " " + err.message;
      });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    show();
  });
  document.getElementById("swap").addEventListener("click", function () {
    var a = pickers.from.input;
    var b = pickers.to.input;
    var v = a.value, iri = a.getAttribute("data-iri");
    a.value = b.value;
    a.setAttribute("data-iri", b.getAttribute("data-iri"));
    b.value = v;
    b.setAttribute("data-iri", iri);
  });
  document.querySelectorAll(".quick-pick").forEach(function (button) {
    button.addEventListener("click", function () {
      var i = RT.lang === "en" ? 1 : 0;
      var base = "https://w3id.org/rongtong/id/";
      pickers.from.set(base + button.getAttribute("data-from"), button.getAttribute("data-from-label").split("|")[i]);
      pickers.to.set(base + button.getAttribute("data-to"), button.getAttribute("data-to-label").split("|")[i]);
      show();
    });
  });
  RT.onLang(function () {
    if (current) show();
  });
  if (pickers.from.input.value && pickers.to.input.value) show();
})();
