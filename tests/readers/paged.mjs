// Read a book page by page with epub.js in headless Chromium, at the sizes of
// a phone and an e-reader, as a reading app would show it.
// Usage: node paged.mjs <folder with paged.html, epub.min.js, jszip.min.js, book.epub> <screenshot folder> <WxH>...
// Prints JSON: {"<W>x<H>": [{"href", "vertical", "pages", "headings": [{tag, cls, lines}], "stranded": [...]}]}.
// Screenshots: <folder>/<W>x<H>-<document>.png (its first screen) and
// <W>x<H>-<document>-subhead.png (the screen of its first subhead).
import path from "node:path";
import puppeteer from "puppeteer-core";

const [folder, shots, ...sizes] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Chromium's start is not the test: on a busy shared machine it has taken over puppeteer's default 30 s.
  timeout: 180000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--allow-file-access-from-files"],
});
const report = {};
const errors = [];
try {
  for (const size of sizes) {
    const [width, height] = size.split("x").map(Number);
    const page = await browser.newPage();
    page.on("pageerror", (err) => errors.push(err.message));
    await page.setViewport({ width, height });
    await page.goto("file://" + path.resolve(folder, "paged.html"));
    const hrefs = await page.evaluate(() => window.opened);
    report[size] = [];
    // Every document of the spine: cover, title page, contents, articles.
    for (const href of hrefs) {
      const measured = await page.evaluate((h) => window.show(h), href);
      const name = path.basename(href, ".xhtml");
      await page.screenshot({ path: path.join(shots, `${size}-${name}.png`) });
      if (measured.subheads.length) {
        await page.evaluate((h, n) => window.pageTo(h, n), href, measured.subheads[0]);
        await page.screenshot({ path: path.join(shots, `${size}-${name}-subhead.png`) });
      }
      report[size].push({ href, ...measured });
    }
    await page.close();
  }
  process.stdout.write(JSON.stringify({ report, errors }));
} finally {
  await browser.close();
}
