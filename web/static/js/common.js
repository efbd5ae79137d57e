/* Rongtong: shared helpers for every page: UI strings, the language switch, safe DOM building,
   JSON requests that always end in either data or a readable error. No inline scripts (CSP). */
(function () {
  "use strict";

  var RT = (window.RT = window.RT || {});
  var stringsEl = document.getElementById("rt-strings");
  var STRINGS = {};
  try {
    STRINGS = JSON.parse(stringsEl ? stringsEl.textContent : "{}");
  } catch (e) {
    STRINGS = {};
  }
  var listeners = [];

  RT.lang = document.documentElement.getAttribute("data-lang") === "en" ? "en" : "zh";
  RT.serverLang = RT.lang; /* the language the server rendered the page in */

  RT.t = function (key) {
    var entry = STRINGS[key];
    if (!entry) return key;
    return entry[RT.lang] || entry.zh || key;
  };

  /* Build an element: el("a", {href: "/x", class: "y"}, ["text", child]). Text is always text. */
  RT.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (name) {
        var value = attrs[name];
        if (value === null || value === undefined || value === false) return;
        if (name === "text") node.textContent = value;
        else if (name === "class") node.className = value;
        else if (name.slice(0, 2) === "on" && typeof value === "function") {
          node.addEventListener(name.slice(2), value);
        } else node.setAttribute(name, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  var RTD = "https://w3id.org/rongtong/id/";
  RT.localId = function (iri) {
    return typeof iri === "string" && iri.indexOf(RTD) === 0 ? iri.slice(RTD.length) : null;
  };
  /* The page of one of our IRIs, or null. */
  RT.href = function (iri) {
    var id = RT.localId(iri);
    if (!id) return null;
    return (id.indexOf("src-") === 0 ? "/source/" : "/entity/") + encodeURIComponent(id);
  };

  /* Years as text: typical years ("4"), the sources' range ("2–3") or null (unknown). */
  function yearsText(value, range) {
    if (value !== undefined && value !== null) return String(value);
    if (range && range.length === 2) return range[0] + "–" + range[1];
    return null;
  }
  RT.stepYears = function (step) { return yearsText(step.years, step.years_range); };
  /* the years text with the wait before the step, if any ("3，须先等满 2 年（计入总年限）") */
  RT.stepSpan = function (step) {
    var text = RT.stepYears(step);
    if (!step.wait_years) return text;
    return (text || RT.t("unknown")) + (RT.lang === "zh" ? "，" : ", ") + RT.t("wait_years").replace("{n}", String(step.wait_years));
  };
  RT.pathYears = function (path) { return yearsText(path.total_years, path.total_years_range); };

  /* fetch JSON; resolves to data, rejects with an Error whose message is readable. */
  RT.fetchJSON = function (url, options) {
    options = options || {};
    options.headers = options.headers || {};
    if (!options.headers.Accept) options.headers.Accept = "application/json";
    return fetch(url, options).then(
      function (resp) {
        return resp.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch (e) {
            data = null;
          }
          if (!resp.ok) {
            var msg = data && data.error && data.error.message ? data.error.message : "HTTP " + resp.status;
            var err = new Error(msg);
            err.status = resp.status;
            err.code = data && data.error ? data.error.code : null;
            throw err;
          }
          if (data === null) throw new Error("HTTP " + resp.status + ": not JSON");
          return data;
        });
      },
      function () {
        var err = new Error(RT.t("error_network"));
        err.network = true;
        throw err;
      }
    );
  };

  /* Language: remembered in localStorage (and a cookie so the server renders it first time). */
  function storeLang(lang) {
    try {
      window.localStorage.setItem("rt_lang", lang);
    } catch (e) {
      /* private mode: the cookie still works */
    }
    document.cookie = "rt_lang=" + lang + "; path=/; max-age=31536000; SameSite=Lax";
  }

  function applyStrings(root) {
    (root || document).querySelectorAll("[data-i18n]").forEach(function (node) {
      node.textContent = RT.t(node.getAttribute("data-i18n"));
    });
    (root || document).querySelectorAll("[data-i18n-placeholder]").forEach(function (node) {
      node.setAttribute("placeholder", RT.t(node.getAttribute("data-i18n-placeholder")));
    });
    (root || document).querySelectorAll("[data-i18n-aria-label]").forEach(function (node) {
      node.setAttribute("aria-label", RT.t(node.getAttribute("data-i18n-aria-label")));
    });
  }
  RT.applyStrings = applyStrings;

  RT.setLang = function (lang) {
    lang = lang === "en" ? "en" : "zh";
    var changed = lang !== RT.lang;
    RT.lang = lang;
    storeLang(lang);
    document.documentElement.setAttribute("lang", lang === "zh" ? "zh-CN" : "en");
    document.documentElement.setAttribute("data-lang", lang);
    applyStrings(document);
    if (changed) listeners.forEach(function (fn) { fn(lang); });
  };
  RT.onLang = function (fn) {
    listeners.push(fn);
  };

  var saved = null;
  try {
    saved = window.localStorage.getItem("rt_lang");
  } catch (e) {
    saved = null;
  }
  if (saved === "zh" || saved === "en") {
    if (saved !== RT.lang) RT.setLang(saved);
    else storeLang(saved);
  }

  var button = document.getElementById("lang-switch");
  if (button) {
    button.addEventListener("click", function () {
      RT.setLang(RT.lang === "zh" ? "en" : "zh");
    });
  }
})();
