// Open the catalogue's index.html from its folder in headless Chromium, as a
// reader would, and take a screenshot of the whole page.
// Usage: node shelf.mjs <index.html> <screenshot.png>
// Prints JSON: {months, issues: [{title, cover: {loaded, width}, links}], requests, errors}.
import path from "node:path";
import puppeteer from "puppeteer-core";

const [page_file, screenshot] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Chromium's start is not the test: on a busy shared machine it has taken over puppeteer's default 30 s.
  timeout: 180000,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const requests = [];
  const errors = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("requestfailed", (request) => errors.push("failed: " + request.url()));
  await page.setViewport({ width: 1000, height: 800 });
  await page.goto("file://" + path.resolve(page_file), { waitUntil: "load" });
  // Lazy images below the fold load once scrolled to.
  await page.evaluate(async () => {
    for (const img of document.images) { img.loading = "eager"; img.scrollIntoView(); }
    await Promise.all(Array.from(document.images).map((img) => img.decode().catch(() => {})));
    window.scrollTo(0, 0);
  });
  const shelf = await page.evaluate(() => ({
    months: Array.from(document.querySelectorAll("main h2")).map((h) => h.textContent.trim()),
    issues: Array.from(document.querySelectorAll(".issue")).map((li) => {
      const img = li.querySelector("img");
      return {
        title: li.querySelector(".title").textContent.trim(),
        month: li.closest("section").querySelector("h2").textContent.trim(),
        cover: img ? { loaded: img.complete && img.naturalWidth > 0, width: img.naturalWidth, alt: img.alt } : null,
        links: Array.from(li.querySelectorAll(".editions a")).map((a) => ({ label: a.textContent.trim(), href: a.href })),
      };
    }),
  }));
  await page.screenshot({ path: screenshot, fullPage: true });
  process.stdout.write(JSON.stringify({ ...shelf, requests, errors }));
} finally {
  await browser.close();
}
