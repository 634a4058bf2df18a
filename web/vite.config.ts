// Vite: builds the ward tablet app into dist/ (index.html, hashed files under
// dist/assets/, and from public/ the manifest and icons), then writes
// dist/sw.js: the service worker with the list of files to keep for offline
// use and a version that changes whenever any of them does.
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, type Plugin } from "vite";

const here = path.dirname(fileURLToPath(import.meta.url));
const api = process.env.PEERLOG_API ?? "http://127.0.0.1:8080";

function publicFiles(dir: string, prefix = "/"): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? publicFiles(full, `${prefix}${name}/`) : [`${prefix}${name}`];
  });
}

function serviceWorker(): Plugin {
  return {
    name: "peerlog-service-worker",
    apply: "build",
    generateBundle(_options, bundle) {
      const hash = createHash("sha256");
      const files = ["/"];
      for (const [fileName, item] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (fileName.endsWith(".map")) continue;
        hash.update(fileName);
        hash.update(item.type === "chunk" ? item.code : item.source);
        if (fileName !== "index.html") files.push(`/${fileName}`);
      }
      const pub = path.join(here, "public");
      for (const f of publicFiles(pub).sort()) {
        hash.update(f);
        hash.update(readFileSync(path.join(pub, f)));
        files.push(f);
      }
      const template = readFileSync(path.join(here, "src/sw/sw.js"), "utf8");
      const source = template
        .replace("__VERSION__", JSON.stringify(hash.digest("hex").slice(0, 16)))
        .replace("__PRECACHE__", JSON.stringify(files));
      this.emitFile({ type: "asset", fileName: "sw.js", source });
    },
  };
}

export default defineConfig({
  plugins: [serviceWorker()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    // Nothing inlined as data: URLs; every file is its own hashed asset.
    assetsInlineLimit: 0,
    sourcemap: false,
    target: "es2022",
  },
  css: {
    preprocessorOptions: {
      scss: { quietDeps: true, loadPaths: [path.join(here, "node_modules")] },
    },
  },
  server: { proxy: { "/api": api } },
  // The preview serves the build under peerlog's own CSP (src/web_app.rs), so
  // the browser tests can be run against it as against the binary.
  preview: {
    proxy: { "/api": api },
    headers: {
      "Content-Security-Policy":
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    },
  },
});
