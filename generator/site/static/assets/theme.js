/* What the theme's own script did that these pages use, in place of Material's bundle (114 KB,
 * 35 KB gzip on every first visit, most of it for search, instant loading, tabs and code blocks
 * the catalogue does not use). The drawer and the section panels of the navigation are
 * checkboxes and labels, so they work without any script; this adds:
 * - the "js" class, so the theme's styles for scripted pages apply (the sidebars' heights on wide
 *   screens are set in catalog.css, where the theme's script measured them);
 * - Escape closes the drawer; the page behind an open drawer does not scroll;
 * - the back-to-top button (navigation.top): shown while scrolling up, away from the top;
 * - the header shows the page title once the page's heading has scrolled out of view.
 */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.remove("no-js");
  root.classList.add("js");

  var drawer = document.getElementById("__drawer");
  if (drawer) {
    var lock = function () {
      if (drawer.checked) document.body.setAttribute("data-md-scrolllock", "");
      else document.body.removeAttribute("data-md-scrolllock");
    };
    drawer.addEventListener("change", lock);
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && drawer.checked) {
        drawer.checked = false;
        lock();
      }
    });
    // A link to another part of the same page closes the drawer, as a new page would.
    document.addEventListener("click", function (e) {
      var a = e.target.closest && e.target.closest(".md-sidebar--primary a[href]");
      if (a && drawer.checked) {
        drawer.checked = false;
        lock();
      }
    });
  }

  var top = document.querySelector("[data-md-component=top]");
  if (top) {
    var last = window.scrollY;
    window.addEventListener("scroll", function () {
      var y = window.scrollY, hide = !(y < last && y > 400);
      if (top.hidden !== hide) top.hidden = hide;
      last = y;
    }, { passive: true });
    top.addEventListener("click", function () {
      top.hidden = true;
      top.blur();
      window.scrollTo({ top: 0 });
    });
  }

  var title = document.querySelector("[data-md-component=header-title]");
  var heading = document.querySelector(".md-content h1");
  if (title && heading && "IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      var e = entries[entries.length - 1];
      title.classList.toggle("md-header__title--active", !e.isIntersecting && e.boundingClientRect.top < 0);
    }).observe(heading);
  }
})();
