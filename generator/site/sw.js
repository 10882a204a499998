/* Offline reading: pages already seen, the course finder and search keep working without network.
 *
 * Generated at build time (generator/offline.py): VERSION is a hash of the built site, so every
 * new build installs a new cache and deletes the old one. Only this site's own URLs are handled;
 * requests to any other origin go to the network untouched and are never cached.
 */
"use strict";
var VERSION = "__VERSION__";
var PREFIX = "cc-catalog-";
var CACHE = PREFIX + VERSION;
var PRECACHE = __PRECACHE__;  // {url: content hash}, relative to this file: the finder, search and what they need
var REVISIONS = "sw-revisions.json";  // a record, in each cache, of the hashes it holds

// A new build reuses what the previous cache already holds with the same hash, so an update
// downloads only the files that changed (rural data plans).
function previous(url) {
  return caches.keys().then(function (keys) {
    var old = keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; });
    return old.reduce(function (found, name) {
      return found.then(function (hit) {
        if (hit) return hit;
        return caches.open(name).then(function (cache) {
          return cache.match(REVISIONS).then(function (r) { return r ? r.json() : {}; }).then(function (revs) {
            return revs[url] === PRECACHE[url] ? cache.match(url) : undefined;
          });
        });
      });
    }, Promise.resolve(undefined));
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(Object.keys(PRECACHE).map(function (url) {
      return previous(url).then(function (hit) {
        if (hit) return cache.put(url, hit);
        return fetch(new Request(url, { cache: "reload" })).then(function (r) {
          if (!r.ok) throw new Error(url + ": " + r.status);
          return cache.put(url, r);
        });
      });
    })).then(function () {
      return cache.put(REVISIONS, new Response(JSON.stringify(PRECACHE), { headers: { "Content-Type": "application/json" } }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(request, response) {
  // Only complete same-origin answers; opaque or partial ones could be errors in disguise.
  if (response && response.ok && response.type === "basic" && response.status === 200) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;  // nothing cached across origins
  if (request.mode === "navigate") {
    // Pages: the network first, so a new build is seen at once; the copy when offline. The finder
    // and search keep their choices in the query string, so any query falls back to the page.
    event.respondWith(fetch(request).then(function (r) { return keep(request, r); }).catch(function () {
      return caches.match(request, { cacheName: CACHE }).then(function (hit) {
        return hit || caches.match(request, { cacheName: CACHE, ignoreSearch: true });
      }).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  // Assets and search data: the cache first (the cache is replaced with each build).
  event.respondWith(caches.match(request, { cacheName: CACHE }).then(function (hit) {
    return hit || fetch(request).then(function (r) { return keep(request, r); });
  }));
});
