/* The counselor SPARQL page: YASQE editor, example queries, results table, CSV download. */
(function () {
  "use strict";
  var RT = window.RT;
  var el = RT.el;
  var form = document.getElementById("sparql-form");
  var textarea = document.getElementById("query");
  var status = document.getElementById("sparql-status");
  var results = document.getElementById("results");
  var csvLink = document.getElementById("download-csv");
  var jsonLink = document.getElementById("download-json");
  var runButton = document.getElementById("run");
  var yasqe = null;

  function getQuery() {
    return yasqe ? yasqe.getValue() : textarea.value;
  }
  function setQuery(text) {
    if (yasqe) yasqe.setValue(text);
    else textarea.value = text;
  }

  if (window.Yasqe) {
    var holder = el("div", { class: "yasqe-holder" });
    textarea.parentNode.insertBefore(holder, textarea);
    textarea.hidden = true;
    try {
      yasqe = new window.Yasqe(holder, {
        value: textarea.value,
        persistenceId: null,
        createShareableLink: null,
        showQueryButton: false,
        resizeable: true,
        editorHeight: "320px",
        autocompleters: ["variables", "prefixes"],
        extraKeys: {
          "Ctrl-Enter": function () { run(); },
          "Cmd-Enter": function () { run(); },
          "Ctrl-Space": function (cm) { cm.autocomplete(); }
        }
      });
    } catch (e) {
      textarea.hidden = false;
      holder.remove();
      yasqe = null;
    }
  }
  if (!yasqe) {
    textarea.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        run();
      }
    });
  }

  document.querySelectorAll(".example-load").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = button.parentNode.querySelector(".example-text");
      if (text) setQuery(text.value);
      document.querySelectorAll(".example").forEach(function (li) { li.classList.remove("current"); });
      button.parentNode.classList.add("current");
      run();
      if (window.matchMedia && window.matchMedia("(max-width: 760px)").matches) {
        form.scrollIntoView({ block: "start", behavior: "smooth" });
      }
    });
  });

  function cell(term) {
    if (!term) return el("td", { class: "unbound" });
    if (term.type === "uri") {
      var href = RT.href(term.value);
      var shown = RT.localId(term.value) ? "rtd:" + RT.localId(term.value) : term.value;
      return el("td", {}, [href ? el("a", { href: href, text: shown }) : el("span", { class: "iri", text: shown })]);
    }
    var children = [document.createTextNode(term.type === "bnode" ? "_:" + term.value : term.value)];
    if (term["xml:lang"]) children.push(el("small", { class: "muted", text: " @" + term["xml:lang"] }));
    return el("td", {}, children);
  }

  function downloadHref(format, query) {
    return "/sparql?format=" + format + "&download=1&query=" + encodeURIComponent(query);
  }

  function showTable(data, query, truncated, ms) {
    results.textContent = "";
    if (typeof data.boolean === "boolean") {
      results.appendChild(el("p", { class: "boolean", text: "ASK → " + data.boolean }));
      status.textContent = "ASK · " + ms + " ms";
      return;
    }
    var vars = (data.head && data.head.vars) || [];
    var rows = (data.results && data.results.bindings) || [];
    var table = el("table", { class: "results-table" });
    table.appendChild(el("thead", {}, [el("tr", {}, vars.map(function (v) { return el("th", { scope: "col", text: v }); }))]));
    var body = el("tbody");
    var SHOWN = 300;
    rows.slice(0, SHOWN).forEach(function (row) {
      body.appendChild(el("tr", {}, vars.map(function (v) { return cell(row[v]); })));
    });
    table.appendChild(body);
    if (rows.length > SHOWN) {
      results.appendChild(el("p", { class: "muted small", text: RT.t("showing_first").replace("{n}", SHOWN).replace("{total}", rows.length) }));
    }
    if (truncated) results.appendChild(el("p", { class: "note warn", role: "alert", text: RT.t("truncated") }));
    results.appendChild(el("div", { class: "table-scroll" }, [table]));
    status.textContent = rows.length + " " + RT.t("rows") + " · " + ms + " ms";
    csvLink.href = downloadHref("csv", query);
    jsonLink.href = downloadHref("json", query);
    csvLink.hidden = false;
    jsonLink.hidden = false;
  }

  function showGraph(text, query, truncated, ms) {
    results.textContent = "";
    if (truncated) results.appendChild(el("p", { class: "note warn", role: "alert", text: RT.t("truncated") }));
    results.appendChild(el("pre", { class: "turtle", text: text }));
    status.textContent = "Turtle · " + ms + " ms";
    csvLink.hidden = true;
    jsonLink.href = downloadHref("jsonld", query);
    jsonLink.hidden = false;
  }

  function run() {
    var query = getQuery();
    if (!query.trim()) return;
    status.textContent = RT.t("running");
    runButton.disabled = true;
    csvLink.hidden = true;
    jsonLink.hidden = true;
    var started = Date.now();
    fetch("/sparql", {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded;charset=UTF-8",
        Accept: "application/sparql-results+json, text/turtle;q=0.9"
      },
      body: new URLSearchParams({ query: query }).toString()
    })
      .then(function (resp) {
        var ms = Date.now() - started;
        var truncated = resp.headers.get("X-Rongtong-Truncated") === "true";
        var type = resp.headers.get("Content-Type") || "";
        return resp.text().then(function (text) {
          if (!resp.ok) {
            var msg = "HTTP " + resp.status;
            try {
              msg = JSON.parse(text).error.message || msg;
            } catch (e) {
              /* not JSON */
            }
            throw new Error(msg);
          }
          if (type.indexOf("json") >= 0) showTable(JSON.parse(text), query, truncated, ms);
          else showGraph(text, query, truncated, ms);
        });
      }, function () {
        throw new Error(RT.t("error_network"));
      })
      .catch(function (err) {
        results.textContent = "";
        results.appendChild(el("p", { class: "note error", role: "alert", text: RT.t("error_failed") + " " + err.message }));
        status.textContent = "";
      })
      .then(function () {
        runButton.disabled = false;
      });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    run();
  });
  if (form.getAttribute("data-autorun") === "1") run();
})();
