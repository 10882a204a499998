/* Catalogue search: the engine over the sharded index (see generator/search_index.py), used by the
 * search page and the header box, and the search page itself.
 *
 * A query is analysed by the shared rules (search-rules.js): question words and particles go,
 * generic words (入门, 技巧 …) only lift results, and each remaining word becomes its overlapping
 * character pairs, as the index holds them. A pair may also be met by any longer indexed word
 * that covers it (trainee vocabulary such as 卖不出去 is posted under its own name). A document
 * must match a specific word: the share of a word's pairs it has is its coverage, and documents
 * far below the best coverage are left out. A leftover single character counts as half a word a title should cover.
 * Latin runs are pinyin: exact terms, else terms that start with them.
 */
(function () {
  "use strict";
  if (window.ccSearchEngine) return;
  var T = window.ccText;

  function engine(base) {
    var cache = {};
    var meta = null, words = new Set(), wordFiles = {}, latin = null;

    function load(name) {
      if (!cache[name]) {
        cache[name] = fetch(base + name).then(function (r) {
          if (!r.ok) throw new Error(name + ": " + r.status);
          return r.json();
        });
        cache[name].catch(function () { delete cache[name]; });
      }
      return cache[name];
    }

    // The dictionary words (three or more characters) a query can meet start with one of its
    // characters; they are filed by a hash of that first character (words-N.json).
    function wordFile(ch) {
      var name = "words-" + (T.hash(ch) % meta.wordShards) + ".json";
      if (!wordFiles[name]) {
        wordFiles[name] = load(name).then(function (list) { list.forEach(function (w) { words.add(w); }); });
        wordFiles[name].catch(function () { delete wordFiles[name]; });
      }
      return wordFiles[name];
    }

    function ready(query) {
      var text = T.normalise(query || "");
      var needLatin = /[a-z0-9]/.test(text);
      return (meta ? Promise.resolve() : load("meta.json").then(function (m) {
        meta = m;
        words.maxLen = m.wordMax;
      })).then(function () {
        var wanted = [], seen = {};
        Array.from(text).forEach(function (ch) {
          if (!seen[ch] && T.isCjk(ch)) { seen[ch] = true; wanted.push(wordFile(ch)); }
        });
        if (needLatin && !latin) wanted.push(load("latin.json").then(function (v) { latin = v; }));
        // A small catalogue's documents are one file: fetch it now, with the words.
        if (meta.chunks === 1) wanted.push(load("docs-0.json"));
        return Promise.all(wanted);
      });
    }

    function prefixed(p, limit) {
      var out = [], lo = 0, hi = latin.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (latin[mid] < p) lo = mid + 1; else hi = mid; }
      for (var i = lo; i < latin.length && out.length < limit && latin[i].indexOf(p) === 0; i++) out.push(latin[i]);
      return out;
    }

    // A word of the query as groups of alternative terms: one group per character pair.
    function piece(w) {
      var longer = [];
      for (var i = 0; i < w.length; i++) {
        for (var l = 3; l <= Math.min(words.maxLen, w.length - i); l++) {
          if (words.has(w.slice(i, i + l))) longer.push([i, l, w.slice(i, i + l)]);
        }
      }
      return T.bigrams(w).map(function (g, at) {
        return [g].concat(longer.filter(function (x) { return x[0] <= at && at + 2 <= x[0] + x[1]; })
          .map(function (x) { return x[2]; }));
      });
    }

    function parse(query) {
      var parsed = { pieces: [], generic: [], singles: [], words: [] };
      T.analyse(query, words).forEach(function (t) {
        if (t[0] === "word" && t[1].length >= 2) { parsed.pieces.push(piece(t[1])); parsed.words.push(t[1]); }
        else if (t[0] === "word") parsed.singles.push(t[1]);
        else if (t[0] === "generic") parsed.generic.push(t[1]);
        else if (t[0] === "latin") {
          var alts = latin.indexOf(t[1]) >= 0 ? [t[1]] : (t[1].length >= 2 ? prefixed(t[1], 12) : []);
          parsed.pieces.push([alts]);
          parsed.words.push(t[1]);
        }
      });
      // Only single characters: they are the query, matched against titles.
      if (!parsed.pieces.length && parsed.singles.length) {
        parsed.pieces = parsed.singles.map(function (c) { return [[meta.titleChar + c]]; });
        parsed.words = parsed.singles.slice();
        parsed.singles = [];
      }
      return parsed;
    }

    function postingsFor(terms) {
      var names = {};
      terms.forEach(function (t) { names["shard-" + (T.hash(t) % meta.shards) + ".json"] = true; });
      return Promise.all(Object.keys(names).map(load)).then(function (loaded) {
        var out = {};
        loaded.forEach(function (s) { terms.forEach(function (t) { if (s[t]) out[t] = s[t]; }); });
        return out;
      });
    }

    function each(list, fn) {  // postings are [gap, weight, gap, weight …]
      for (var i = 0, d = 0; list && i < list.length; i += 2) { d += list[i]; fn(d, list[i + 1]); }
    }

    function rank(parsed) {
      var terms = [];
      parsed.pieces.forEach(function (p) { p.forEach(function (g) { terms = terms.concat(g); }); });
      parsed.generic.forEach(function (w) { terms.push(w); });
      parsed.singles.forEach(function (c) { terms.push(meta.titleChar + c); });
      return postingsFor(terms).then(function (post) {
        var score = new Map(), cover = new Map(), pieces = 0;
        parsed.pieces.forEach(function (p) {
          var known = p.filter(function (g) { return g.some(function (t) { return post[t]; }); });
          if (!known.length) return;
          pieces++;
          known.forEach(function (g) {
            var best = new Map();
            g.forEach(function (t) { each(post[t], function (d, w) { if ((best.get(d) || 0) < w) best.set(d, w); }); });
            var idf = Math.log(1 + meta.docs / best.size);
            best.forEach(function (w, d) {
              score.set(d, (score.get(d) || 0) + idf * w);
              cover.set(d, (cover.get(d) || 0) + 1 / known.length);
            });
          });
        });
        if (!pieces) return [];
        parsed.generic.forEach(function (w) {
          var list = post[w], df = list ? list.length / 2 : 1, idf = Math.log(1 + meta.docs / df);
          each(list, function (d, w2) { if (score.has(d)) score.set(d, score.get(d) + 0.5 * idf * w2); });
        });
        // A leftover single character of the query counts as half a word to cover, in titles only:
        // “住的乡村” puts the title with 住 and 乡村 above the many titles with 乡村 alone.
        parsed.singles.forEach(function (c) {
          var list = post[meta.titleChar + c];
          if (!list) return;
          pieces += 0.5;
          each(list, function (d) { if (score.has(d)) cover.set(d, cover.get(d) + 0.5); });
        });
        var ranked = [], top = 0;
        score.forEach(function (s, d) {
          var c = cover.get(d) / pieces;
          if (c > top) top = c;
          ranked.push([s * c * c, d, c]);
        });
        ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        // Far below the best coverage and far below the best score: not about this query.
        var best = ranked.length ? ranked[0][0] : 0;
        return ranked.filter(function (r) { return r[2] >= top / 2 - 1e-9 || r[0] >= best / 4; });
      });
    }

    function details(ranked) {
      return Promise.all(ranked.map(function (r) {
        return load("docs-" + Math.floor(r[1] / meta.chunk) + ".json").then(function (docs) {
          var d = docs[r[1] % meta.chunk];
          return { score: r[0], kind: d[0], url: base + "../" + d[1], title: d[2], meta: d[3], snippet: d[4] };
        });
      }));
    }

    // Titles that share characters (or, for Latin, the start of a pinyin word) with the query.
    function close(query) {
      var chars = {}, terms = [];
      T.analyse(query, words).forEach(function (t) {
        if (t[0] === "latin") {
          for (var n = t[1].length - 1; n >= 2 && !terms.length; n--) terms = prefixed(t[1].slice(0, n), 6);
        } else if (t[0] !== "stop") {
          for (var i = 0; i < t[1].length; i++) chars[meta.titleChar + t[1][i]] = true;
        }
      });
      terms = terms.concat(Object.keys(chars));
      if (!terms.length) return Promise.resolve([]);
      return postingsFor(terms).then(function (post) {
        var shared = new Map();
        terms.forEach(function (t) {
          var list = post[t], idf = list ? Math.log(1 + meta.docs / (list.length / 2)) : 0;
          each(list, function (d, w) { shared.set(d, (shared.get(d) || 0) + idf * (1 + w / 100)); });
        });
        var ranked = [];
        shared.forEach(function (s, d) { ranked.push([s, d]); });
        ranked.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
        return details(ranked.slice(0, 5));
      });
    }

    // The ranking of a query, remembered for the last few queries: the page starts it at each
    // keystroke (fetching the shards while the trainee types) and shows it after the pause.
    var recent = new Map();
    function ranking(query) {
      if (recent.has(query)) return recent.get(query);
      var result = ready(query).then(function () {
        var parsed = parse(query);
        return rank(parsed).then(function (ranked) { return { ranked: ranked, parsed: parsed }; });
      });
      recent.set(query, result);
      result.catch(function () { recent.delete(query); });
      if (recent.size > 30) recent.delete(recent.keys().next().value);
      return result;
    }

    // Results of a query: {items: the first `limit`, total, parsed, more(from, n)}.
    function search(query, limit) {
      return ranking(query).then(function (r) {
        return details(r.ranked.slice(0, limit)).then(function (items) {
          return {
            items: items, total: r.ranked.length, parsed: r.parsed,
            more: function (from, n) { return details(r.ranked.slice(from, from + n)); }
          };
        });
      });
    }

    return {
      search: search,
      prefetch: function (q) { return ranking(q).then(function () {}); },
      close: function (q) { return ready(q).then(function () { return close(q); }); },
      parse: function (q) { return ready(q).then(function () { return parse(q); }); },
      words: function () { return ready("").then(function () { return words; }); }
    };
  }
  window.ccSearchEngine = engine;

  // ------------------------------------------------------------------ the search page
  var form = document.querySelector("[data-cc-search]");
  if (!form) return;
  var search = engine(form.getAttribute("data-cc-search"));
  var input = form.querySelector("input[name=q]");
  var status = document.getElementById("cc-search-status");
  var list = document.getElementById("cc-results");
  var empty = document.getElementById("cc-search-empty");
  var closeList = document.getElementById("cc-close-titles");
  var finderLink = document.getElementById("cc-finder-link");
  var moreButton = document.getElementById("cc-results-more");
  var KIND = { course: "课程", "case": "案例", path: "学习路径", module: "模块", instructor: "讲师", page: "页面" };
  var PAGE = 10;

  function item(it) {
    var li = document.createElement("li");
    li.className = "cc-result cc-result--" + it.kind;
    var a = document.createElement("a");
    a.href = it.url;
    a.className = "cc-result__title";
    a.textContent = it.title;
    var kind = document.createElement("span");
    kind.className = "cc-badge";
    kind.textContent = KIND[it.kind] || "";
    var m = document.createElement("span");
    m.className = "cc-meta";
    m.textContent = it.meta;
    var s = document.createElement("span");
    s.className = "cc-result__snippet";
    s.textContent = it.snippet;
    li.append(kind, " ", a, m, s);
    return li;
  }

  var current = null;
  function render(result, query) {
    list.textContent = "";
    result.items.forEach(function (it) { list.appendChild(item(it)); });
    current = result;
    moreButton.hidden = result.total <= result.items.length;
    status.textContent = result.total
      ? "找到 " + result.total + " 条与“" + query + "”相关的结果"
      : "没有找到与“" + query + "”相关的课程或案例。";
    empty.hidden = result.total > 0;
    if (!result.total) {
      var url = new URL(finderLink.getAttribute("data-href"), location.href);
      var words = result.parsed.words.join(" ");
      if (words) url.searchParams.set("q", words);
      finderLink.href = url.href;
    }
  }

  moreButton.addEventListener("click", function () {
    var shown = list.children.length;
    current.more(shown, PAGE).then(function (items) {
      items.forEach(function (it) { list.appendChild(item(it)); });
      moreButton.hidden = current.total <= list.children.length;
      var next = list.children[shown];
      if (next) next.querySelector("a").focus();
    });
  });

  var seq = 0;
  function run(query, started) {
    var mine = ++seq;
    query = query.trim();
    if (!query) {
      list.textContent = ""; status.textContent = ""; empty.hidden = true; moreButton.hidden = true;
      return Promise.resolve();
    }
    return search.search(query, PAGE).then(function (result) {
      if (mine !== seq) return;
      render(result, query);
      document.dispatchEvent(new CustomEvent("cc-search-done", {
        detail: {
          query: query, ms: performance.now() - started, results: result.total,
          sinceKeystroke: keystroke ? performance.now() - keystroke : null
        }
      }));
      if (!result.total) {
        return search.close(query).then(function (items) {
          if (mine !== seq) return;
          closeList.textContent = "";
          items.forEach(function (it) { closeList.appendChild(item(it)); });
          closeList.parentNode.hidden = !items.length;
          document.dispatchEvent(new CustomEvent("cc-search-close", { detail: { query: query, count: items.length } }));
        });
      }
    }).catch(function () {
      if (mine === seq) status.textContent = "搜索数据加载失败，请检查网络后重试。";
    });
  }

  // The pause after a keystroke before drawing: ranking starts at once, so the pause only keeps the
  // list from flickering while a word is typed letter by letter (pinyin); Chinese input commits whole words.
  var PAUSE = 40;
  var timer = null, keystroke = 0;
  input.addEventListener("input", function () {
    keystroke = performance.now();
    // Start fetching and ranking at once; the list is redrawn only after the pause.
    if (input.value.trim()) search.prefetch(input.value.trim()).catch(function () {});
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = new URL(location.href);
      if (input.value.trim()) url.searchParams.set("q", input.value.trim()); else url.searchParams.delete("q");
      history.replaceState(null, "", url);
      // Timed from here: the pause is a fixed, reported figure (bench/search.py).
      run(input.value, performance.now());
    }, PAUSE);
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
  input.addEventListener("focus", function () { search.words().catch(function () {}); }, { once: true });

  var initial = new URL(location.href).searchParams.get("q");
  if (initial) { input.value = initial; run(initial, performance.now()); }
  input.focus();

  window.ccSearch = { parse: search.parse, search: search.search, close: search.close, run: run, pause: PAUSE };
})();
