// The web UI end to end in headless Chromium: the real `arxiv-digest run` on the bundled sample
// day (fixture server on 127.0.0.1) with translations from the fake OpenAI-compatible backend
// fills an archive; the real `arxiv-digest serve --listen 127.0.0.1:0` serves it. In the browser:
// open the index, follow the day's digest, check rendered math (.katex) and highlights, switch
// language (plain links, no script needed), move with j/k, search through the header form, follow
// a paper link to its page; no console error, no request leaving 127.0.0.1, no horizontal scroll
// at 390 px, a dark background in dark mode. Screenshots go to --artifacts (serve-*.png).
//
// Run by ctest (tests/browser/CMakeLists.txt). Exits 77 (ctest's SKIP_RETURN_CODE) only when
// Chromium or node_modules (scripts/setup's `npm ci`) is missing; any failed check exits 1.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const SKIP = 77;
const CHROMIUM = '/usr/bin/chromium';

const { values: opt } = parseArgs({
  options: {
    binary: { type: 'string' },
    'fixture-server': { type: 'string' },
    'translation-server': { type: 'string' },
    'sample-day': { type: 'string' },
    katex: { type: 'string' },
    artifacts: { type: 'string' },
  },
});
for (const key of ['binary', 'fixture-server', 'translation-server', 'sample-day', 'katex', 'artifacts']) {
  if (!opt[key]) {
    console.error(`usage: --${key} is required`);
    process.exit(2);
  }
  opt[key] = path.resolve(opt[key]);
}
if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} is missing (scripts/setup installs chromium)`);
  process.exit(SKIP);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch (e) {
  console.log(`SKIP: playwright-core is not installed (run scripts/setup, which runs npm ci): ${e.message}`);
  process.exit(SKIP);
}

const failures = [];
function check(condition, what) {
  if (condition) console.log(`ok   ${what}`);
  else {
    console.log(`FAIL ${what}`);
    failures.push(what);
  }
}

const children = [];
process.on('exit', () => { for (const child of children) child.kill(); });
// Starts a program and resolves with the first line it prints matching `pattern` (its URL).
function start(program, args, pattern, options = {}) {
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'inherit'], ...options });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = pattern.exec(out);
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`${path.basename(program)} exited (${code}): ${out}`)));
    setTimeout(() => reject(new Error(`${path.basename(program)} printed no URL in 10 s`)), 10000);
  });
}

const work = path.join(opt.artifacts, 'serve-run');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

let browser;
try {
  const feeds = await start(opt['fixture-server'], [opt['sample-day']], /^(http\S+)\n/);
  const translator = await start(opt['translation-server'], [], /^(http\S+)\n/);
  writeFileSync(path.join(work, 'config.toml'), [
    '[arxiv]',
    'categories = ["cs.AI", "cs.CL", "cs.CV", "cs.LG", "cs.RO"]',
    `rss_url = "${feeds}/rss/"`,
    'contact = "digest-test@example.org"',
    '[[topics]]', 'name = "reinforcement learning"',
    '[[topics]]', 'name = "diffusion policy"',
    '[output]', 'dir = "out"', 'formats = ["json"]', `katex = ${JSON.stringify(opt.katex)}`,
    '[store]', 'path = "archive.sqlite"',
    '[translate]', 'provider = "openai"', 'model = "deepseek-chat"', `base_url = "${translator}/v1"`,
    'api_key_env = "TEST_TRANSLATE_KEY"',
    '',
  ].join('\n'));
  const env = {
    ...process.env,
    XDG_CACHE_HOME: path.join(work, 'cache'),
    XDG_CONFIG_HOME: path.join(work, 'config-home'),
    XDG_DATA_HOME: path.join(work, 'data-home'),
    SOURCE_DATE_EPOCH: '1781783578',
    TEST_TRANSLATE_KEY: 'test-key',
  };
  const run = spawnSync(opt.binary, ['run', '--config', 'config.toml', '--date', '2026-06-18', '--quiet'],
    { cwd: work, encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`arxiv-digest run exited ${run.status}: ${run.error || run.stderr}`);

  const base = await start(opt.binary, ['serve', '--config', 'config.toml', '--listen', '127.0.0.1:0'],
    /^Serving (http:\/\/127\.0\.0\.1:\d+)/, { cwd: work, env });
  console.log(`ok   arxiv-digest serve listens on ${base}`);

  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const external = [];
  const failedRequests = [];
  const badResponses = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1' || url.protocol === 'data:') return route.continue();
    external.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  const consoleErrors = [];
  page.on('console', (message) => { if (message.type() === 'error') consoleErrors.push(message.text()); });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('response', (response) => { if (response.status() >= 400) badResponses.push(`${response.status()} ${response.url()}`); });

  const shots = [];
  async function shoot(name, width, height) {
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    const file = path.join(opt.artifacts, `serve-${name}-${width}x${height}.png`);
    await page.screenshot({ path: file });
    shots.push(file);
  }
  async function overflowAt390() {
    await page.setViewportSize({ width: 390, height: 844 });
    return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  }

  // --- The index, then the day's digest --------------------------------------------------------
  const index = await page.goto(`${base}/`, { waitUntil: 'load' });
  check(index.headers()['content-security-policy']?.includes("script-src 'self'"), 'the index has a CSP');
  await page.click('a[href="/digest/2026-06-18"]');
  await page.waitForURL(`${base}/digest/2026-06-18`);
  await page.waitForSelector('.katex', { timeout: 10000 }).catch(() => {});
  const articles = await page.locator('article.paper').count();
  check(articles >= 30, `the digest lists the selected papers (${articles} articles)`);
  const math = await page.locator('.katex').count();
  check(math >= 1, `math rendered by KaTeX (${math} .katex elements)`);
  const rawTex = await page.locator('main').evaluate((main) => /\$[^$\s][^$]*\$/.test(main.innerText));
  check(!rawTex, 'no TeX left unrendered between $ signs');
  const marks = await page.locator('mark').count();
  check(marks >= 30, `the topic's words are highlighted (${marks} <mark>)`);
  const zhBoth = await page.locator('.abstract.zh').count();
  check(zhBoth === 30 || zhBoth === articles, `both languages: Chinese abstracts shown (${zhBoth})`);
  await shoot('digest', 1280, 900);
  await page.locator('.katex').first().scrollIntoViewIfNeeded().catch(() => {});
  const mathShot = path.join(opt.artifacts, 'serve-digest-math-1280x900.png');
  await page.screenshot({ path: mathShot });
  shots.push(mathShot);
  check(await overflowAt390() <= 0, 'the digest has no horizontal scroll at 390 px');
  await shoot('digest', 390, 844);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  const luma = await page.evaluate(() => {
    const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });
  check(light !== dark && luma < 64, `dark mode gives a dark background (${light} -> ${dark})`);
  await shoot('digest-dark', 390, 844);
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });

  // --- Keyboard: j / k move between papers with a visible focus ---------------------------------
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  const focused = await page.evaluate(() => {
    const all = [...document.querySelectorAll('article.paper')];
    const active = document.activeElement;
    return { index: all.indexOf(active), outline: active ? getComputedStyle(active).outlineStyle : '' };
  });
  check(focused.index === 1 && focused.outline !== 'none', `j j focuses the second paper with an outline (${JSON.stringify(focused)})`);
  await page.keyboard.press('k');
  check(await page.evaluate(() => [...document.querySelectorAll('article.paper')].indexOf(document.activeElement)) === 0,
        'k goes back to the first paper');

  // --- Language switch (links: works without JavaScript) --------------------------------------
  await page.click('nav.lang a[hreflang="en"]');
  await page.waitForURL(/lang=en/);
  const zhInEnglish = await page.locator('.abstract.zh, .title-zh').count();
  check(zhInEnglish === 0, `English only: no Chinese text (${zhInEnglish})`);
  await page.click('nav.lang a[hreflang="zh"]');
  await page.waitForURL(/lang=zh/);
  const enInChinese = await page.locator('p.abstract[lang="en"]').count();
  const zhAbstracts = await page.locator('p.abstract.zh').count();
  check(enInChinese === 0 && zhAbstracts >= 30, `Chinese only: ${zhAbstracts} Chinese abstracts, ${enInChinese} English`);
  await page.waitForSelector('.katex', { timeout: 10000 }).catch(() => {});
  await shoot('digest-zh', 1280, 900);

  // --- Search through the header form -------------------------------------------------------------
  await page.fill('form.search input[name="q"]', '"reinforcement learning" AND cat:cs.RO');
  await page.press('form.search input[name="q"]', 'Enter');
  await page.waitForURL(/\/search\?q=/);
  const searchStatus = await page.evaluate(() => document.title);
  const hits = await page.locator('article.paper').count();
  check(hits >= 1, `search finds papers (${hits} hits; page "${searchStatus}")`);
  await shoot('search', 1280, 900);

  // --- Follow a paper link ------------------------------------------------------------------------
  const first = page.locator('article.paper h3 a').first();
  const href = await first.getAttribute('href');
  await first.click();
  await page.waitForURL(`${base}${href}`);
  const versions = await page.locator('table.versions tbody tr').count();
  const absLinks = await page.locator('a[href^="https://arxiv.org/abs/"]').count();
  const included = await page.locator('ul.included a[href^="/digest/2026-06-18"]').count();
  check(versions >= 1 && absLinks >= 1 && included >= 1,
        `the paper page ${href}: ${versions} version(s), abs links, in ${included} digest topic(s)`);
  check(await overflowAt390() <= 0, 'the paper page has no horizontal scroll at 390 px');
  await shoot('paper', 390, 844);

  check(external.length === 0, `no request left 127.0.0.1 (${external.join(', ') || 'none'})`);
  check(failedRequests.length === 0, `no request failed (${failedRequests.join('; ') || 'none'})`);
  check(badResponses.length === 0, `no error response (${badResponses.join('; ') || 'none'})`);
  check(consoleErrors.length === 0, `no console error (${consoleErrors.join('; ') || 'none'})`);
  for (const file of shots) {
    const bytes = readFileSync(file);
    check(bytes.length > 10000 && bytes.subarray(1, 4).toString() === 'PNG', `${path.basename(file)}: ${bytes.length} bytes PNG`);
  }
} catch (error) {
  failures.push(`error: ${error.stack || error}`);
  console.log(`FAIL ${error.stack || error}`);
} finally {
  if (browser) await browser.close();
  for (const child of children) child.kill('SIGTERM');
}

if (failures.length > 0) {
  console.log(`${failures.length} check(s) failed`);
  process.exit(1);
}
console.log(`all checks passed; screenshots in ${opt.artifacts}`);
