/* Course finder: narrows the server-rendered course list by facets and keywords.
 *
 * The full list is in the page (it is the no-JavaScript version); each item carries its facets
 * in data attributes generated at build time. Choices live in the URL (?module=…&level=…), so a
 * link or the back button restores them. Each option shows how many courses it would leave.
 */
(function () {
  "use strict";

  var form = document.getElementById("cc-finder");
  var list = document.getElementById("cc-finder-list");
  if (!form || !list) return;
  var status = document.getElementById("cc-finder-status");
  var text = document.getElementById("cc-finder-q");
  var FACETS = ["module", "audience", "level", "format", "hours", "tag"];
  var MULTI = { audience: true, tag: true };  // attributes holding several values, "|"-separated
  var STOP = /怎么办|怎么样|怎么|怎样|如何|什么|为什么|哪些|哪个|需要|可以|请问|我想|的|吗|呢|吧/g;

  var items = Array.prototype.map.call(list.querySelectorAll("li[data-module]"), function (li) {
    var facets = {};
    FACETS.forEach(function (f) {
      if (f === "hours") return;
      var v = li.getAttribute("data-" + f) || "";
      facets[f] = MULTI[f] ? v.split("|") : [v];
    });
    return { el: li, facets: facets, hours: parseFloat(li.getAttribute("data-hours")), text: (li.textContent + " " + li.getAttribute("data-text")).toLowerCase(), shown: true };
  });
  var groups = Array.prototype.slice.call(list.querySelectorAll("[data-group]"));
  var countNodes = {};
  Array.prototype.forEach.call(form.querySelectorAll("[data-count-for]"), function (n) {
    countNodes[n.getAttribute("data-count-for")] = n;
  });

  function readState() {
    var params = new URL(location.href).searchParams, state = { q: params.get("q") || "" };
    FACETS.forEach(function (f) { state[f] = params.getAll(f); });
    return state;
  }

  function formState() {
    var state = { q: text.value.trim() };
    FACETS.forEach(function (f) {
      state[f] = Array.prototype.filter.call(form.elements[f] ? form.querySelectorAll("input[name=" + f + "]") : [],
        function (i) { return i.checked; }).map(function (i) { return i.value; });
    });
    return state;
  }

  function writeForm(state) {
    text.value = state.q;
    FACETS.forEach(function (f) {
      Array.prototype.forEach.call(form.querySelectorAll("input[name=" + f + "]"), function (i) {
        i.checked = state[f].indexOf(i.value) >= 0;
      });
    });
  }

  function inHours(item, range) {
    var p = range.split("-"), lo = parseFloat(p[0]), hi = parseFloat(p[1]);
    return item.hours > lo && item.hours <= hi;
  }

  function matchesFacet(item, f, chosen) {
    if (!chosen.length) return true;
    if (f === "hours") return chosen.some(function (r) { return inHours(item, r); });
    var values = item.facets[f];
    return chosen.some(function (c) { return values.indexOf(c) >= 0; });
  }

  function keywords(q) {
    return q.toLowerCase().replace(STOP, " ").split(/\s+/).filter(Boolean);
  }

  function matchesText(item, words) {
    for (var i = 0; i < words.length; i++) if (item.text.indexOf(words[i]) < 0) return false;
    return true;
  }

  function apply(state) {
    var started = performance.now();
    var words = keywords(state.q);
    // For each item, which facets (besides the text) it fails; counts need "all but one facet".
    var counts = {}, shown = 0;
    items.forEach(function (item) {
      if (!matchesText(item, words)) { item.match = false; return; }
      var failed = null, failures = 0;
      for (var k = 0; k < FACETS.length; k++) {
        if (!matchesFacet(item, FACETS[k], state[FACETS[k]])) { failures++; failed = FACETS[k]; if (failures > 1) break; }
      }
      item.match = failures === 0;
      if (failures > 1) return;
      // An option's count: items passing every other facet and having that option.
      FACETS.forEach(function (f) {
        if (failures === 1 && failed !== f) return;
        var values = f === "hours" ? hourKeys(item) : item.facets[f];
        values.forEach(function (v) { var key = f + "=" + v; counts[key] = (counts[key] || 0) + 1; });
      });
    });
    items.forEach(function (item) {
      if (item.match) shown++;
      if (item.match !== item.shown) { item.el.hidden = !item.match; item.shown = item.match; }
    });
    groups.forEach(function (g) {
      var any = g.querySelector("li[data-module]:not([hidden])") !== null;
      if (g.hidden === any) g.hidden = !any;
    });
    for (var key in countNodes) {
      var n = counts[key] || 0, node = countNodes[key];
      var label = "（" + n + "）";
      if (node.textContent !== label) node.textContent = label;
      var input = node.parentNode.querySelector("input");
      input.setAttribute("aria-label", node.previousElementSibling.textContent + "，" + n + " 门课程");
      node.parentNode.classList.toggle("cc-option--empty", n === 0 && !input.checked);
    }
    status.textContent = shown === items.length ? "显示全部 " + shown + " 门课程" : "找到 " + shown + " 门课程";
    document.dispatchEvent(new CustomEvent("cc-finder-done", { detail: { ms: performance.now() - started, shown: shown } }));
    return shown;
  }

  function hourKeys(item) {
    var out = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[name=hours]"), function (i) {
      if (inHours(item, i.value)) out.push(i.value);
    });
    return out;
  }

  function toURL(state) {
    var url = new URL(location.href);
    url.search = "";
    if (state.q) url.searchParams.set("q", state.q);
    FACETS.forEach(function (f) { state[f].forEach(function (v) { url.searchParams.append(f, v); }); });
    return url;
  }

  form.addEventListener("change", function (e) {
    if (e.target === text) return;
    var state = formState();
    history.pushState(null, "", toURL(state));
    apply(state);
  });
  var timer = null;
  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var state = formState();
      history.replaceState(null, "", toURL(state));
      apply(state);
    }, 150);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () {
      var state = formState();
      history.pushState(null, "", toURL(state));
      apply(state);
    });
  });
  window.addEventListener("popstate", function () {
    var state = readState();
    writeForm(state);
    apply(state);
  });

  form.hidden = false;
  var initial = readState();
  writeForm(initial);
  apply(initial);
})();
