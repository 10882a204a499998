/* Catalogue search: loads a small sharded index on demand (see generator/search_index.py).
 *
 * Query step: normalise, split into runs of Chinese / Latin text; segment Chinese runs with the
 * catalogue's own dictionary (the index's term list) by dynamic programming, preferring long
 * words; drop question words (怎么, 需要 …); keep leftover single characters only as a bonus for
 * titles that contain them, so one stray character never matches every word that starts with it.
 * Latin runs are pinyin: exact terms, else terms that start with them.
 */
(function () {
  "use strict";

  var form = document.querySelector("[data-cc-search]");
  if (!form) return;
  var base = form.getAttribute("data-cc-search");
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("cc-search-status");
  var list = document.getElementById("cc-results");
  var cache = {};
  var meta = null, terms = null, termSet = null, stop = null, maxLen = 1;
  var KIND = { course: "课程", "case": "案例", path: "学习路径", module: "模块", instructor: "讲师", page: "页面" };

  function load(name) {
    if (!cache[name]) {
      cache[name] = fetch(base + name).then(function (r) {
        if (!r.ok) throw new Error(name + ": " + r.status);
        return r.json();
      });
    }
    return cache[name];
  }

  function ready() {
    if (meta) return Promise.resolve();
    return Promise.all([load("meta.json"), load("terms.json")]).then(function (v) {
      meta = v[0]; terms = v[1];
      termSet = new Set(terms);
      stop = new Set(meta.stop);
      terms.forEach(function (t) { if (t.length > maxLen) maxLen = t.length; });
    });
  }

  // 32-bit FNV-1a over UTF-16 code units, as fnv1a() in search_index.py.
  function hash(text) {
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      h ^= c & 0xff; h = Math.imul(h, 0x01000193) >>> 0;
      h ^= c >>> 8; h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  function known(w) { return termSet.has(w) || stop.has(w); }

  // Best segmentation of a Chinese run: maximise the sum of squared word lengths over known
  // words; unknown characters stand alone.
  function segment(run) {
    var n = run.length, best = new Array(n + 1), back = new Array(n + 1);
    best[0] = 0;
    for (var i = 1; i <= n; i++) {
      best[i] = best[i - 1] - 1; back[i] = i - 1;
      for (var l = 2; l <= Math.min(maxLen, i); l++) {
        var w = run.slice(i - l, i);
        if (known(w) && best[i - l] + l * l > best[i]) { best[i] = best[i - l] + l * l; back[i] = i - l; }
      }
    }
    var out = [];
    for (var j = n; j > 0; j = back[j]) out.unshift(run.slice(back[j], j));
    return out;
  }

  function prefixed(p, limit) {
    var out = [];
    // terms is sorted: binary search for the first term >= p.
    var lo = 0, hi = terms.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (terms[mid] < p) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < terms.length && out.length < limit && terms[i].indexOf(p) === 0; i++) out.push(terms[i]);
    return out;
  }

  function containing(ch, limit) {
    var out = [];
    for (var i = 0; i < terms.length && out.length < limit; i++) if (terms[i].indexOf(ch) >= 0) out.push(terms[i]);
    return out;
  }

  // A query as groups of alternative terms (a document matches a group through any of them),
  // plus single characters that only lift titles containing them.
  function parse(query) {
    var q = query.normalize("NFKC").toLowerCase();
    var runs = q.match(/[\u3400-\u4dbf\u4e00-\u9fff]+|[a-z0-9]+/g) || [];
    var groups = [], singles = [], words = [];
    runs.forEach(function (run) {
      if (/^[a-z0-9]+$/.test(run)) {
        if (termSet.has(run)) groups.push([run]);
        else if (run.length >= 2) { var p = prefixed(run, 12); if (p.length) groups.push(p); }
        return;
      }
      segment(run).forEach(function (w) {
        if (stop.has(w)) return;
        if (w.length === 1) { singles.push(w); return; }
        if (termSet.has(w)) { groups.push([w]); words.push(w); }
      });
    });
    if (!groups.length && singles.length === 1) {
      var c = containing(singles[0], 40);
      if (c.length) groups.push(c);
    }
    return { groups: groups, singles: singles, phrase: words.join("") };
  }

  function rank(parsed) {
    var shards = {};
    parsed.groups.forEach(function (g) { g.forEach(function (t) { shards[hash(t) % meta.shards] = true; }); });
    var names = Object.keys(shards).map(function (s) { return "shard-" + s + ".json"; });
    return Promise.all(names.map(load)).then(function (loaded) {
      var postings = {};
      loaded.forEach(function (s) { for (var t in s) postings[t] = s[t]; });
      var score = new Map(), hits = new Map();
      parsed.groups.forEach(function (g) {
        var best = new Map();
        g.forEach(function (t) {
          (postings[t] || []).forEach(function (p) { if ((best.get(p[0]) || 0) < p[1]) best.set(p[0], p[1]); });
        });
        var idf = Math.log(1 + meta.docs / Math.max(1, best.size));
        best.forEach(function (w, d) {
          score.set(d, (score.get(d) || 0) + idf * w);
          hits.set(d, (hits.get(d) || 0) + 1);
        });
      });
      var total = parsed.groups.length;
      var ranked = [];
      score.forEach(function (s, d) { var c = hits.get(d) / total; ranked.push([s * c * c, d]); });
      ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
      return ranked.slice(0, 40);
    });
  }

  function details(ranked) {
    var chunks = {};
    ranked.forEach(function (r) { chunks[Math.floor(r[1] / meta.chunk)] = true; });
    var names = Object.keys(chunks).map(function (c) { return "docs-" + c + ".json"; });
    return Promise.all(names.map(load)).then(function () {
      return Promise.all(ranked.map(function (r) {
        return load("docs-" + Math.floor(r[1] / meta.chunk) + ".json").then(function (docs) {
          return { score: r[0], doc: docs[r[1] % meta.chunk] };
        });
      }));
    });
  }

  function rerank(items, parsed) {
    items.forEach(function (it) {
      var title = it.doc[2].toLowerCase();
      if (parsed.phrase.length > 1 && title.indexOf(parsed.phrase) >= 0) it.score *= 2;
      parsed.singles.forEach(function (ch) { if (title.indexOf(ch) >= 0) it.score *= 1.3; });
    });
    items.sort(function (a, b) { return b.score - a.score; });
    return items.slice(0, 20);
  }

  function render(items, query) {
    list.textContent = "";
    items.forEach(function (it) {
      var d = it.doc;
      var li = document.createElement("li");
      li.className = "cc-result cc-result--" + d[0];
      var a = document.createElement("a");
      a.href = base + "../" + d[1];
      a.className = "cc-result__title";
      a.textContent = d[2];
      var kind = document.createElement("span");
      kind.className = "cc-badge";
      kind.textContent = KIND[d[0]] || "";
      var m = document.createElement("span");
      m.className = "cc-meta";
      m.textContent = d[3];
      var s = document.createElement("span");
      s.className = "cc-result__snippet";
      s.textContent = d[4];
      li.append(kind, " ", a, m, s);
      list.appendChild(li);
    });
    status.textContent = items.length
      ? "找到 " + items.length + " 条与“" + query + "”相关的结果"
      : "没有找到与“" + query + "”相关的课程或案例，换个说法，或到课程检索页按条件筛选。";
  }

  var seq = 0;
  function run(query, started) {
    var mine = ++seq;
    query = query.trim();
    if (!query) { list.textContent = ""; status.textContent = ""; return Promise.resolve(); }
    return ready().then(function () {
      var parsed = parse(query);
      if (!parsed.groups.length) return [];
      return rank(parsed).then(details).then(function (items) { return rerank(items, parsed); });
    }).then(function (items) {
      if (mine !== seq) return;
      render(items, query);
      document.dispatchEvent(new CustomEvent("cc-search-done", {
        detail: { query: query, ms: performance.now() - started, results: items.length }
      }));
    }).catch(function () {
      if (mine === seq) status.textContent = "搜索数据加载失败，请检查网络后重试。";
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    var started = performance.now();
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value.trim()); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      run(input.value, started);
    }, 120);
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    var url = new URL(location.href);
    url.searchParams.set("q", input.value.trim());
    history.pushState(null, "", url);
    run(input.value, performance.now());
  });
  window.addEventListener("popstate", function () {
    input.value = new URL(location.href).searchParams.get("q") || "";
    run(input.value, performance.now());
  });
  // Start loading the small files while the trainee is still typing.
  input.addEventListener("focus", function () { ready().catch(function () {}); }, { once: true });

  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial, performance.now()); }
  input.focus();

  window.ccSearch = { parse: function (q) { return ready().then(function () { return parse(q); }); }, run: run };
})();
