/* The interactive network view: Cytoscape.js fed by a JSON data block (no inline script, CSP). */
(function () {
  "use strict";
  var container = document.getElementById("cy");
  if (!container || typeof window.cytoscape !== "function") { return; }
  var elements = JSON.parse(document.getElementById("network-elements").textContent);
  var pathIds = JSON.parse(document.getElementById("network-path").textContent);
  var palette = ["#0b5cad", "#d1495b", "#1a7f37", "#edae49", "#6f42c1", "#00798c", "#bc4c00",
                 "#4a5560", "#d63384", "#30638e", "#8a5a00", "#66a182"];
  var roleColours = {
    RecruiterOrIntermediary: "#d1495b", Transporter: "#edae49", Exploiter: "#6f42c1",
    BrokerTravelAgent: "#00798c", TravellingPartner: "#66a182"
  };
  var countryColours = { TG: "#006a4e", GA: "#1d5fa8", BJ: "#edae49", NG: "#1a7f37" };
  var colourBy = document.getElementById("colour-by");
  var sizeBy = document.getElementById("size-by");
  var counter = document.getElementById("cy-count");
  var selection = document.getElementById("selection");
  var expandButton = document.getElementById("expand");
  var selected = null;

  function hashColour(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) { h = (h * 31 + text.charCodeAt(i)) % 997; }
    return palette[h % palette.length];
  }

  function colourOf(node) {
    var mode = colourBy.value;
    if (mode === "community") { return palette[node.data("community") % palette.length]; }
    if (mode === "role") { return roleColours[node.data("role")] || "#9aa4ae"; }
    if (mode === "country") { return countryColours[node.data("country")] || hashColour(node.data("country") || "?"); }
    return node.data("colour");
  }

  var maxima = {};
  function measure(nodes) {
    ["degree", "betweenness", "eigenvector"].forEach(function (name) {
      nodes.forEach(function (n) {
        var data = n.data || n;
        maxima[name] = Math.max(maxima[name] || 0, Number(data[name]) || 0);
      });
    });
  }
  measure(elements.nodes);

  function sizeOf(node) {
    var value = Number(node.data(sizeBy.value)) || 0;
    var max = maxima[sizeBy.value] || 0;
    return 14 + (max > 0 ? 36 * value / max : 0);
  }

  var cy = window.cytoscape({
    container: container,
    elements: elements.nodes.concat(elements.edges),
    style: [
      { selector: "node", style: {
        "background-color": colourOf, "width": sizeOf, "height": sizeOf, "label": "data(label)",
        "font-size": 9, "color": "#1b1f24", "text-valign": "bottom", "text-margin-y": 2 } },
      { selector: "node[?key_player]", style: { "border-width": 4, "border-color": "#a4161a" } },
      { selector: "edge", style: { "width": "mapData(weight, 1, 20, 1, 6)", "line-color": "#b0b8c0", "curve-style": "haystack" } },
      { selector: ".path", style: { "line-color": "#f2a900", "border-color": "#f2a900", "border-width": 5, "width": 5, "z-index": 9 } },
      { selector: ".faded", style: { "opacity": 0.2 } },
      { selector: ":selected", style: { "border-width": 5, "border-color": "#1b1f24" } }
    ],
    layout: { name: "cose", animate: false, randomize: false, nodeRepulsion: function () { return 8000; } }
  });
  window.corridorNetwork = cy;

  function updateCount() { counter.textContent = String(cy.nodes().length); }
  function restyle() { cy.style().update(); }
  colourBy.addEventListener("change", restyle);
  sizeBy.addEventListener("change", restyle);
  document.getElementById("fit").addEventListener("click", function () { cy.fit(undefined, 20); });

  function highlightPath(ids) {
    cy.elements().removeClass("path");
    for (var i = 0; i < ids.length; i++) {
      cy.getElementById(ids[i]).addClass("path");
      if (i > 0) {
        cy.edges().filter(function (e) {
          var s = e.data("source"), t = e.data("target");
          return (s === ids[i - 1] && t === ids[i]) || (s === ids[i] && t === ids[i - 1]);
        }).addClass("path");
      }
    }
  }
  highlightPath(pathIds);

  function expand(node) {
    var url = container.dataset.neighboursUrl.replace("/0/", "/" + node.id() + "/");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
      .then(function (data) {
        var added = cy.collection();
        measure(data.nodes);
        data.nodes.concat(data.edges).forEach(function (element) {
          if (cy.getElementById(element.data.id).empty()) { added = added.union(cy.add(element)); }
        });
        if (added.length) {
          cy.layout({ name: "cose", animate: false, randomize: false }).run();
        }
        updateCount();
      })
      .catch(function () { selection.textContent = selection.dataset.error || "!"; });
  }

  cy.on("tap", "node", function (event) {
    selected = event.target;
    expandButton.disabled = false;
    var link = container.dataset.detailUrl.replace("/0/", "/" + selected.id() + "/");
    selection.textContent = "";
    var a = document.createElement("a");
    a.href = link;
    a.textContent = selected.data("label");
    selection.appendChild(a);
    var facts = [selected.data("kind_label") || selected.data("kind"), selected.data("role_label"), selected.data("country")];
    selection.appendChild(document.createTextNode(" · " + facts.filter(Boolean).join(" · ")));
  });
  cy.on("dbltap", "node", function (event) { expand(event.target); });
  expandButton.addEventListener("click", function () { if (selected) { expand(selected); } });

  document.getElementById("png").addEventListener("click", function () {
    var blob = cy.png({ output: "blob", full: true, bg: "#ffffff", scale: 2 });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "network.png";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  });

  // On a phone the timeline would run for metres below the graph: it starts folded, and a row
  // tapped there brings the graph back into view to show who took part.
  var narrow = window.matchMedia("(max-width: 700px)").matches;
  var events = document.getElementById("events");
  if (narrow && events) { events.open = false; }
  document.querySelectorAll("table.timeline tbody tr[data-members]").forEach(function (row) {
    row.addEventListener("click", function () {
      if (narrow) { container.scrollIntoView({ behavior: "smooth", block: "center" }); }
      var ids = row.dataset.members.split(" ").filter(Boolean);
      document.querySelectorAll("table.timeline tr.highlight").forEach(function (r) { r.classList.remove("highlight"); });
      row.classList.add("highlight");
      cy.elements().addClass("faded");
      ids.forEach(function (id) { cy.getElementById(id).removeClass("faded"); });
      cy.edges().filter(function (e) { return ids.indexOf(e.data("source")) >= 0 && ids.indexOf(e.data("target")) >= 0; }).removeClass("faded");
    });
  });
  cy.on("tap", function (event) { if (event.target === cy) { cy.elements().removeClass("faded"); } });
  updateCount();
  container.dataset.ready = "1";
})();
