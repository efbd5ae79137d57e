/* Draw pathways ({steps: [{from, to, via, years, conditions, region, source}]}) with cytoscape.
   RT.routeMap(container, paths, {onStep: fn(step), start: iri, goal: iri, compact: bool}) */
(function () {
  "use strict";
  var RT = (window.RT = window.RT || {});

  function keyOf(step) {
    var via = step.via && step.via.iri ? step.via.iri : step.mechanism && step.mechanism.iri ? step.mechanism.iri : "";
    return (step.from && step.from.iri) + "|" + (step.to && step.to.iri) + "|" + via;
  }
  RT.stepKey = keyOf;
  function edgeKey(step) {
    return (step.from && step.from.iri) + "|" + (step.to && step.to.iri);
  }
  RT.edgeKey = edgeKey;

  function viaLabel(step) {
    if (step.mechanism && step.mechanism.label) return step.mechanism.label;
    if (step.via && step.via.label) return step.via.label;
    return "";
  }
  RT.viaLabel = viaLabel;

  function textWidth(label) {
    var w = 0;
    for (var i = 0; i < label.length; i++) w += label.charCodeAt(i) > 255 ? 13 : 7.2;
    return Math.max(56, Math.min(200, w + 22));
  }

  function wrapLabel(label, max) {
    if (label.length <= max) return label;
    var words = label.split(" ");
    if (words.length === 1) return label.slice(0, max) + "\n" + label.slice(max, max * 2);
    var lines = [""];
    words.forEach(function (word) {
      var cur = lines[lines.length - 1];
      if ((cur + " " + word).trim().length > max && cur) lines.push(word);
      else lines[lines.length - 1] = (cur + " " + word).trim();
    });
    return lines.join("\n");
  }

  /* Layers: a node's rank is its longest distance from the start (back edges of cycles, such as
     transfers back and forth, are ignored); nodes of one rank are ordered by their predecessors. */
  function layered(nodeIds, edgeList, start, goal, width, height, horizontal) {
    var out = {};
    var succ = {};
    nodeIds.forEach(function (n) { succ[n] = []; });
    edgeList.forEach(function (e) { if (succ[e.source]) succ[e.source].push(e.target); });
    var state = {};
    var order = [];
    var back = {};
    function visit(n) {
      state[n] = 1;
      succ[n].forEach(function (m) {
        if (state[m] === 1) back[n + "|" + m] = true;
        else if (!state[m]) visit(m);
      });
      state[n] = 2;
      order.push(n);
    }
    if (start && succ[start]) visit(start);
    nodeIds.forEach(function (n) { if (!state[n]) visit(n); });
    order.reverse();
    var rank = {};
    nodeIds.forEach(function (n) { rank[n] = 0; });
    order.forEach(function (n) {
      succ[n].forEach(function (m) {
        if (!back[n + "|" + m] && rank[m] < rank[n] + 1) rank[m] = rank[n] + 1;
      });
    });
    var maxRank = 0;
    nodeIds.forEach(function (n) { maxRank = Math.max(maxRank, rank[n]); });
    if (goal && rank[goal] !== undefined && rank[goal] < maxRank) rank[goal] = maxRank;
    var layers = [];
    for (var r = 0; r <= maxRank; r++) layers.push([]);
    order.forEach(function (n) { layers[rank[n]].push(n); });
    var pos = {};
    var spanMain = horizontal ? width : height;
    var spanCross = horizontal ? height : width;
    layers.forEach(function (layer, r) {
      if (r > 0) {
        layer.sort(function (a, b) {
          function bary(n) {
            var sum = 0, count = 0;
            edgeList.forEach(function (e) {
              if (e.target === n && pos[e.source] !== undefined) { sum += pos[e.source]; count++; }
            });
            return count ? sum / count : 0.5;
          }
          return bary(a) - bary(b);
        });
      }
      layer.forEach(function (n, i) {
        pos[n] = (i + 1) / (layer.length + 1);
        var main = maxRank ? (r / maxRank) : 0.5;
        var a = 60 + main * Math.max(spanMain - 120, 0);
        var b = pos[n] * spanCross;
        out[n] = horizontal ? { x: a, y: b } : { x: b, y: a };
      });
    });
    return out;
  }

  RT.routeMap = function (container, paths, options) {
    options = options || {};
    if (!window.cytoscape || !container) return null;
    var nodes = {};
    var edges = {};
    var steps = {};
    (paths || []).forEach(function (path) {
      (path.steps || []).forEach(function (step) {
        [step.from, step.to].forEach(function (n) {
          if (n && n.iri && !nodes[n.iri]) {
            var label = n.label || RT.localId(n.iri) || n.iri;
            var shown = wrapLabel(label, RT.lang === "zh" ? 8 : 16);
            var longest = shown.split("\n").reduce(function (a, b) { return a.length > b.length ? a : b; }, "");
            nodes[n.iri] = { data: { id: n.iri, label: shown, w: textWidth(longest), h: shown.indexOf("\n") >= 0 ? 44 : 30 } };
          }
        });
        var key = edgeKey(step);
        if (!step.from || !step.to) return;
        if (!edges[key]) {
          edges[key] = { data: { id: "e" + Object.keys(edges).length, source: step.from.iri, target: step.to.iri, label: "", key: key } };
          steps[key] = [];
        }
        if (!steps[key].some(function (s) { return keyOf(s) === keyOf(step); })) steps[key].push(step);
      });
    });
    Object.keys(edges).forEach(function (key) {
      var list = steps[key];
      var names = [];
      list.forEach(function (s) {
        var name = viaLabel(s);
        if (name && names.indexOf(name) < 0) names.push(name);
      });
      var label = names.slice(0, 2).join(" / ");
      if (names.length > 2) label += " +" + (names.length - 2);
      if (list.length === 1 && RT.stepYears(list[0])) {
        label += " · " + RT.stepYears(list[0]) + (RT.lang === "zh" ? "年" : "y");
      }
      edges[key].data.label = label;
    });
    var start = options.start;
    var goal = options.goal;
    if (start && nodes[start]) nodes[start].classes = "start";
    if (goal && nodes[goal]) nodes[goal].classes = "goal";
    var elements = Object.keys(nodes).map(function (k) { return nodes[k]; })
      .concat(Object.keys(edges).map(function (k) { return edges[k]; }));
    var font = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif';
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      autoungrabify: true,
      boxSelectionEnabled: false,
      userZoomingEnabled: !options.compact,
      userPanningEnabled: true,
      minZoom: 0.3,
      maxZoom: 2.5,
      style: [
        { selector: "node", style: {
          shape: "round-rectangle", width: "data(w)", height: "data(h)",
          "background-color": "#eef4f1", "border-color": "#2f6f5e", "border-width": 1.5,
          label: "data(label)", "text-valign": "center", "text-halign": "center",
          "text-wrap": "wrap", "font-size": 12, "font-family": font, color: "#1d2b27" } },
        { selector: "node.start", style: { "background-color": "#2f6f5e", color: "#fff" } },
        { selector: "node.goal", style: { "background-color": "#c8553d", "border-color": "#9e3f2b", color: "#fff" } },
        { selector: "edge", style: {
          width: 2, "line-color": "#8aa39b", "target-arrow-color": "#8aa39b",
          "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)",
          "font-size": 10, "font-family": font, color: "#33413c", "text-background-color": "#ffffff",
          "text-background-opacity": 0.9, "text-background-padding": 2, "text-rotation": "autorotate" } },
        { selector: "edge.quiet", style: { label: "" } },
        { selector: "edge.selected", style: { width: 4, "line-color": "#c8553d", "target-arrow-color": "#c8553d" } }
      ],
      layout: { name: "preset", padding: 16, fit: true }
    });
    var box = container.getBoundingClientRect();
    var horizontal = box.width >= 560;
    var positions = layered(
      Object.keys(nodes),
      Object.keys(edges).map(function (k) { return edges[k].data; }),
      start, goal, box.width || 600, box.height || 300, horizontal
    );
    cy.nodes().forEach(function (n) {
      if (positions[n.id()]) n.position(positions[n.id()]);
    });
    cy.fit(undefined, 16);
    /* rotated labels collide on a crowded or phone-width map: show only the chosen step's label there */
    var quiet = options.compact || !horizontal || Object.keys(edges).length > 14;
    if (quiet) cy.edges().addClass("quiet");
    /* how many edge labels are drawn: the browser tests read it (a canvas has no DOM to count) */
    function markLabels() {
      container.setAttribute("data-edge-labels", String(cy.edges().not(".quiet").length));
    }
    markLabels();
    /* a small graph should not be blown up to fill the box */
    var maxFit = options.compact ? 1.0 : 1.25;
    if (cy.zoom() > maxFit) {
      cy.zoom(maxFit);
      cy.center();
    }
    cy.on("tap", "edge", function (evt) {
      var key = evt.target.data("key");
      cy.edges().removeClass("selected");
      if (quiet) cy.edges().addClass("quiet");
      evt.target.addClass("selected").removeClass("quiet");
      markLabels();
      if (options.onStep && steps[key]) options.onStep(steps[key], key);
    });
    cy.selectEdge = function (key) {
      cy.edges().removeClass("selected");
      if (quiet) cy.edges().addClass("quiet");
      cy.edges().filter(function (e) { return e.data("key") === key; }).addClass("selected").removeClass("quiet");
      markLabels();
    };
    return cy;
  };
})();
