// No browser download: Ace's axe runner (puppeteer) uses Debian's Chromium, named by PUPPETEER_EXECUTABLE_PATH
// when the tests run it (tests/test_formats.py).
module.exports = { skipDownload: true };
