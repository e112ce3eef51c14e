// Run axe-core's WCAG 2.2 AA rules on local HTML files in headless Chromium; print one JSON object.
//
//   node pipeline/audit/axe/run-axe.mjs [--chromium /usr/bin/chromium] [--width PIXELS] [--dark] [--text PERCENT] FILE.html ...
//
// --width sets the viewport's width in CSS pixels (default 1280): 320 checks the narrowest phone (WCAG 1.4.10).
// --dark has the pages rendered as for a reader whose system asks for dark colours (prefers-color-scheme: dark).
// --text sets the browser's default text size to PERCENT of 16 px, as a reader who enlarges text does (WCAG 1.4.4):
// 200 checks text at 200 %.
// Output: {"axe": "<version>", "tags": [...], "pages": [{"file", "width", "scheme" (light or dark), "overflow" (CSS pixels of content past
// the viewport's right edge, 0 when none), "violations": [{"id", "impact", "help",
// "helpUrl", "nodes": [{"target", "html", "summary"}]}], "incomplete": [{"id", "nodes"}], "requests": [refused URLs]}]}.
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
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--chromium") chromium = args[++i];
  else if (args[i] === "--width") width = Number(args[++i]);
  else if (args[i] === "--dark") scheme = "dark";
  else if (args[i] === "--text") text = Number(args[++i]);
  else files.push(args[i]);
}
if (!files.length || !Number.isInteger(width) || width < 100) {
  console.error("usage: run-axe.mjs [--chromium PATH] [--width PIXELS] [--dark] FILE.html ...");
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
  const pages = [];
  for (const file of files) {
    const page = await browser.newPage();
    await page.setViewport({ width, height: 900 });
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    if (text !== 100) {
      const session = await page.createCDPSession();
      await session.send("Page.setFontSizes", {
        fontSizes: { standard: Math.round((16 * text) / 100), fixed: Math.round((13 * text) / 100) },
      });
    }
    const refused = [];
    await page.setRequestInterception(true);
    page.on("request", (request) => {
      const url = request.url();
      if (url.startsWith("file:") || url.startsWith("data:")) request.continue();
      else {
        refused.push(url);
        request.abort("blockedbyclient");
      }
    });
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load" });
    await page.addScriptTag({ path: AXE_SOURCE });
    const { violations, incomplete } = await page.evaluate(async (tags) => {
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
      };
    }, TAGS);
    // Content wider than the viewport means sideways scrolling at this width (WCAG 1.4.10 Reflow).
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    pages.push({ file, width, scheme, text, overflow, violations, incomplete, requests: refused });
    await page.close();
  }
  process.stdout.write(JSON.stringify({ axe: AXE_VERSION, tags: TAGS, pages }, null, 1) + "\n");
} catch (error) {
  console.error(`run-axe: ${error && error.message ? error.message : error}`);
  process.exitCode = 2;
} finally {
  if (browser) await browser.close();
  rmSync(profile, { recursive: true, force: true });
}
