// DAISY Ace over several EPUB books in one process and one browser; used by tests/test_formats.py.
//
//   PUPPETEER_EXECUTABLE_PATH=/usr/bin/chromium node tests/ace/run-ace.js OUTDIR BOOK.epub ...
//
// Each book's report goes to OUTDIR/<n>/report.json (n counts the books from 0, in the order given), as
// `ace --outdir` writes it. Ace's own command line (ace-cli) checks one book a run and starts Node, loads Ace and
// starts Chromium for each: measured 2.8 CPU-seconds a book here, of which about 1.5 is the start. This calls the
// same library (@daisy/ace-core, with Ace's own puppeteer axe runner) for every book, the browser started once.
// Exit status 0 when every book was checked (whatever Ace found), 1 when Ace could not check one.

"use strict";

const path = require("path");
const ace = require("@daisy/ace-core");
const runner = require("@daisy/ace-axe-runner-puppeteer");
const logger = require("@daisy/ace-logger");

// Ace's checker starts and closes the runner's browser for every book: start it once, close it once at the end.
let started = false;
const oneBrowser = {
  ...runner,
  launch: async () => {
    if (!started) await runner.launch();
    started = true;
  },
  close: async () => {},
};

async function main() {
  const [outdir, ...books] = process.argv.slice(2);
  if (!outdir || !books.length) {
    console.error("usage: run-ace.js OUTDIR BOOK.epub ...");
    return 2;
  }
  logger.initLogger({ verbose: false, silent: true, fileName: "ace.log" });
  try {
    for (const [index, book] of books.entries()) {
      await ace(book, { cwd: process.cwd(), outdir: path.join(outdir, String(index)), silent: true, jobId: "" }, oneBrowser);
    }
  } catch (error) {
    console.error(`run-ace: ${error && error.message ? error.message : error}`);
    return 1;
  } finally {
    if (started) await runner.close();
  }
  return 0;
}

main().then((status) => process.exit(status));
