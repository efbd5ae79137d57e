/* Entity and source pages carry data labels in one language: reload them when it changes. */
(function () {
  "use strict";
  var RT = window.RT;
  if (!RT) return;
  function reload(lang) {
    var url = new URL(window.location.href);
    url.searchParams.set("lang", lang);
    window.location.replace(url.toString());
  }
  RT.onLang(reload);
  if (RT.serverLang !== RT.lang) reload(RT.lang);
})();
