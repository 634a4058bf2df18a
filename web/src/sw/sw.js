// The ward tablet's service worker: keeps the app shell (index.html, the
// hashed scripts and styles, the manifest and icons) so the app opens with no
// network. The build (vite.config.ts) replaces the two placeholders below with
// the list of files and a version that changes whenever any of them does.
//
// It never touches the API: records are kept by the app itself in IndexedDB
// (src/lib/outbox.ts) and sent through /api/v1/activities/batch, so nothing
// clinical passes through this cache.
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const CACHE = `peerlog-shell-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE.map((url) => new Request(url, { cache: "reload" }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("peerlog-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

function isApi(url) {
  return (
    url.pathname.startsWith("/api/") ||
    url.pathname.startsWith("/docs") ||
    ["/openapi.json", "/metrics", "/health", "/ready"].includes(url.pathname)
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || isApi(url)) return;

  if (request.mode === "navigate") {
    // The page itself: the newest from the network when there is one (so a
    // new version reaches the ward), the kept shell when there is not, or
    // when the ward's network is too slow to answer within a few seconds.
    const kept = () => caches.open(CACHE).then((cache) => cache.match("/", { ignoreVary: true }));
    event.respondWith(
      new Promise((resolve) => {
        let done = false;
        const finish = (r) => {
          if (!done && r) {
            done = true;
            resolve(r);
          }
        };
        const timer = setTimeout(() => kept().then(finish), 4000);
        fetch(request)
          .then((r) => {
            clearTimeout(timer);
            finish(r);
          })
          .catch(() => {
            clearTimeout(timer);
            kept().then((r) => (r ? finish(r) : finish(Response.error())));
          });
      }),
    );
    return;
  }
  // Hashed assets never change under their name: the kept copy first.
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true, ignoreVary: true }))
      .then((hit) => hit || fetch(request)),
  );
});
