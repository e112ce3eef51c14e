// Run axe-core's WCAG 2.2 AA rules on local HTML files in headless Chromium; print one JSON object.
//
//   node pipeline/audit/axe/run-axe.mjs [--chromium /usr/bin/chromium] [--width PIXELS] [--dark] [--text PERCENT]
//                                       [--view WIDTH,SCHEME,PERCENT ...] FILE.html ...
//
// --width sets the viewport's width in CSS pixels (default 1280): 320 checks the narrowest phone (WCAG 1.4.10).
// --dark has the pages rendered as for a reader whose system asks for dark colours (prefers-color-scheme: dark).
// --text sets the browser's default text size to PERCENT of 16 px, as a reader who enlarges text does (WCAG 1.4.4):
// 200 checks text at 200 %.
// --view 320,dark,100 (repeatable) checks every file at each view given, in one browser and one load of each file
// (see below): the views replace --width, --dark and --text.
// Output: {"axe": "<version>", "tags": [...], "pages": [{"file", "width", "scheme" (light or dark), "text",
// "overflow" (CSS pixels of content past the viewport's right edge, 0 when none), "violations": [{"id", "impact",
// "help", "helpUrl", "nodes": [{"target", "html", "summary"}]}], "incomplete": [{"id", "nodes"}], "requests":
// [refused URLs]}]}, one entry per file and view, the views in the order given, the files in order within each.
// Every request that is not a file: or data: URL is refused and listed: the pages must be self-contained.
// Exit status 0 when the run completed (whatever it found), 2 on usage or browser errors.

import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve("axe-core/axe.min.js");
const AXE_VERSION = require("axe-core/package.json").version;
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const args = process.argv.slice(2);
let chromium = process.env.CHROMIUM || "/usr/bin/chromium";
let width = 1280;
let scheme = "light";
let text = 100;
const views = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--chromium") chromium = args[++i];
  else if (args[i] === "--width") width = Number(args[++i]);
  else if (args[i] === "--dark") scheme = "dark";
  else if (args[i] === "--text") text = Number(args[++i]);
  else if (args[i] === "--view") {
    const [w, s, t] = String(args[++i]).split(",");
    views.push({ width: Number(w), scheme: s, text: Number(t) });
  } else files.push(args[i]);
}
if (!views.length) views.push({ width, scheme, text });
const usable = (view) =>
  Number.isInteger(view.width) && view.width >= 100 && ["light", "dark"].includes(view.scheme) &&
  Number.isInteger(view.text) && view.text >= 50 && view.text <= 400;
if (!files.length || !views.every(usable)) {
  console.error(
    "usage: run-axe.mjs [--chromium PATH] [--width PIXELS] [--dark] [--text PERCENT] [--view WIDTH,light|dark,PERCENT ...] FILE.html ...",
  );
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "plainleaf-axe-"));
let browser;
try {
  browser = await puppeteer.launch({
    executablePath: chromium,
    headless: true,
    pipe: true,
    userDataDir: profile,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
      `--user-data-dir=${profile}`,
    ],
  });
  // One tab loads each file once and is checked at every view in turn: the viewport, colour scheme and text size
  // change on the loaded page, which lays itself out again as a browser does when a reader turns the phone or
  // changes a setting. Measured on the 16 shipped web pages at the four views: 11 CPU-seconds and 8 s, against 33
  // and 23 with a new tab and a fresh load for every page at every view, with the same findings
  // (tests/test_formats_fresh.py checks one run at every view against one run per view).
  const page = await browser.newPage();
  const session = await page.createCDPSession();
  let refused = [];
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    const url = request.url();
    if (url.startsWith("file:") || url.startsWith("data:")) request.continue();
    else {
      refused.push(url);
      request.abort("blockedbyclient");
    }
  });
  const byView = views.map(() => []);
  for (const file of files) {
    refused = [];
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.addScriptTag({ path: AXE_SOURCE });
    for (const [index, { width, scheme, text }] of views.entries()) {
      await page.setViewport({ width, height: 900 });
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
      await session.send("Page.setFontSizes", {
        fontSizes: { standard: Math.round((16 * text) / 100), fixed: Math.round((13 * text) / 100) },
      });
      const { violations, incomplete, overflow } = await page.evaluate(async (tags) => {
        // A page's own CSS transitions run when the view changes: axe reads the colours they end on.
        await Promise.all(
          document.getAnimations()
            .filter((animation) => Number.isFinite(animation.effect?.getComputedTiming().endTime))
            .map((animation) => animation.finished.catch(() => undefined)),
        );
        // eslint-disable-next-line no-undef
        const results = await axe.run(document, { runOnly: { type: "tag", values: tags } });
        return {
          violations: results.violations.map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, summary: n.failureSummary })),
          })),
          // "Needs review": axe could not decide (such as contrast over an image); listed, never a pass or a fail.
          incomplete: results.incomplete.map((v) => ({ id: v.id, nodes: v.nodes.length })),
          // Content wider than the viewport means sideways scrolling at this width (WCAG 1.4.10 Reflow).
          overflow: document.documentElement.scrollWidth - window.innerWidth,
        };
      }, TAGS);
      // What the page asked for so far: a request a view's own CSS makes is listed from that view on.
      byView[index].push({ file, width, scheme, text, overflow, violations, incomplete, requests: [...refused] });
    }
  }
  const pages = byView.flat();
  process.stdout.write(JSON.stringify({ axe: AXE_VERSION, tags: TAGS, pages }, null, 1) + "\n");
} catch (error) {
  console.error(`run-axe: ${error && error.message ? error.message : error}`);
  process.exitCode = 2;
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
