// Render a book with epub.js in headless Chromium, as a reading app would.
// Usage: node render.mjs <folder with epubjs.html, epub.min.js, jszip.min.js, book.epub> <screenshot.png>
// Prints a JSON object: {"result": <text epub.js rendered, or FAILED/PENDING>, "console": [...]}.
import path from "node:path";
import puppeteer from "puppeteer-core";

const [folder, screenshot] = process.argv.slice(2);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  // Chromium's start is not the test: on a busy shared machine it has taken over puppeteer's default 30 s.
  timeout: 180000,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    // The harness reads book.epub beside it through file://.
    "--allow-file-access-from-files",
  ],
});
const messages = [];
try {
  const page = await browser.newPage();
  page.on("console", (msg) => messages.push(msg.text()));
  page.on("pageerror", (err) => messages.push("pageerror: " + err.message));
  await page.setViewport({ width: 800, height: 1000 });
  await page.goto("file://" + path.resolve(folder, "epubjs.html"));
  await page
    .waitForFunction(() => !document.getElementById("result").textContent.startsWith("PENDING"), { timeout: 30000 })
    .catch(() => {});
  const result = await page.$eval("#result", (el) => el.textContent);
  await page.screenshot({ path: screenshot });
  process.stdout.write(JSON.stringify({ result, console: messages }));
} finally {
  await browser.close();
}
