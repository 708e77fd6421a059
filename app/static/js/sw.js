/* Sauti service worker: keeps the capture pages and the CSS, JS and icons
 * they use, so the form opens while the node is out of reach. Served by the
 * route /sw.js (app/capture/offline.py), which puts its configuration on the
 * first line: self.SAUTI_SW = {version, scope, static, pages, assets}.
 * The version is a hash of every kept file: a change installs a new worker,
 * whose cache replaces the old one. Only GET requests are touched; needs are
 * posted by offline-queue.js, which keeps them in IndexedDB when the node is
 * out of reach. */
'use strict';

var CONFIG = self.SAUTI_SW || { version: 'dev', scope: '/capture', static: '/static/', pages: [], assets: [] };
var CACHE = 'sauti-' + CONFIG.version;
var PAGE_WAIT = 4000; // after this, a kept page is shown rather than waiting longer

async function keepPage(cache, url) {
  try {
    var res = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
    if (res.ok && !res.redirected) await cache.put(url, res);
  } catch (e) { /* kept on the next visit */ }
}

self.addEventListener('install', function (event) {
  event.waitUntil((async function () {
    var cache = await caches.open(CACHE);
    await cache.addAll(CONFIG.assets);
    await Promise.all(CONFIG.pages.map(function (url) { return keepPage(cache, url); }));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', function (event) {
  event.waitUntil((async function () {
    var keys = await caches.keys();
    await Promise.all(keys.filter(function (k) {
      return k.indexOf('sauti-') === 0 && k !== CACHE;
    }).map(function (k) { return caches.delete(k); }));
    await self.clients.claim();
  })());
});

/* Pages under the scope: the network first (fresh form and CSRF token); the
 * kept capture form when the node does not answer or takes longer than
 * PAGE_WAIT. */
async function page(request) {
  var cache = await caches.open(CACHE);
  var path = new URL(request.url).pathname;
  var network = fetch(request).then(function (res) {
    // only the capture form itself is kept: no receipts, no personal data
    if (res.ok && !res.redirected && res.type === 'basic' && CONFIG.pages.indexOf(path) >= 0) {
      cache.put(path, res.clone());
    }
    return res;
  });
  var kept = cache.match(request, { ignoreSearch: true, ignoreVary: true });
  try {
    return await Promise.race([
      network,
      new Promise(function (resolve, reject) {
        setTimeout(function () { kept.then(function (hit) { return hit ? resolve(hit) : reject(); }); }, PAGE_WAIT);
      })
    ]);
  } catch (e) {
    var hit = await kept;
    if (hit) return hit;
    return network; // nothing kept: the browser's own error
  }
}

/* CSS, JS and icons: the kept copy first (the version changes with them). */
async function asset(request) {
  var cache = await caches.open(CACHE);
  var hit = await cache.match(request, { ignoreSearch: true });
  if (hit) return hit;
  var res = await fetch(request);
  if (res.ok && res.type === 'basic') cache.put(request, res.clone());
  return res;
}

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    if (url.pathname.indexOf(CONFIG.scope) === 0) event.respondWith(page(request));
  } else if (url.pathname.indexOf(CONFIG.static) === 0) {
    event.respondWith(asset(request));
  }
});
