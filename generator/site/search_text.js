/* The shared text rules in the browser: the same functions as generator/search_rules.py, applied
 * to the data the build writes just above this code (window.ccRules). Used by the search page,
 * the header search box and the course finder; tests/search_vectors.yml pins both sides. */
(function (R) {
  "use strict";
  var RUN = new RegExp("[" + R.cjk + "]+|[a-z0-9]+", "g");
  var CJK = new RegExp("^[" + R.cjk + "]+$");
  var stop = new Set(R.stop), generic = new Set(R.generic);
  var maxRule = 1;
  R.stop.concat(R.generic).forEach(function (w) { if (w.length > maxRule) maxRule = w.length; });

  function normalise(text) { return String(text).normalize(R.normalisation).toLowerCase(); }

  // 32-bit FNV-1a over UTF-16 code units, low byte then high byte.
  function hash(text) {
    var h = R.hash.basis >>> 0;
    for (var i = 0; i < text.length; i++) {
      var c = text.charCodeAt(i);
      h = Math.imul(h ^ (c & 0xff), R.hash.prime) >>> 0;
      h = Math.imul(h ^ (c >>> 8), R.hash.prime) >>> 0;
    }
    return h >>> 0;
  }

  function runs(text) { return normalise(text).match(RUN) || []; }
  function isCjk(run) { return CJK.test(run); }
  function bigrams(run) {
    var out = [];
    for (var i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    return out;
  }

  // See analyse() in search_rules.py. known: a Set of words of three or more characters.
  function analyse(text, known) {
    var tokens = [], longest = 0;
    if (known) { longest = known.maxLen || 0; if (!longest) known.forEach(function (w) { if (w.length > longest) longest = w.length; }); }
    runs(text).forEach(function (run) {
      if (!isCjk(run)) { tokens.push(["latin", run]); return; }
      var piece = "", i = 0;
      while (i < run.length) {
        var kept = "", cut = "", kind = "", size, w;
        for (size = Math.min(longest, run.length - i); size > 2; size--) {
          if (known.has(run.slice(i, i + size))) { kept = run.slice(i, i + size); break; }
        }
        for (size = Math.min(maxRule, run.length - i); size > 1; size--) {
          w = run.slice(i, i + size);
          if (stop.has(w) || generic.has(w)) { cut = w; kind = stop.has(w) ? "stop" : "generic"; break; }
        }
        if (!cut && R.particles.indexOf(run[i]) >= 0) { cut = run[i]; kind = "stop"; }
        if (cut && kept.length <= cut.length) {
          if (piece) { tokens.push(["word", piece]); piece = ""; }
          tokens.push([kind, cut]);
          i += cut.length;
          continue;
        }
        var step = kept || run[i];
        piece += step;
        i += step.length;
      }
      if (piece) tokens.push(["word", piece]);
    });
    return tokens;
  }

  function keywords(text) {
    return analyse(text).filter(function (t) { return t[0] === "word" || t[0] === "latin"; })
      .map(function (t) { return t[1]; });
  }

  function specific(text, known) {
    return analyse(text, known).some(function (t) { return (t[0] === "word" && t[1].length >= 2) || t[0] === "latin"; });
  }

  window.ccText = {
    normalise: normalise, hash: hash, runs: runs, isCjk: isCjk, bigrams: bigrams,
    analyse: analyse, keywords: keywords, specific: specific
  };
})(window.ccRules);
