// Copies the GOV.UK Frontend script and images from node_modules into build/static, which
// Django serves as /static/build/. Nothing from node_modules is committed.
import { cpSync, mkdirSync } from "node:fs";

const dist = "node_modules/govuk-frontend/dist/govuk";
mkdirSync("build/static", { recursive: true });
cpSync(`${dist}/govuk-frontend.min.js`, "build/static/govuk-frontend.min.js");
cpSync(`${dist}/assets/images`, "build/static/assets/images", { recursive: true });
cpSync(`${dist}/assets/manifest.json`, "build/static/assets/manifest.json");
