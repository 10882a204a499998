/* Course finder: narrows the server-rendered course list by facets and keywords.
 *
 * The full list is in the page (it is the no-JavaScript version); each item carries its facets
 * in data attributes generated at build time. Choices live in the URL (?module=…&level=…), so a
 * link or the back button restores them. Each option shows how many courses it would leave.
 *
 * While a filter is on, the full list is hidden and the matches are shown in pages of 60 copies
 * of its items: hiding one element and adding 60 is cheap, whereas toggling thousands of list
 * items makes the browser restyle all of them (measured in bench/finder.py).
 *
 * A large catalogue's list is split into numbered pages, so no page holds every course. Then the
 * list carries data-chunks: the script fetches the courses' data in that many fixed-size JSON
 * files (finder/data-N.json, written by the build) when the trainee first uses the filters, and
 * draws the matches from the data instead of copying items of the page.
 */
(function () {
  "use strict";

  var form = document.getElementById("cc-finder");
  var list = document.getElementById("cc-finder-list");
  if (!form || !list) return;
  var status = document.getElementById("cc-finder-status");
  var results = document.getElementById("cc-finder-results");
  var PAGE = 60;
  var filters = document.getElementById("cc-filters");
  var filtersCount = document.getElementById("cc-filters-count");
  var interacted = false;
  var text = document.getElementById("cc-finder-q");
  var FACETS = ["module", "audience", "level", "format", "hours", "tag"];
  var MULTI = { audience: true, tag: true };  // attributes holding several values, "|"-separated
  // Normalisation and the words a query drops are the search's shared rules (search-rules.js),
  // loaded with the first keyword: facets alone do not need them.
  var rulesURL = document.currentScript && document.currentScript.getAttribute("data-rules");
  var rulesWaiting = null;
  function loadRules(done) {
    if (window.ccText || !rulesURL) { done(); return; }
    if (rulesWaiting) { rulesWaiting.push(done); return; }
    rulesWaiting = [done];
    var s = document.createElement("script");
    s.src = rulesURL;
    s.onload = s.onerror = function () {
      var waiting = rulesWaiting;
      rulesWaiting = null;
      waiting.forEach(function (f) { f(); });
    };
    document.head.appendChild(s);
  }

  var chunks = parseInt(list.getAttribute("data-chunks") || "0", 10);
  var items = chunks ? null : Array.prototype.map.call(list.querySelectorAll("li[data-module]"), function (li) {
    var facets = {};
    FACETS.forEach(function (f) {
      if (f === "hours") return;
      var v = li.getAttribute("data-" + f) || "";
      facets[f] = MULTI[f] ? v.split("|") : [v];
    });
    return { el: li, facets: facets, hours: parseFloat(li.getAttribute("data-hours")), text: keywordText(li) };
  });
  var loading = null, rulesTried = false;

  // The one-page finder's keyword text besides title and summary (tag names, title pinyin): one
  // file in list order, fetched when the keyword box is first used rather than carried by every
  // item of the page. Without it (offline and never fetched) titles and summaries still match.
  var textURL = chunks ? null : list.getAttribute("data-text");
  var textState = textURL ? "" : "loaded";  // "", "loading", "loaded" or "failed"
  var textWaiting = [];
  function loadText(done) {
    if (textState === "loaded" || textState === "failed") { done(); return; }
    textWaiting.push(done);
    if (textState === "loading") return;
    textState = "loading";
    var finish = function (state) {
      textState = state;
      var waiting = textWaiting;
      textWaiting = [];
      waiting.forEach(function (f) { f(); });
    };
    fetch(new URL(textURL, location.href)).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (texts) {
      if (texts.length !== items.length) throw new Error("stale");
      items.forEach(function (item, i) { item.text += " " + texts[i].normalize("NFKC").toLowerCase(); });
      finish("loaded");
    }).catch(function () { finish("failed"); });
  }

  // The paginated finder's data: [url, title, module, audience, level, format, hours, tags,
  // extra keyword text, meta line, summary] per course, in the order of the list pages.
  function load(done) {
    if (items) { done(); return; }
    if (loading) { loading.push(done); return; }
    loading = [done];
    status.textContent = "正在载入全部课程的数据…";
    var first = new URL(list.getAttribute("data-data"), location.href);
    var root = new URL("../", first);
    var parts = [];
    for (var n = 0; n < chunks; n++) {
      parts.push(fetch(new URL("data-" + n + ".json", first)).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.json();
      }));
    }
    Promise.all(parts).then(function (loaded) {
      items = [];
      loaded.forEach(function (rows) {
        rows.forEach(function (r) {
          var facets = { module: [r[2]], audience: r[3].split("|"), level: [r[4]], format: [r[5]], tag: r[7].split("|") };
          var text = [r[1], r[10], r[8]].join(" ").toLowerCase();
          items.push({ row: r, href: new URL(r[0], root).href, facets: facets, hours: r[6], text: text });
        });
      });
      var waiting = loading;
      loading = null;
      waiting.forEach(function (f) { f(); });
    }).catch(function () {
      loading = null;
      status.textContent = "课程数据没有载入，请检查网络后重试；下面的列表仍可翻页浏览。";
    });
  }

  // An item of the results: a copy of the page's item, or one drawn from the data.
  function nodeOf(item) {
    if (item.el) return item.el.cloneNode(true);
    var r = item.row, li = document.createElement("li");
    li.className = "cc-item";
    [["module", r[2]], ["audience", r[3]], ["level", r[4]], ["format", r[5]], ["hours", r[6]], ["tag", r[7]], ["text", r[8]]]
      .forEach(function (a) { li.setAttribute("data-" + a[0], a[1]); });
    var a = document.createElement("a");
    a.className = "cc-item__title";
    a.href = item.href;
    a.textContent = r[1];
    var meta = document.createElement("span");
    meta.className = "cc-meta";
    meta.textContent = r[9];
    var summary = document.createElement("span");
    summary.className = "cc-item__summary";
    summary.textContent = r[10];
    li.appendChild(a);
    li.appendChild(document.createTextNode("\n"));
    li.appendChild(meta);
    li.appendChild(document.createTextNode("\n"));
    li.appendChild(summary);
    return li;
  }
  var countNodes = {};
  Array.prototype.forEach.call(form.querySelectorAll("[data-count-for]"), function (n) {
    countNodes[n.getAttribute("data-count-for")] = n;
  });

  // What the keyword box searches: title, summary, then tag names and title pinyin from
  // finder/text.json (not the meta line, whose module name would make every course of
  // 社区电商及团长培养 match 团长).
  function keywordText(li) {
    var title = li.querySelector(".cc-item__title"), summary = li.querySelector(".cc-item__summary");
    return [title && title.textContent, summary && summary.textContent].join(" ").normalize("NFKC").toLowerCase();
  }

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
    if (window.ccText) return window.ccText.keywords(q);
    // The rules could not be fetched (offline, never cached): words as typed.
    return q.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matchesText(item, words) {
    for (var i = 0; i < words.length; i++) if (item.text.indexOf(words[i]) < 0) return false;
    return true;
  }

  function apply(state) {
    if (!items) {
      load(function () { apply(state); });
      return 0;
    }
    if (state.q.trim() && !window.ccText && rulesURL && !rulesTried) {
      rulesTried = true;
      loadRules(function () { apply(state); });
      return 0;
    }
    var words = keywords(state.q);
    if (words.length && textState !== "loaded" && textState !== "failed") {
      loadText(function () { apply(state); });
      return 0;
    }
    var started = performance.now();
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
    var matches = items.filter(function (item) { return item.match; });
    shown = matches.length;
    // Once the trainee has used the filters, clearing them shows the first page of all courses
    // instead of bringing back the whole list, which costs a full layout of thousands of items.
    var filtering = interacted || words.length > 0 || FACETS.some(function (f) { return state[f].length > 0; });
    if (filtering) showPage(matches, PAGE);
    if (list.hidden !== filtering) list.hidden = filtering;
    if (results.hidden === filtering) results.hidden = !filtering;
    for (var key in countNodes) {
      var n = counts[key] || 0, node = countNodes[key];
      var label = "（" + n + "）";
      if (node.textContent !== label) node.textContent = label;
      var input = node.parentNode.querySelector("input");
      input.setAttribute("aria-label", node.previousElementSibling.textContent + "，" + n + " 门课程");
      node.parentNode.classList.toggle("cc-option--empty", n === 0 && !input.checked);
    }
    // The filter button's count of active choices (the panel stays closed on a phone until opened).
    var active = FACETS.reduce(function (n, f) { return n + state[f].length; }, 0);
    if (filtersCount) filtersCount.textContent = "（已选 " + active + " 项）";
    status.textContent = shown === items.length ? "显示全部 " + shown + " 门课程" : "找到 " + shown + " 门课程";
    document.dispatchEvent(new CustomEvent("cc-finder-done", { detail: { ms: performance.now() - started, shown: shown } }));
    return shown;
  }

  function showPage(matches, limit) {
    var ul = document.createElement("ul");
    ul.className = "cc-list";
    matches.slice(0, limit).forEach(function (item) { ul.appendChild(nodeOf(item)); });
    results.textContent = "";
    results.appendChild(ul);
    if (matches.length > limit) {
      var more = document.createElement("button");
      more.type = "button";
      more.className = "cc-finder__more";
      more.textContent = "再显示 " + Math.min(PAGE, matches.length - limit) + " 门（共 " + matches.length + " 门）";
      more.addEventListener("click", function () {
        showPage(matches, limit + PAGE);
        var next = results.querySelectorAll("li")[limit];
        if (next) next.querySelector("a").focus();
      });
      results.appendChild(more);
    }
  }

  var RANGES = Array.prototype.map.call(form.querySelectorAll("input[name=hours]"), function (i) { return i.value; });

  function hourKeys(item) {
    if (!item.hourKeys) item.hourKeys = RANGES.filter(function (r) { return inHours(item, r); });
    return item.hourKeys;
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
    interacted = true;
    var state = formState();
    history.pushState(null, "", toURL(state));
    apply(state);
  });
  var timer = null;
  // Fetch the keyword text as soon as the box is focused, so typing rarely waits for it.
  text.addEventListener("focus", function () {
    if (textState === "failed") textState = "";  // offline before: try again
    if (textURL) loadText(function () {});
    if (!window.ccText) { rulesTried = false; loadRules(function () {}); }
  });
  text.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
    interacted = true;
      var state = formState();
      history.replaceState(null, "", toURL(state));
      apply(state);
    }, 150);
  });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  var done = form.querySelector(".cc-filters__done");
  if (done && filters) done.addEventListener("click", function () {
    filters.open = false;
    status.scrollIntoView({ block: "start" });
  });
  form.addEventListener("reset", function () {
    interacted = true;
    setTimeout(function () {
      var state = formState();
      history.pushState(null, "", toURL(state));
      apply(state);
    });
  });
  window.addEventListener("popstate", function () {
    interacted = true;
    var state = readState();
    writeForm(state);
    apply(state);
  });

  form.hidden = false;
  var initial = readState();
  writeForm(initial);
  var chosen = initial.q || FACETS.some(function (f) { return initial[f].length > 0; });
  if (items || chosen) {
    apply(initial);
  } else {
    // Paginated finder with nothing chosen yet: the data comes when the filters are first used.
    var start = function () {
      form.removeEventListener("focusin", start);
      form.removeEventListener("pointerdown", start);
      apply(formState());
    };
    form.addEventListener("focusin", start);
    form.addEventListener("pointerdown", start);
  }
})();
