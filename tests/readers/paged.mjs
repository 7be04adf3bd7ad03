// Read a book page by page with epub.js in headless Chromium, at the sizes of
// a phone and an e-reader, as a reading app would show it.
// Usage: node paged.mjs <folder with paged.html, epub.min.js, jszip.min.js, book.epub> <screenshot folder|-> [--theme night|sepia] [--dark] <WxH>...
// --theme applies a reading app's theme (epub.js themes); --dark has Chromium prefer a dark colour scheme.
// Prints JSON: {"report": {"<W>x<H>": [{"href", "linear", "vertical", "pages", "headings", "stranded",
// "indented", "colours", ...}]}, "pageList": {...}, "errors": [...]}.
// Screenshots (unless the folder is "-"): <folder>/<W>x<H>-<document>.png (its first screen) and
// <W>x<H>-<document>-subhead.png (the screen of its first subhead).
import path from "node:path";
import puppeteer from "puppeteer-core";

const args = process.argv.slice(2);
const options = { theme: null, dark: false };
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === "--theme") options.theme = args[++i];
  else if (args[i] === "--dark") options.dark = true;
  else positional.push(args[i]);
}
const [folder, shots, ...sizes] = positional;
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Chromium's start is not the test: on a busy shared machine it has taken over puppeteer's default 30 s.
  timeout: 180000,
  protocolTimeout: 600000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--allow-file-access-from-files"],
});
const report = {};
const errors = [];
let pageList = null;
try {
  for (const size of sizes) {
    const [width, height] = size.split("x").map(Number);
    const page = await browser.newPage();
    page.on("pageerror", (err) => errors.push(err.message));
    if (options.dark) await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
    await page.setViewport({ width, height });
    const query = options.theme ? `?theme=${options.theme}` : "";
    await page.goto("file://" + path.resolve(folder, "paged.html") + query);
    const items = await page.evaluate(() => window.opened);
    pageList = await page.evaluate(() => window.pageList);
    report[size] = [];
    // Every document of the spine: cover, title page, contents, pages, licences.
    for (const { href, linear } of items) {
      const measured = await page.evaluate((h) => window.show(h), href);
      const name = path.basename(href, ".xhtml");
      if (shots !== "-") {
        await page.screenshot({ path: path.join(shots, `${size}-${name}.png`) });
        if (measured.subheads.length) {
          await page.evaluate((h, n) => window.pageTo(h, n), href, measured.subheads[0]);
          await page.screenshot({ path: path.join(shots, `${size}-${name}-subhead.png`) });
        }
      }
      report[size].push({ href, linear, ...measured });
    }
    await page.close();
  }
  process.stdout.write(JSON.stringify({ report, pageList, errors }));
} finally {
  await browser.close();
}
