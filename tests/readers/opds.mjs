// Read an OPDS 1 feed as Thorium Reader does: Readium's r2-opds-js parses the
// Atom feed and converts it to OPDS 2 (the model the app shows).
// Usage: node opds.mjs <opds.xml>. Prints JSON: the feed as OPDS 2 JSON.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { DOMParser } = require("@xmldom/xmldom");
const { XML } = require("r2-utils-js/dist/es8-es2017/src/_utils/xml-js-mapper");
const { OPDS } = require("r2-opds-js/dist/es8-es2017/src/opds/opds1/opds");
const { convertOpds1ToOpds2 } = require("r2-opds-js/dist/es8-es2017/src/opds/converter");
const { initGlobalConverters_OPDS, initGlobalConverters_GENERIC } = require("r2-opds-js/dist/es8-es2017/src/opds/init-globals");
const { TaJsonSerialize } = require("r2-lcp-js/dist/es8-es2017/src/serializable");

initGlobalConverters_OPDS();
initGlobalConverters_GENERIC();

const text = readFileSync(process.argv[2], "utf-8");
const errors = [];
const dom = new DOMParser({ onError: (level, message) => { if (level !== "warning") errors.push(message); } })
  .parseFromString(text, "application/xml");
if (errors.length) {
  process.stderr.write(errors.join("\n") + "\n");
  process.exit(1);
}
const feed = XML.deserialize(dom, OPDS);
process.stdout.write(JSON.stringify(TaJsonSerialize(convertOpds1ToOpds2(feed))));
