/* The header search box of every page. Tiny on purpose: nothing of the search (rules, engine,
 * index) is fetched until the box gets focus. Then it shows the top matches as you type
 * (ARIA combobox with a listbox): arrow keys move, Enter opens the chosen match or, with none
 * chosen, the full results page; Escape closes the list. */
(function () {
  "use strict";
  var form = document.querySelector("[data-cc-box]");
  if (!form) return;
  var input = form.querySelector("input"), list = form.querySelector("[role=listbox]");
  var assets = form.getAttribute("data-cc-box"), engine = null, loading = null, active = -1, seq = 0, timer;

  function script(src, has) {
    return window[has] ? Promise.resolve() : new Promise(function (ok, fail) {
      var s = document.createElement("script");
      s.src = src; s.onload = ok; s.onerror = fail;
      document.head.appendChild(s);
    });
  }
  function load() {
    if (!loading) {
      loading = script(assets + "search-rules.js", "ccText").then(function () { return script(assets + "search.js", "ccSearchEngine"); })
        .then(function () { engine = window.ccSearchEngine(form.getAttribute("action")); return engine.words(); });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }
  function options() { return list.querySelectorAll("[role=option]"); }
  function show(open) {
    list.hidden = !open;
    input.setAttribute("aria-expanded", open ? "true" : "false");
    form.classList.toggle("cc-box--open", open);
    if (!open) move(-1);
  }
  function move(to) {
    var all = options();
    if (active >= 0 && all[active]) all[active].setAttribute("aria-selected", "false");
    active = to < -1 ? all.length - 1 : (to >= all.length ? -1 : to);
    if (active >= 0) {
      all[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else input.removeAttribute("aria-activedescendant");
  }
  function render(result, query) {
    list.textContent = "";
    result.items.forEach(function (it, n) {
      var li = document.createElement("li"), a = document.createElement("a"), m = document.createElement("span");
      li.id = "cc-box-opt-" + n; li.setAttribute("role", "option"); li.setAttribute("aria-selected", "false");
      a.href = it.url; a.tabIndex = -1; a.textContent = it.title;
      m.className = "cc-meta"; m.textContent = it.meta;
      a.appendChild(m); li.appendChild(a); list.appendChild(li);
    });
    var all = document.createElement("li");
    all.className = "cc-box__all"; all.id = "cc-box-opt-all"; all.setAttribute("role", "option");
    var a = document.createElement("a");
    a.href = form.getAttribute("action") + "?q=" + encodeURIComponent(query); a.tabIndex = -1;
    a.textContent = result.total ? "全部 " + result.total + " 条结果" : "没有找到“" + query + "”，看看搜索页的建议";
    all.appendChild(a); list.appendChild(all);
    active = -1; show(true);
  }
  function run() {
    var query = input.value.trim(), mine = ++seq, started = performance.now();
    if (!query) { show(false); return; }
    load().then(function () { return engine.search(query, 6); }).then(function (result) {
      if (mine !== seq) return;
      render(result, query);
      document.dispatchEvent(new CustomEvent("cc-box-done", { detail: { query: query, results: result.total, ms: performance.now() - started } }));
    }).catch(function () {});
  }
  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("input", function () {
    var q = input.value.trim();
    if (engine && q) engine.prefetch(q).catch(function () {});  // fetch while the trainee types
    clearTimeout(timer); timer = setTimeout(run, 80);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (list.hidden) { if (options().length) show(true); else return; }
      e.preventDefault();
      move(active + (e.key === "ArrowDown" ? 1 : -1) + (e.key === "ArrowUp" && active < 0 ? -1 : 0));
    } else if (e.key === "Escape") {
      if (!list.hidden) { e.preventDefault(); show(false); } else input.value = "";
    } else if (e.key === "Enter" && active >= 0 && !list.hidden) {
      e.preventDefault();
      location.href = options()[active].querySelector("a").href;
    }
  });
  list.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep focus while clicking
  input.addEventListener("blur", function () { show(false); });
})();
